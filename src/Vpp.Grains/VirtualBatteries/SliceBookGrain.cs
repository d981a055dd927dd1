using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.VirtualBatteries;
using Vpp.Domain.Schedules;
using Vpp.Domain.VirtualBatteries;
using Vpp.Grains.Scheduling;

namespace Vpp.Grains.VirtualBatteries;

[GenerateSerializer]
public sealed class SliceBookEntry
{
    [Id(0)] public VirtualBatteryConfig Spec { get; set; } = null!;
    [Id(1)] public double PlannedKw { get; set; }
    [Id(2)] public double RequestKw { get; set; }
    [Id(3)] public double SetpointKw { get; set; }
    [Id(4)] public string? OwnReason { get; set; }
    [Id(5)] public string? Reason { get; set; }
    [Id(6)] public bool FromSlot { get; set; }
}

[GenerateSerializer]
public sealed class SliceBookState
{
    [Id(0)] public Dictionary<string, SliceBookEntry> Slices { get; set; } = [];

    /// <summary>The quarter hour whose requests were applied last.</summary>
    [Id(1)] public DateTimeOffset? AppliedSlot { get; set; }

    /// <summary>The quarter hour re-validated last, and the share of every request announced as curtailed for it.</summary>
    [Id(2)] public DateTimeOffset? RevalidatedSlot { get; set; }
    [Id(3)] public double RevalidatedShare { get; set; }

    /// <summary>Numbers the setpoints given out, so a slice can ignore one that arrives after a newer one.</summary>
    [Id(4)] public long Version { get; set; }

    /// <summary>The net last sent to the fleet; null while none was (the fleet's base target then has no slice part).</summary>
    [Id(5)] public double? SentNetKw { get; set; }

    /// <summary>Slices deleted within the settlement retention: their past setpoints still count in the slots' settlement.</summary>
    [Id(6)] public Dictionary<string, DeletedSliceView> Deleted { get; set; } = [];

    /// <summary>
    /// The share the energy check announced for <see cref="RevalidatedSlot"/>, and of which requests: +1 discharging,
    /// −1 charging, 0 none (<see cref="SliceEnergy"/>).
    /// </summary>
    [Id(7)] public double RevalidatedEnergyShare { get; set; }
    [Id(8)] public int RevalidatedEnergyDirection { get; set; }
}

/// <summary>
/// A fleet's slice book. Requests arrive one at a time (the grain is not reentrant), and the fleet checks the allocation
/// rule for each against every slice booked before and its FCR awards in one turn: two slices, or a slice and an award,
/// asked at once cannot overbook. It nets the slices' setpoints into
/// the fleet's slice component, curtailing every slice by the same share (<see cref="SliceNetting.ProRata"/>) when the
/// fleet's online batteries cannot deliver the net. Before each quarter hour (Vpp:VirtualBatteries:RevalidationLead)
/// it re-validates the next slot against what the fleet can deliver then and records one event per trader whose
/// slices will be curtailed; at the quarter hour it applies the slot.
/// </summary>
public sealed partial class SliceBookGrain(
    [PersistentState("sliceBook", VppOptions.StorageName)] IPersistentState<SliceBookState> state,
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    IOptions<VppOptions> options,
    ILogger<SliceBookGrain> logger) : Grain, ISliceBookShares, IRemindable
{
    public const string SlotReminder = "slice-book-slot";

    private readonly VppOptions _options = options.Value;
    private BoundaryAlarm _alarm = null!;

    private SliceBookState S => state.State;

    private string FleetId => this.GetPrimaryKeyString();

    private IFleetSlicesGrain Fleet => GrainFactory.GetGrain<IFleetSlicesGrain>(FleetId);

    private TimeSpan Lead => _options.VirtualBatteries.RevalidationLead;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _alarm = new BoundaryAlarm(this, SlotReminder, clock, _options, OnDueAsync, logger);
        if (S.Slices.Count > 0)
        {
            await _alarm.ArmAsync(DueAt(clock.GetUtcNow()));
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == SlotReminder ? OnDueAsync() : Task.CompletedTask;

    public async Task<double> ReserveAsync(string virtualBatteryId, VirtualBatteryConfig config)
    {
        // The fleet decides: it checks the slice against the others and its FCR awards in one turn (SliceAllocation.Refusal).
        var others = S.Slices.Where(p => p.Key != virtualBatteryId).ToDictionary(p => p.Key, p => p.Value.Spec, StringComparer.Ordinal);
        var capacity = await Fleet.AdmitSliceAsync(virtualBatteryId, config, others);
        var spec = config.ToSpec();

        if (S.Slices.TryGetValue(virtualBatteryId, out var entry))
        {
            entry.Spec = config;
        }
        else
        {
            S.Slices[virtualBatteryId] = new SliceBookEntry { Spec = config };
        }

        await state.WriteStateAsync();
        LogReserved(FleetId, virtualBatteryId, spec.TraderId, spec.PowerKw, spec.EnergyKwh);
        await _alarm.ArmAsync(DueAt(clock.GetUtcNow()));
        return capacity.RoundTripEfficiency;
    }

    public async Task<SliceSetpoint> SetRequestAsync(SliceRequest request)
    {
        if (!S.Slices.TryGetValue(request.VirtualBatteryId, out var entry))
        {
            throw new NotFoundException("virtualBattery", request.VirtualBatteryId);
        }

        Take(entry, request);
        var now = clock.GetUtcNow();
        var share = S.RevalidatedSlot == QuarterHour.Floor(now) ? S.RevalidatedShare : 0;
        await NetAsync(now, requestedFrom: null, share, notifyAllBut: request.VirtualBatteryId, notifyUnchanged: false);
        return SetpointOf(now, entry);
    }

    public async Task ReleaseAsync(string virtualBatteryId)
    {
        if (!S.Slices.Remove(virtualBatteryId, out var entry))
        {
            return;
        }

        var now = clock.GetUtcNow();
        S.Deleted[virtualBatteryId] = new DeletedSliceView(virtualBatteryId, entry.Spec, now);
        foreach (var old in S.Deleted.Values.Where(d => d.DeletedAt < now - _options.SettlementRetention).ToList())
        {
            S.Deleted.Remove(old.VirtualBatteryId);
        }

        // Stored first: the slice is out of the book even if the fleet cannot take the new net now (the next slot sends it).
        await state.WriteStateAsync();
        await Fleet.ReleaseSliceAsync(virtualBatteryId);
        LogReleased(FleetId, virtualBatteryId, entry.Spec.TraderId);
        var share = S.RevalidatedSlot == QuarterHour.Floor(now) ? S.RevalidatedShare : 0;
        await NetAsync(now, requestedFrom: null, share, notifyAllBut: null, notifyUnchanged: false);
        await _alarm.ArmAsync(DueAt(now));
    }

    /// <summary>The operator's view: a caller acting for a trader (<see cref="TraderScope"/>) would see the others' slices, so it is told the book does not exist.</summary>
    public async Task<SliceBookView> GetAsync()
    {
        if (CallerTrader.Take() is not null)
        {
            throw new NotFoundException("sliceBook", FleetId);
        }

        var capacity = await Fleet.GetSliceCapacityAsync();

        // Free for a slice without a window: it overlaps every slice and every FCR award.
        var free = capacity is null ? default : SliceAllocation.Free(
            new VirtualBatterySpec("", FleetId, 0, 0, 0), S.Slices.Values.Select(e => e.Spec.ToSpec()), capacity.ToCapacity(), _options.VirtualBatteries.ReservePercent);
        return new SliceBookView(
            FleetId,
            [.. S.Slices.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new SliceEntryView(p.Key, p.Value.Spec, p.Value.RequestKw, p.Value.SetpointKw, p.Value.Reason))],
            SliceNetting.NetKw(S.Slices.Values.Select(e => e.SetpointKw)),
            free.PowerKw,
            free.EnergyKwh,
            [.. S.Deleted.Values.OrderBy(d => d.VirtualBatteryId, StringComparer.Ordinal)]);
    }

    public async Task<SliceRangeAhead[]> GetShareAheadAsync(string virtualBatteryId, DateTimeOffset from, int quarters)
    {
        if (!S.Slices.TryGetValue(virtualBatteryId, out var entry))
        {
            return [];
        }

        var specs = S.Slices.Values.Select(e => e.Spec.ToSpec()).ToList();
        var spec = entry.Spec.ToSpec();
        return [.. (await Fleet.GetSliceRangesAheadAsync(from, quarters, _options.VirtualBatteries.AheadRefresh)).Select(r =>
        {
            var soldPowerKw = specs.Where(s => s.Overlaps(r.Start, r.Start + QuarterHour.Length)).Sum(s => s.PowerKw);
            var share = SliceAvailability.Share(new PowerRange(r.MinKw, r.MaxKw), spec.PowerKw, soldPowerKw);
            return r with { MinKw = share.MinKw, MaxKw = share.MaxKw };
        })];
    }

    public Task<VirtualBatteryConfig[]> GetSoldAsync() => Task.FromResult(S.Slices.Values.Select(e => e.Spec).ToArray());

    /// <summary>
    /// Applies the quarter hour in force when it was not yet applied, and re-validates the next one once it is within
    /// the lead; then arms for whichever comes next. Safe to run early or twice.
    /// </summary>
    private async Task OnDueAsync()
    {
        var now = clock.GetUtcNow();
        try
        {
            if (S.Slices.Count == 0)
            {
                await _alarm.DisarmAsync();
                return;
            }

            var current = QuarterHour.Floor(now);
            if (S.AppliedSlot != current)
            {
                await ApplySlotAsync(current);
            }

            var next = current + QuarterHour.Length;
            if (now >= next - Lead && S.RevalidatedSlot != next)
            {
                await RevalidateAsync(next);
            }
        }
        catch (Exception ex)
        {
            LogSlotFailed(FleetId, ex.GetBaseException().Message);
            _alarm.RetrySoon();
            return;
        }

        await _alarm.ArmAsync(DueAt(now));
    }

    private DateTimeOffset? DueAt(DateTimeOffset now)
    {
        if (S.Slices.Count == 0)
        {
            return null;
        }

        var current = QuarterHour.Floor(now);
        var next = current + QuarterHour.Length;
        return S.AppliedSlot != current ? now : S.RevalidatedSlot == next ? next : next - Lead;
    }

    /// <summary>Each slice's request from the quarter hour on; the fleet's slice component and every slice's setpoint.</summary>
    private async Task ApplySlotAsync(DateTimeOffset slot)
    {
        var requests = await RequestsFromAsync(slot);
        foreach (var request in requests)
        {
            Take(S.Slices[request.VirtualBatteryId], request);
        }

        var announced = S.RevalidatedSlot == slot ? S.RevalidatedShare : 0;
        var curtailment = await NetAsync(slot, requestedFrom: slot, announced, notifyAllBut: null, notifyUnchanged: true);
        if (curtailment.CurtailedShare > announced + 1e-9)
        {
            await RecordCurtailmentEventsAsync(slot, curtailment, "at the start of the slot");
        }

        S.AppliedSlot = slot;
        await state.WriteStateAsync();
    }

    /// <summary>
    /// The next slot against what the fleet can deliver then: the online batteries now (outages and unavailabilities
    /// in force lower it) less those planned to be out at any time in the slot; then the slices' net energy over the
    /// slot against the energy the online batteries can deliver or absorb by then (<see cref="SliceEnergy"/>). When
    /// either does not fit, the share the slices lose is announced, one event per trader and reason, and held for the slot.
    /// </summary>
    private async Task RevalidateAsync(DateTimeOffset slot)
    {
        var requests = await RequestsFromAsync(slot);
        var range = (await Fleet.GetSliceRangesAheadAsync(slot, 1, TimeSpan.Zero)) is [var ahead] ? ahead : throw new NotFoundException("fleet", FleetId);
        var curtailment = SliceNetting.ProRata([.. requests.Select(r => r.RequestKw)], new PowerRange(range.MinKw, range.MaxKw));
        var energy = SliceEnergy.Fit(curtailment.SetpointsKw, range.DeliverableKwh, range.AbsorbableKwh);
        (S.RevalidatedSlot, S.RevalidatedShare) = (slot, curtailment.CurtailedShare);
        (S.RevalidatedEnergyShare, S.RevalidatedEnergyDirection) = (energy.CurtailedShare, energy.Direction);
        var when = $"{Lead.TotalMinutes:0.#} min before the slot";
        if (curtailment.Curtailed)
        {
            await RecordCurtailmentEventsAsync(slot, curtailment, when, requests);
        }

        if (energy.Curtailed)
        {
            await RecordEnergyCurtailmentEventsAsync(slot, energy, when, requests);
        }

        await state.WriteStateAsync();
    }

    private async Task<SliceRequest[]> RequestsFromAsync(DateTimeOffset boundary) =>
        await Task.WhenAll(S.Slices.Keys.Order(StringComparer.Ordinal).Select(id => GrainFactory.GetGrain<IVirtualBatteryDeliveryGrain>(id).RequestFromAsync(boundary)));

    /// <summary>
    /// Curtails the current requests pro rata to what the fleet can deliver (at least by <paramref name="share"/>),
    /// sends the net to the fleet when it changed, stores the setpoints and tells the slices theirs.
    /// </summary>
    private async Task<SliceCurtailment> NetAsync(DateTimeOffset at, DateTimeOffset? requestedFrom, double share, string? notifyAllBut, bool notifyUnchanged)
    {
        var capacity = await Fleet.GetSliceCapacityAsync() ?? throw new NotFoundException("fleet", FleetId);
        var ids = S.Slices.Keys.Order(StringComparer.Ordinal).ToArray();
        var entries = ids.Select(id => S.Slices[id]).ToArray();
        var byPower = SliceNetting.ProRata([.. entries.Select(e => e.RequestKw)], new PowerRange(capacity.AvailableMinKw, capacity.AvailableMaxKw), share);

        // The energy curtailment announced for the slot holds through it.
        var energy = S.RevalidatedSlot == QuarterHour.Floor(at)
            ? SliceEnergy.Curtail(byPower.SetpointsKw, S.RevalidatedEnergyDirection, S.RevalidatedEnergyShare)
            : SliceEnergy.Curtail(byPower.SetpointsKw, 0, 0);
        var curtailment = byPower with { SetpointsKw = energy.SetpointsKw };
        var changed = new List<string>();
        S.Version++;
        for (var i = 0; i < entries.Length; i++)
        {
            var setpointKw = Math.Round(curtailment.SetpointsKw[i], 6);
            var reason = energy.Curtailed && Math.Sign(entries[i].RequestKw) == energy.Direction ? CurtailmentReasons.Energy
                : byPower.Curtailed && entries[i].RequestKw != 0 ? CurtailmentReasons.FleetCapacity
                : entries[i].OwnReason;
            if (notifyUnchanged || setpointKw != entries[i].SetpointKw || reason != entries[i].Reason)
            {
                changed.Add(ids[i]);
            }

            (entries[i].SetpointKw, entries[i].Reason) = (setpointKw, reason);
        }

        var netKw = Math.Round(curtailment.NetKw, 6);
        if (S.SentNetKw != netKw && (S.SentNetKw is not null || netKw != 0))
        {
            await Fleet.SetSlicesTargetAsync(netKw, requestedFrom);
            S.SentNetKw = netKw;
        }

        await state.WriteStateAsync();
        await Task.WhenAll(changed.Where(id => id != notifyAllBut)
            .Select(id => GrainFactory.GetGrain<IVirtualBatteryDeliveryGrain>(id).ApplySetpointAsync(SetpointOf(at, S.Slices[id]))));
        return curtailment;
    }

    /// <summary>One event per trader whose slices lose a share of their request in <paramref name="slot"/> because the fleet's power falls short.</summary>
    private Task RecordCurtailmentEventsAsync(DateTimeOffset slot, SliceCurtailment curtailment, string when, SliceRequest[]? requests = null) =>
        RecordEventsAsync(
            slot, curtailment.SetpointsKw, curtailment.CurtailedShare, CurtailmentReasons.FleetCapacity, requests,
            $"the fleet cannot deliver its virtual batteries' net, so every slice is curtailed by {curtailment.CurtailedShare * 100:0.##} % ({when})");

    /// <summary>One event per trader whose slices asking in the binding direction lose a share because the batteries' energy falls short.</summary>
    private Task RecordEnergyCurtailmentEventsAsync(DateTimeOffset slot, SliceEnergyCurtailment energy, string when, SliceRequest[] requests) =>
        RecordEventsAsync(
            slot, energy.SetpointsKw, energy.CurtailedShare, CurtailmentReasons.Energy, requests,
            $"the online batteries' state of charge cannot {(energy.Direction > 0 ? "deliver" : "absorb")} the virtual batteries' net energy over the slot, "
            + $"so every {(energy.Direction > 0 ? "discharging" : "charging")} slice is curtailed by {energy.CurtailedShare * 100:0.##} % ({when})");

    /// <summary>
    /// One <see cref="FleetEventKinds.SliceCurtailment"/> event per trader whose slices get less than they ask in
    /// <paramref name="slot"/>; <see cref="SliceCurtailmentEvent.Status"/> carries the curtailment reason.
    /// </summary>
    private async Task RecordEventsAsync(DateTimeOffset slot, double[] setpointsKw, double share, string reason, SliceRequest[]? requests, string why)
    {
        var ids = S.Slices.Keys.Order(StringComparer.Ordinal).ToArray();
        var events = ids
            .Select((id, i) => (Id: id, S.Slices[id].Spec.TraderId, RequestKw: requests?[i].RequestKw ?? S.Slices[id].RequestKw, SetpointKw: setpointsKw[i]))
            .Where(s => s.RequestKw != 0 && Math.Abs(s.RequestKw - s.SetpointKw) > 1e-9)
            .GroupBy(s => s.TraderId, StringComparer.Ordinal)
            .Select(FleetEvent (g) => new SliceCurtailmentEvent(
                0, clock.GetUtcNow(),
                $"Slot {slot:yyyy-MM-dd HH:mm}Z: {why}; trader {g.Key}: {g.Sum(s => s.RequestKw):0.###} kW asked, {g.Sum(s => s.SetpointKw):0.###} kW given",
                Status: reason,
                TargetKw: Math.Round(g.Sum(s => s.RequestKw), 3), AllocatedKw: Math.Round(g.Sum(s => s.SetpointKw), 3),
                ShortfallKw: Math.Round(g.Sum(s => s.RequestKw - s.SetpointKw), 3),
                TraderId: g.Key, VirtualBatteryIds: [.. g.Select(s => s.Id)]))
            .ToArray();
        if (events.Length > 0)
        {
            await Fleet.RecordSliceEventsAsync(events);
            LogCurtailed(FleetId, slot, reason, share * 100, events.Length);
        }
    }

    private static void Take(SliceBookEntry entry, SliceRequest request) =>
        (entry.PlannedKw, entry.RequestKw, entry.OwnReason, entry.FromSlot) = (request.PlannedKw, request.RequestKw, request.Reason, request.FromSlot);

    private SliceSetpoint SetpointOf(DateTimeOffset at, SliceBookEntry entry) =>
        new(at, entry.PlannedKw, entry.SetpointKw, entry.Reason, entry.FromSlot, S.Version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet {FleetId}: virtual battery {VirtualBatteryId} of trader {TraderId} booked ({PowerKw} kW, {EnergyKwh} kWh)")]
    private partial void LogReserved(string fleetId, string virtualBatteryId, string traderId, double powerKw, double energyKwh);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet {FleetId}: virtual battery {VirtualBatteryId} of trader {TraderId} deleted; its capacity is free")]
    private partial void LogReleased(string fleetId, string virtualBatteryId, string traderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet {FleetId}: slot {Slot} curtails virtual batteries ({Reason}) by {SharePercent} % ({Traders} trader(s) told)")]
    private partial void LogCurtailed(string fleetId, DateTimeOffset slot, string reason, double sharePercent, int traders);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet {FleetId}: could not apply or re-validate the virtual batteries' slot (retrying): {Error}")]
    private partial void LogSlotFailed(string fleetId, string error);
}
