using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Storage;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Schedules;
using Vpp.Domain.Settlement;
using Vpp.Domain.Validation;
using Vpp.Grains.Storage;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Settlement, computed beside the fleet rather than in it: requested energy is the fleet's stored target step profile
/// ("fleetTargets", written with every dispatch) plus its stored reserve activations ("fleetGridServices"), integrated
/// exactly; delivered energy comes from the partitions' per-member slot meters, asked in parallel; the domain settles
/// each slot. The fleet grain is never called, so a settlement of a million asset rows cannot delay a dispatch or an
/// FCR response. A stateless worker: each silo runs several at once.
/// </summary>
[StatelessWorker]
public sealed partial class SettlementQueryGrain(
    [FromKeyedServices(VppOptions.StorageName)] IGrainStorage storage,
    IOptions<VppOptions> options,
    ILogger<SettlementQueryGrain> logger) : Grain, ISettlementQueryGrain
{
    private readonly VppOptions _options = options.Value;

    private string FleetId => this.GetPrimaryKeyString();

    public async Task<SettlementView> GetSettlementAsync(DateTimeOffset? from, DateTimeOffset? to)
    {
        var range = Range(from, to);
        var fleet = await ReadFleetAsync();
        var summaries = await AskPartitionsAsync(fleet.PartitionKeys, p => p.GetSummaryAsync());
        var assetCount = summaries.Sum(s => (long)(s?.AssetCount ?? 0));
        var maxRows = _options.Market.MaxSettlementAssetSlots;
        if (assetCount * range.SlotCount > maxRows)
        {
            // Every asset appears in every slot: refuse before gathering what would not fit, and say what would.
            var maxSlots = Math.Max(1, maxRows / Math.Max(1, assetCount));
            throw new InvalidInputException(
                "to", $"{assetCount:N0} assets × {range.SlotCount:N0} quarter hours exceed {maxRows:N0} asset rows per settlement: "
                + $"ask for at most {maxSlots:N0} quarter hours at a time, or for the fleet totals only");
        }

        var (requestedKwh, socKwh) = await RequestedKwhBySlotAsync();
        // A partition that cannot answer leaves its members out: the slots then lack their energy and count fewer
        // assets, which the answer shows, rather than the whole settlement failing.
        var readings = await AskPartitionsAsync(fleet.PartitionKeys, p => p.GetMeterReadingsAsync(range.From, range.To));
        var bySlot = readings.SelectMany(r => r ?? []).ToLookup(r => r.SlotStart);
        var slots = range.Starts.Select(start =>
        {
            var assets = bySlot[start]
                .OrderBy(r => r.AssetId, StringComparer.Ordinal)
                .Select(r => new AssetSlotReading(r.AssetId, new SlotReading(r.DeliveredKwh, r.Covered, r.RequestedKwh, r.RequestedKwAtStart)))
                .ToList();
            return View(SettlementCalculator.SettleSlot(start, requestedKwh(start), assets)) with { SocManagementKwh = socKwh(start) };
        });
        return new SettlementView(FleetId, [.. slots]);
    }

    public async Task<SettlementView> GetSettlementTotalsAsync(DateTimeOffset? from, DateTimeOffset? to)
    {
        var range = Range(from, to);
        var fleet = await ReadFleetAsync();
        var (requestedKwh, socKwh) = await RequestedKwhBySlotAsync();
        var totals = (await AskPartitionsAsync(fleet.PartitionKeys, p => p.GetMeterTotalsAsync(range.From, range.To)))
            .SelectMany(t => t ?? []).ToLookup(t => t.SlotStart);
        var slots = range.Starts.Select(start =>
        {
            var slot = totals[start].ToList();
            var settled = new SlotTotals(start, requestedKwh(start), slot.Sum(t => t.DeliveredKwh), slot.Sum(t => t.AssetCount), slot.Sum(t => t.IncompleteCount));
            string[] named = [.. slot.SelectMany(t => t.IncompleteAssetIds).Order(StringComparer.Ordinal).Take(MeterSlotTotal.MaxNamed)];
            return new SlotSettlementView(
                start, settled.End, settled.RequestedKwh, settled.DeliveredKwh, settled.DeviationKwh, settled.DeviationPercent, settled.IsComplete,
                named, [], [], settled.AssetCount, settled.IncompleteCount, socKwh(start));
        });
        return new SettlementView(FleetId, [.. slots]);
    }

    private SlotRange Range(DateTimeOffset? from, DateTimeOffset? to)
    {
        var errors = new FieldErrors();
        var range = SlotRange.Parse(errors, from, to, _options.Market.MaxQuerySlots);
        InvalidInputException.ThrowIfAny(errors.Errors);
        return range!.Value;
    }

    private GrainId Fleet => GrainFactory.GetGrain<IFleetGrain>(FleetId).GetGrainId();

    private async Task<T> ReadStoredAsync<T>(string stateName)
        where T : new()
    {
        var stored = new StoredCell<T>(storage, stateName, Fleet);
        await stored.ReadStateAsync();
        return stored.State;
    }

    private async Task<FleetState> ReadFleetAsync()
    {
        var fleet = await ReadStoredAsync<FleetState>(FleetGrain.StateName);
        return fleet.Known ? fleet : throw new NotFoundException("fleet", FleetId);
    }

    /// <summary>
    /// Requested energy per slot — the base target's steps (dispatch, schedule) + the reserve activations booked per
    /// slot — and, apart from it, the energy of the batteries' SoC corrections.
    /// </summary>
    private async Task<(Func<DateTimeOffset, double> RequestedKwh, Func<DateTimeOffset, double> SocManagementKwh)> RequestedKwhBySlotAsync()
    {
        var targets = await ReadStoredAsync<TargetHistoryState>(FleetGrain.TargetsStateName);
        var services = await ReadStoredAsync<FleetGridServicesState>(FleetGrain.GridServicesStateName);
        var requested = StepProfile.Of(targets.Steps.Select(s => (s.At, s.TargetKw)));
        return (start => requested.EnergyKwh(start, start + QuarterHour.Length) + services.ActivationKwhBySlot.GetValueOrDefault(start),
            start => services.SocManagementKwhBySlot.GetValueOrDefault(start));
    }

    private Task<T?[]> AskPartitionsAsync<T>(IEnumerable<string> partitionKeys, Func<IFleetPartitionGrain, Task<T>> ask)
        where T : class =>
        PartitionQueries.AskAsync(GrainFactory, partitionKeys, ask, (key, ex) => LogPartitionFailed(FleetId, key, ex.GetBaseException().Message));

    private static SlotSettlementView View(SlotSettlement s) => new(
        s.Start, s.End, s.RequestedKwh, s.DeliveredKwh, s.DeviationKwh, s.DeviationPercent, s.IsComplete, [.. s.AssetsWithGaps],
        [.. s.Assets.Select(a => new AssetSettlementView(
            a.AssetId, a.RequestedKwh, a.PlannedKwh, a.DeliveredKwh, a.DeviationKwh, a.UnknownTime, a.CoveragePercent, a.SharePercent))],
        [.. s.Compensations.Select(c => new CompensationView(c.CompensatingAssetId, c.ForAssetId, c.Kwh))],
        AssetCount: s.Assets.Count, AssetsWithGapsCount: s.AssetsWithGaps.Count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settlement of fleet {FleetId}: partition {Partition} did not answer (its members are left out): {Error}")]
    private partial void LogPartitionFailed(string fleetId, string partition, string error);
}
