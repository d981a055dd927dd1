using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.VirtualBatteries;
using Vpp.Domain.Schedules;
using Vpp.Domain.VirtualBatteries;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Virtual batteries on the fleet: the base target is the fleet-level dispatch (<see cref="FleetState.TargetKw"/>) plus
/// the slices' net setpoint (<see cref="FleetState.SlicesKw"/>, set by the fleet's slice book); grid services are
/// composed on top of that base as on any base target.
/// </summary>
public sealed partial class FleetGrain : IFleetSlicesGrain
{
    /// <summary>The base target: fleet-level dispatch plus slices; null while neither was ever set.</summary>
    private double? BaseKw => S.TargetKw is null && S.SlicesKw is null ? null : (S.TargetKw ?? 0) + (S.SlicesKw ?? 0);

    public async Task<DispatchResult> SetSlicesTargetAsync(double slicesKw, DateTimeOffset? requestedFrom)
    {
        RequireKnown();
        var (previousKw, previousAt) = (S.SlicesKw, S.LastDispatchAt);
        S.SlicesKw = slicesKw;
        S.LastDispatchAt = clock.GetUtcNow(); // the newer decision wins when a write meets a concurrent change
        try
        {
            await WriteStateAsync();
        }
        catch (Exception ex)
        {
            (S.SlicesKw, S.LastDispatchAt) = (previousKw, previousAt);
            LogTargetNotStored(FleetId, slicesKw, ex.GetBaseException().Message);
            throw new Abstractions.Errors.StorageUnavailableException("fleet", this.GetGrainId().ToString());
        }

        _redispatches.ForgetMoves();
        await SendSocShareIfChangedAsync();
        var baseKw = BaseKw!.Value;
        var result = await RunDispatchAsync(TargetToDispatch(baseKw)!.Value, S.Strategy, includeSetpoints: false);
        RecordTargetStep(RequestedFrom(requestedFrom, result.At), baseKw);
        AddEvent(new DispatchEvent(
            0, result.At,
            $"Virtual batteries net {slicesKw:0.###} kW: base target {baseKw:0.###} kW, {result.AllocatedKw:0.###} kW acknowledged"
            + (result.ShortfallKw != 0 ? $", shortfall {result.ShortfallKw:0.###} kW" : ""),
            DispatchId: result.DispatchId, TargetKw: result.TargetKw, AllocatedKw: result.AllocatedKw, ShortfallKw: result.ShortfallKw));
        await WriteDispatchOutcomeAsync();
        await WriteTargetHistoryAsync();
        return result;
    }

    public Task<FleetSliceCapacity?> GetSliceCapacityAsync() =>
        Task.FromResult(S.Known ? SliceCapacityNow() : null);

    private FleetSliceCapacity SliceCapacityNow()
    {
        double registeredPowerKw = 0, registeredEnergyKwh = 0;
        foreach (var summary in _partitions.Values)
        {
            registeredPowerKw += summary.Registered.BatteryPowerKw;
            registeredEnergyKwh += summary.Registered.BatteryUsableKwh;
        }

        // What the online batteries can do now, less what the fleet-level dispatch and the commitments hold.
        var online = OnlineStorage;
        var fleetLevelKw = S.TargetKw ?? 0;
        var maxKw = (online?.MaxDischargeKw ?? 0) - Math.Max(0, fleetLevelKw) - G.FcrContractedKw - G.AfrrCapacityUpKw;
        var minKw = -(online?.MaxChargeKw ?? 0) - Math.Min(0, fleetLevelKw) + G.FcrContractedKw + G.AfrrCapacityDownKw;
        return new FleetSliceCapacity(
            registeredPowerKw, registeredEnergyKwh, G.FcrContractedKw, G.AfrrCapacityUpKw, G.AfrrCapacityDownKw,
            online?.RoundTripEfficiency ?? Domain.Assets.AssetSpec.DefaultRoundTripEfficiencyPercent / 100,
            Math.Min(0, minKw), Math.Max(0, maxKw), [.. G.FcrAwards], clock.GetUtcNow());
    }

    /// <summary>The questions about slices' ranges ahead being answered: concurrent ones (a list of every slice) share one round of the partitions.</summary>
    private readonly Dictionary<(DateTimeOffset From, int Quarters), Task<Domain.Optimisation.GroupTotals[]>> _groupsAsked = [];

    /// <summary>The online batteries' groups with their power out per quarter hour, per window, and when the partitions answered.</summary>
    private readonly Dictionary<(DateTimeOffset From, int Quarters), (DateTimeOffset At, Domain.Optimisation.GroupTotals[] Groups)> _groupsAhead = [];

    public async Task<SliceRangeAhead[]> GetSliceRangesAheadAsync(DateTimeOffset from, int quarters, TimeSpan maxAge)
    {
        if (!S.Known)
        {
            return [];
        }

        var now = clock.GetUtcNow();
        var groups = _groupsAhead.TryGetValue((from, quarters), out var known) && now - known.At < maxAge
            ? known.Groups
            : await GroupsAheadAsync(from, quarters);
        return SliceRangesAhead(from, quarters, groups);
    }

    private Task<Domain.Optimisation.GroupTotals[]> GroupsAheadAsync(DateTimeOffset from, int quarters)
    {
        if (!_groupsAsked.TryGetValue((from, quarters), out var pending))
        {
            pending = AskGroupsAheadAsync(from, quarters);
            _groupsAsked[(from, quarters)] = pending;
            _ = pending.ContinueWith(_ => _groupsAsked.Remove((from, quarters)), TaskScheduler.Current);
        }

        return pending;
    }

    private async Task<Domain.Optimisation.GroupTotals[]> AskGroupsAheadAsync(DateTimeOffset from, int quarters)
    {
        // A partition that cannot answer counts none out. The answer is as old as the question.
        var asked = clock.GetUtcNow();
        var parts = await PartitionQueries.AskAsync(
            GrainFactory, S.PartitionKeys, p => p.GetOptimisationGroupsAsync(from, quarters),
            (key, ex) => LogPartitionFailed(FleetId, key, ex.GetBaseException().Message));
        var groups = Domain.Optimisation.GroupTotals.Fold(parts.OfType<Domain.Optimisation.GroupTotals[]>().SelectMany(p => p)).ToArray();
        foreach (var old in _groupsAhead.Where(p => p.Key.From + (QuarterHour.Length * p.Key.Quarters) <= asked).Select(p => p.Key).ToList())
        {
            _groupsAhead.Remove(old);
        }

        _groupsAhead[(from, quarters)] = (asked, groups);
        return groups;
    }

    /// <summary>What the fleet can give its slices in each quarter hour: its range now less the batteries out then, and the energy left then without theirs.</summary>
    private SliceRangeAhead[] SliceRangesAhead(DateTimeOffset from, int quarters, Domain.Optimisation.GroupTotals[] groups)
    {
        var now = SliceCapacityNow();
        var storage = OnlineStorage ?? StoragePool.None;
        return [.. Enumerable.Range(0, quarters).Select(t =>
        {
            var (outDischargeKw, outChargeKw) = SliceAvailability.Out(groups, t);
            var range = SliceAvailability.Ahead(new PowerRange(now.AvailableMinKw, now.AvailableMaxKw), outDischargeKw, outChargeKw);
            var start = from + (QuarterHour.Length * t);
            var (deliverableKwh, absorbableKwh) = SliceEnergy.Headroom(
                storage, SliceEnergy.Out(groups, t), now.At, start, S.TargetKw ?? 0, S.SlicesKw ?? 0, G.FcrContractedKw + G.AfrrCapacityUpKw, G.FcrContractedKw + G.AfrrCapacityDownKw);
            return new SliceRangeAhead(start, range.MinKw, range.MaxKw, deliverableKwh, absorbableKwh);
        })];
    }

    /// <summary>
    /// The slices sold, as the fleet decides on them: loaded from the slice book, then kept by every admission and
    /// release. Slices and FCR awards are both checked and recorded against this and <see cref="FleetGridServicesState.FcrAwards"/>
    /// within one turn, so neither can pass on what the other has not stored yet. Null until loaded.
    /// </summary>
    private Dictionary<string, VirtualBatteryConfig>? _soldSlices;

    public Task<FleetSliceCapacity> AdmitSliceAsync(string virtualBatteryId, VirtualBatteryConfig config, Dictionary<string, VirtualBatteryConfig> booked)
    {
        RequireKnown();
        var capacity = SliceCapacityNow();
        var spec = config.ToSpec();
        var reservePercent = _options.VirtualBatteries.ReservePercent;
        if (SliceAllocation.Refusal(spec, booked.Values.Select(c => c.ToSpec()), capacity.ToCapacity(), reservePercent) is { } free)
        {
            var field = spec.PowerKw > free.PowerKw + SliceAllocation.Tolerance ? "powerKw" : "energyKwh";
            throw new SliceOverbookedException(field, Math.Round(free.PowerKw, 3), Math.Round(free.EnergyKwh, 3),
                $"fleet '{FleetId}' has {free.PowerKw:0.###} kW and {free.EnergyKwh:0.###} kWh free for this virtual battery "
                + $"(asked {spec.PowerKw:0.###} kW, {spec.EnergyKwh:0.###} kWh)");
        }

        // The book's slices are the truth the moment it asks (it books one at a time); this one counts from now on.
        _soldSlices = new Dictionary<string, VirtualBatteryConfig>(booked, StringComparer.Ordinal) { [virtualBatteryId] = config };
        return Task.FromResult(capacity);
    }

    public Task ReleaseSliceAsync(string virtualBatteryId)
    {
        _soldSlices?.Remove(virtualBatteryId);
        return Task.CompletedTask;
    }

    /// <summary>Loads the slices sold from the book unless an admission already set them (it holds the newer ones).</summary>
    private async Task<IReadOnlyCollection<VirtualBatteryConfig>> SoldSlicesLedgerAsync()
    {
        if (_soldSlices is null)
        {
            var book = await GrainFactory.GetGrain<ISliceBookGrain>(FleetId).GetAsync();
            _soldSlices ??= book.Slices.ToDictionary(e => e.VirtualBatteryId, e => e.Spec, StringComparer.Ordinal);
        }

        return _soldSlices.Values;
    }

    /// <summary>
    /// An FCR award must leave room for the slices sold in its period (<see cref="SliceAllocation.AwardRefusal"/>):
    /// the slices were sold first, so an award that would overbook them is a conflict with what is booked (409).
    /// Synchronous, so the caller records the award in the same turn.
    /// </summary>
    private void RequireSlicesKeepFcrBand(Domain.GridServices.FcrAward award, double bandKw, IEnumerable<VirtualBatteryConfig> sold)
    {
        var reservePercent = _options.VirtualBatteries.ReservePercent;
        if (SliceAllocation.AwardRefusal(award, bandKw, sold.Select(c => c.ToSpec()), SliceCapacityNow().ToCapacity(), reservePercent) is { } refusal)
        {
            throw new Abstractions.Errors.ConflictException(
                "contractedKw",
                $"the virtual batteries sold in the period hold {refusal.SoldPowerKw:0.###} kW and {refusal.SoldEnergyKwh:0.###} kWh; beside them "
                + $"and the {reservePercent:0.##} % reserve {refusal.FreePowerKw:0.###} kW and {refusal.FreeEnergyKwh:0.###} kWh are free, "
                + $"but ±{bandKw:0.###} kW of FCR needs its power and its energy for {SliceAllocation.CommitmentEnergyDuration.TotalMinutes:0} min each way; "
                + $"at most ±{refusal.LargestAwardKw:0.###} kW can be awarded for this period");
        }
    }

    /// <summary>The online batteries' store and power now; null when none reports its SoC.</summary>
    private StoragePool? OnlineStorage => StoragePool.Sum(_partitions.Values.Where(p => p.OnlineCount > 0).Select(p => p.Batteries.Storage));

    public Task RecordSliceEventsAsync(FleetEvent[] events)
    {
        RequireKnown();
        foreach (var fleetEvent in events)
        {
            AddEvent(fleetEvent with { At = fleetEvent.At == default ? clock.GetUtcNow() : fleetEvent.At });
        }

        WriteEventsBehind();
        return Task.CompletedTask;
    }
}
