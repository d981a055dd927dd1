using Microsoft.Extensions.Logging;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Schedules;
using Vpp.Domain.Settlement;
using Vpp.Domain.Validation;

namespace Vpp.Grains.Fleets;

/// <summary>The fleet's target over time: the requested side of settlement (stored, pruned to the retention).</summary>
[GenerateSerializer]
public sealed class TargetHistoryState
{
    [Id(0)] public List<TargetStep> Steps { get; set; } = [];
}

[GenerateSerializer, Immutable]
public sealed record TargetStep([property: Id(0)] DateTimeOffset At, [property: Id(1)] double TargetKw);

/// <summary>
/// Settlement: requested energy is the fleet's target step profile integrated exactly; delivered energy comes from
/// the partitions' per-member slot meters, asked in parallel; the domain settles each slot.
/// </summary>
public sealed partial class FleetGrain
{
    /// <summary>Records a new standing target; a step older than the retention is dropped, except the one still in force.</summary>
    private void RecordTargetStep(DateTimeOffset at, double targetKw)
    {
        var steps = targetHistory.State.Steps;
        steps.Add(new TargetStep(at, targetKw));
        var cutoff = at - _options.SettlementRetention;
        var inForceAtCutoff = steps.FindLastIndex(s => s.At <= cutoff);
        if (inForceAtCutoff > 0)
        {
            steps.RemoveRange(0, inForceAtCutoff);
        }
    }

    /// <summary>
    /// The instant a new target counts as requested from: the requester's (a schedule slot's start), never in the
    /// future and never before the step already recorded last, so the history stays in order; else the dispatch's.
    /// </summary>
    private DateTimeOffset RequestedFrom(DateTimeOffset? requestedFrom, DateTimeOffset dispatchedAt)
    {
        if (requestedFrom is not { } from || from >= dispatchedAt)
        {
            return dispatchedAt;
        }

        var steps = targetHistory.State.Steps;
        return steps.Count > 0 && steps[^1].At > from ? steps[^1].At : from;
    }

    /// <summary>The dispatch has happened: a failed write of its history must not undo it, so it is logged and retried with the next.</summary>
    private async Task WriteTargetHistoryAsync()
    {
        try
        {
            await targetHistory.WriteStateAsync();
        }
        catch (Exception ex)
        {
            LogTargetHistoryWriteFailed(FleetId, ex.GetBaseException().Message);
        }
    }

    public async Task<SettlementView> GetSettlementAsync(DateTimeOffset? from, DateTimeOffset? to)
    {
        var range = SettlementRange(from, to);
        var assetCount = _partitions.Values.Sum(p => (long)p.AssetCount);
        var maxRows = _options.Market.MaxSettlementAssetSlots;
        if (assetCount * range.SlotCount > maxRows)
        {
            // Every asset appears in every slot: refuse before gathering what would not fit, and say what would.
            var maxSlots = Math.Max(1, maxRows / Math.Max(1, assetCount));
            throw new InvalidInputException(
                "to", $"{assetCount:N0} assets × {range.SlotCount:N0} quarter hours exceed {maxRows:N0} asset rows per settlement: "
                + $"ask for at most {maxSlots:N0} quarter hours at a time, or for the fleet totals only");
        }

        var requestedKwh = RequestedKwhBySlot();
        // A partition that cannot answer leaves its members out: the slots then lack their energy and count fewer
        // assets, which the answer shows, rather than the whole settlement failing.
        var readings = await AskPartitionsAsync(S.PartitionKeys, p => p.GetMeterReadingsAsync(range.From, range.To));
        var bySlot = readings.SelectMany(r => r ?? []).ToLookup(r => r.SlotStart);
        var slots = range.Starts.Select(start =>
        {
            var assets = bySlot[start]
                .OrderBy(r => r.AssetId, StringComparer.Ordinal)
                .Select(r => new AssetSlotReading(r.AssetId, new SlotReading(r.DeliveredKwh, r.Covered, r.RequestedKwh, r.RequestedKwAtStart)))
                .ToList();
            return View(SettlementCalculator.SettleSlot(start, requestedKwh(start), assets));
        });
        return new SettlementView(FleetId, [.. slots]);
    }

    public async Task<SettlementView> GetSettlementTotalsAsync(DateTimeOffset? from, DateTimeOffset? to)
    {
        var range = SettlementRange(from, to);
        var requestedKwh = RequestedKwhBySlot();
        var totals = (await AskPartitionsAsync(S.PartitionKeys, p => p.GetMeterTotalsAsync(range.From, range.To)))
            .SelectMany(t => t ?? []).ToLookup(t => t.SlotStart);
        var slots = range.Starts.Select(start =>
        {
            var slot = totals[start].ToList();
            var settled = new SlotTotals(start, requestedKwh(start), slot.Sum(t => t.DeliveredKwh), slot.Sum(t => t.AssetCount), slot.Sum(t => t.IncompleteCount));
            string[] named = [.. slot.SelectMany(t => t.IncompleteAssetIds).Order(StringComparer.Ordinal).Take(MeterSlotTotal.MaxNamed)];
            return new SlotSettlementView(
                start, settled.End, settled.RequestedKwh, settled.DeliveredKwh, settled.DeviationKwh, settled.DeviationPercent, settled.IsComplete,
                named, [], [], settled.AssetCount, settled.IncompleteCount);
        });
        return new SettlementView(FleetId, [.. slots]);
    }

    private SlotRange SettlementRange(DateTimeOffset? from, DateTimeOffset? to)
    {
        var errors = new FieldErrors();
        var range = SlotRange.Parse(errors, from, to, _options.Market.MaxQuerySlots);
        InvalidInputException.ThrowIfAny(errors.Errors);
        RequireKnown();
        return range!.Value;
    }

    /// <summary>
    /// Requested energy per slot: the base target's steps (a dispatch from when it completed, a schedule slot from the
    /// slot's start, so the slot profile is what was requested) + the reserve activations booked per slot.
    /// </summary>
    private Func<DateTimeOffset, double> RequestedKwhBySlot()
    {
        AccrueActivations();
        var requested = StepProfile.Of(targetHistory.State.Steps.Select(s => (s.At, s.TargetKw)));
        return start => requested.EnergyKwh(start, start + QuarterHour.Length) + G.ActivationKwhBySlot.GetValueOrDefault(start);
    }

    /// <summary>
    /// Asks the partitions in parallel; one that cannot answer is logged and answers null, so a single partition
    /// never fails a question about the whole fleet (the caller says what its absence means).
    /// </summary>
    private async Task<T?[]> AskPartitionsAsync<T>(IEnumerable<string> partitionKeys, Func<IFleetPartitionGrain, Task<T>> ask)
        where T : class =>
        await Task.WhenAll(partitionKeys.Select(async key =>
        {
            try
            {
                return await ask(GrainFactory.GetGrain<IFleetPartitionGrain>(key));
            }
            catch (Exception ex)
            {
                LogPartitionFailed(FleetId, key, ex.GetBaseException().Message);
                return null;
            }
        }));

    private static SlotSettlementView View(SlotSettlement s) => new(
        s.Start, s.End, s.RequestedKwh, s.DeliveredKwh, s.DeviationKwh, s.DeviationPercent, s.IsComplete, [.. s.AssetsWithGaps],
        [.. s.Assets.Select(a => new AssetSettlementView(
            a.AssetId, a.RequestedKwh, a.PlannedKwh, a.DeliveredKwh, a.DeviationKwh, a.UnknownTime, a.CoveragePercent, a.SharePercent))],
        [.. s.Compensations.Select(c => new CompensationView(c.CompensatingAssetId, c.ForAssetId, c.Kwh))],
        AssetCount: s.Assets.Count, AssetsWithGapsCount: s.AssetsWithGaps.Count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet {FleetId}: could not store its target history (retried with the next dispatch): {Error}")]
    private partial void LogTargetHistoryWriteFailed(string fleetId, string error);
}
