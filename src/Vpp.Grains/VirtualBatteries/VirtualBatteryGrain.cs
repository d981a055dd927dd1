using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Schedules;
using Vpp.Abstractions.VirtualBatteries;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;
using Vpp.Domain.VirtualBatteries;
using Vpp.Grains.Schedules;

namespace Vpp.Grains.VirtualBatteries;

[GenerateSerializer]
public sealed class VirtualBatteryState
{
    [Id(0)] public VirtualBatteryConfig? Spec { get; set; }
    [Id(1)] public double RoundTripEfficiency { get; set; } = 1;
    [Id(2)] public double SocPercent { get; set; }
    [Id(3)] public DateTimeOffset SocAt { get; set; }

    /// <summary>What the slice asks now (its dispatch or slot), before curtailment.</summary>
    [Id(4)] public double PlannedKw { get; set; }

    /// <summary>What the VPP delivers for it now, after its own limits and the fleet's curtailment.</summary>
    [Id(5)] public double SetpointKw { get; set; }
    [Id(6)] public string? Reason { get; set; }

    /// <summary>The standing setpoint of the last dispatch: it holds between scheduled slots (0 after a schedule ran out).</summary>
    [Id(7)] public double StandingKw { get; set; }
    [Id(8)] public List<ScheduledSlotView> Slots { get; set; } = [];
    [Id(9)] public List<SliceSlotRecord> Ledger { get; set; } = [];

    /// <summary>The slice book's number of the setpoint applied last: an older one arriving late is ignored.</summary>
    [Id(10)] public long SetpointVersion { get; set; }

    /// <summary>When the operator deleted the slice; its ledger stays for settlement, nothing else is served.</summary>
    [Id(11)] public DateTimeOffset? DeletedAt { get; set; }
}

/// <summary>
/// A virtual battery: a trader's slice of a fleet's batteries. Thin over the domain: the deliverability check
/// (<see cref="Deliverability"/>) at each dispatch and schedule, the virtual SoC ledger (<see cref="SliceLedger"/>) moved
/// by the setpoints its fleet's slice book gives it, and the book for the allocation rule and netting.
/// </summary>
public sealed class VirtualBatteryGrain(
    [PersistentState("virtualBattery", VppOptions.StorageName)] IPersistentState<VirtualBatteryState> state,
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    IOptions<VppOptions> options) : Grain, IVirtualBatteryDeliveryGrain
{
    /// <summary>How many quarter hours ahead the view shows.</summary>
    public const int ViewQuarters = 8;

    private readonly VppOptions _options = options.Value;

    // Setpoints from the book interleave with this grain's own calls: writes go one at a time.
    private readonly SemaphoreSlim _writes = new(1, 1);

    private VirtualBatteryState S => state.State;

    private string Id => this.GetPrimaryKeyString();

    private ISliceBookShares Book => GrainFactory.GetGrain<ISliceBookShares>(S.Spec!.FleetId);

    public async Task<VirtualBatteryView> ConfigureAsync(VirtualBatteryConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var caller = CallerTrader.Take();
        if (S.Spec is { } owned && !TraderScope.Allows(caller, owned.TraderId))
        {
            throw new NotFoundException("virtualBattery", Id);
        }

        if (!TraderScope.Allows(caller, config.TraderId))
        {
            throw new NotFoundException("trader", config.TraderId);
        }

        var spec = config.ToSpec();
        InvalidInputException.ThrowIfAny(spec.Validate());
        if (S.DeletedAt is { } deletedAt)
        {
            throw new ConflictException("vbId", $"virtual battery '{Id}' was deleted at {deletedAt:O}; its settlement stays under this id, so choose another");
        }
        if (S.Spec is { } existing)
        {
            foreach (var (field, before, after) in new[] { ("traderId", existing.TraderId, spec.TraderId), ("fleetId", existing.FleetId, spec.FleetId) })
            {
                if (before != after)
                {
                    throw new ConflictException(field, $"the virtual battery belongs to {field} '{before}'; it cannot move to '{after}'");
                }
            }
        }

        var efficiency = await GrainFactory.GetGrain<ISliceBookShares>(spec.FleetId).ReserveAsync(Id, config);
        var now = clock.GetUtcNow();
        if (S.Spec is null)
        {
            (S.SocPercent, S.SocAt) = (spec.InitialSocPercent, now);
        }
        else
        {
            Accrue(now);
        }

        (S.Spec, S.RoundTripEfficiency) = (config, efficiency);
        await WriteAsync();
        return View(now);
    }

    public async Task<VirtualBatteryView?> GetAsync()
    {
        if (S.Spec is not { } spec || S.DeletedAt is not null || !TraderScope.Allows(CallerTrader.Take(), spec.TraderId))
        {
            return null;
        }

        // The slice's part of what the fleet can give its slices ahead (planned unavailabilities lower it).
        var now = clock.GetUtcNow();
        var shares = await GrainFactory.GetGrain<ISliceBookShares>(spec.FleetId).GetShareAheadAsync(Id, QuarterHour.Floor(now), ViewQuarters);
        return S.Spec is null || S.DeletedAt is not null ? null : View(now, shares.ToDictionary(r => r.Start, r => new PowerRange(r.MinKw, r.MaxKw)));
    }

    /// <summary>The operator's: a caller acting for a trader, even the owner, is told it does not exist.</summary>
    public async Task DeleteAsync()
    {
        RequireSpec(CallerTrader.Take() is null);
        var now = clock.GetUtcNow();
        Accrue(now);
        await Book.ReleaseAsync(Id);
        (S.PlannedKw, S.SetpointKw, S.StandingKw, S.Reason, S.Slots, S.DeletedAt) = (0, 0, 0, null, [], now);
        await WriteAsync();
    }

    public Task<DeletedSliceView?> GetDeletedAsync() =>
        Task.FromResult(S.Spec is { } spec && S.DeletedAt is { } at && TraderScope.Allows(CallerTrader.Take(), spec.TraderId)
            ? new DeletedSliceView(Id, spec, at) : null);

    public async Task<VirtualBatteryView> DispatchAsync(double targetKw)
    {
        var spec = RequireCallersSpec();
        if (!double.IsFinite(targetKw))
        {
            throw new InvalidInputException("targetKw", "must be a finite number");
        }

        var now = clock.GetUtcNow();
        var plan = new SlicePlan(targetKw, targetKw, Ahead(now));
        ThrowIfUndeliverable(Deliverability.Check(spec, S.RoundTripEfficiency, SocNow(now), plan, now, q => q.SlotIndex is null || q.Start <= now ? "targetKw" : "slots"));
        S.StandingKw = targetKw;
        await RequestNowAsync(now, targetKw, fromSlot: false);
        return View(now);
    }

    public async Task<VirtualBatteryView> SubmitScheduleAsync(ScheduleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var spec = RequireCallersSpec();
        var now = clock.GetUtcNow();
        var errors = new FieldErrors();
        var submission = ScheduleRequests.ToSubmission(request, errors);
        InvalidInputException.ThrowIfAny(errors.Errors);

        // Power is the slice's own limit, refused below with its reason; this only keeps numbers sane.
        InvalidInputException.ThrowIfAny(submission!.Validate(new PowerRange(-VirtualBatterySpec.MaxPowerKw, VirtualBatterySpec.MaxPowerKw), now));
        var submitted = submission.ToSlots();
        var schedule = Schedule.Of(S.Slots.Select(s => new ScheduledSlot(s.Start, s.TargetKw))).With(submitted).EndedBefore(now - _options.ScheduleHistoryRetention);
        var current = submitted.Where(s => s.Contains(now)).Select(s => (ScheduledSlot?)s).FirstOrDefault();
        var currentKw = current?.TargetKw ?? S.PlannedKw;
        var ahead = schedule.Between(now, DateTimeOffset.MaxValue);
        var plan = new SlicePlan(currentKw, S.StandingKw, ahead);
        var indexOf = submitted.Select((s, i) => (s.Start, i)).ToDictionary(p => p.Start, p => p.i);
        ThrowIfUndeliverable(Deliverability.Check(spec, S.RoundTripEfficiency, SocNow(now), plan, now,
            q => q.SlotIndex is { } i && indexOf.TryGetValue(ahead[i].Start, out var submittedIndex) ? $"slots[{submittedIndex}].targetKw" : "slots"));

        S.Slots = [.. schedule.Slots.Select(s => new ScheduledSlotView(s.Start, s.End, s.TargetKw))];
        if (current is not null)
        {
            await RequestNowAsync(now, currentKw, fromSlot: true);
        }
        else
        {
            await WriteAsync();
        }

        return View(now);
    }

    public Task<SliceSlotRecord[]> GetLedgerAsync(DateTimeOffset from, DateTimeOffset to)
    {
        _ = S.Spec ?? throw new NotFoundException("virtualBattery", Id); // a deleted slice's ledger stays for settlement
        var now = clock.GetUtcNow();

        // The quarter hour in progress is shown up to now, without storing the partial accrual.
        var quarters = S.Ledger.Where(r => r.Start >= QuarterHour.Floor(from) && r.Start < to).ToDictionary(r => r.Start, ToQuarter);
        SliceLedger.Accrue(quarters, S.Spec!.ToSpec().Store(S.RoundTripEfficiency), S.SocPercent, S.SocAt, now, S.PlannedKw, S.SetpointKw, S.Reason);
        return Task.FromResult(quarters.Values.Where(q => q.Start >= QuarterHour.Floor(from) && q.Start < to).OrderBy(q => q.Start).Select(ToRecord).ToArray());
    }

    public Task<SliceRequest> RequestFromAsync(DateTimeOffset boundary)
    {
        if (S.Spec is not { } config || S.DeletedAt is not null)
        {
            return Task.FromResult(new SliceRequest(Id, 0, 0, null, false));
        }

        var (plannedKw, index) = new SlicePlan(S.PlannedKw, S.StandingKw, Ahead(boundary)).KwFrom(boundary);
        var soc = SliceLedger.SocAt(config.ToSpec().Store(S.RoundTripEfficiency), S.SocPercent, S.SocAt, boundary, S.SetpointKw);
        var (kw, reason) = Deliverability.Limit(config.ToSpec(), S.RoundTripEfficiency, soc, boundary, plannedKw);
        return Task.FromResult(new SliceRequest(Id, plannedKw, kw, reason is { } r ? r.ToString().ToLowerInvariant() : null, index is not null));
    }

    public async Task ApplySetpointAsync(SliceSetpoint setpoint)
    {
        if (S.Spec is null || S.DeletedAt is not null || setpoint.Version < S.SetpointVersion)
        {
            return;
        }

        Apply(setpoint);
        await WriteAsync();
    }

    /// <summary>The slice asks for <paramref name="kw"/> from now: the book nets it with the others and answers its setpoint.</summary>
    private async Task RequestNowAsync(DateTimeOffset now, double kw, bool fromSlot)
    {
        var setpoint = await Book.SetRequestAsync(new SliceRequest(Id, kw, kw, null, fromSlot));
        if (setpoint.Version >= S.SetpointVersion)
        {
            Apply(setpoint with { At = now > setpoint.At ? now : setpoint.At });
        }

        await WriteAsync();
    }

    private void Apply(SliceSetpoint setpoint)
    {
        Accrue(setpoint.At);
        S.PlannedKw = setpoint.PlannedKw;
        S.SetpointKw = setpoint.SetpointKw;
        S.Reason = setpoint.Reason;
        S.SetpointVersion = setpoint.Version;
        if (!setpoint.FromSlot)
        {
            S.StandingKw = setpoint.PlannedKw;
        }
    }

    /// <summary>Books the setpoints held since the last change into the ledger, up to <paramref name="until"/>.</summary>
    private void Accrue(DateTimeOffset until)
    {
        if (until <= S.SocAt)
        {
            return;
        }

        var quarters = S.Ledger.ToDictionary(r => r.Start, ToQuarter);
        S.SocPercent = SliceLedger.Accrue(quarters, S.Spec!.ToSpec().Store(S.RoundTripEfficiency), S.SocPercent, S.SocAt, until, S.PlannedKw, S.SetpointKw, S.Reason);
        S.SocAt = until;
        var cutoff = until - _options.SettlementRetention;
        S.Ledger = [.. quarters.Values.Where(q => q.Start >= cutoff).OrderBy(q => q.Start).Select(ToRecord)];
    }

    public Task<SliceProjection?> ProjectAsync(DateTimeOffset until)
    {
        if (S.Spec is not { } spec || S.DeletedAt is not null)
        {
            return Task.FromResult<SliceProjection?>(null);
        }

        // The quarter hour in progress delivers the setpoint in force (the plan's, or less where the book curtailed it).
        var now = clock.GetUtcNow();
        var plan = new SlicePlan(S.SetpointKw, S.StandingKw, Ahead(now));
        var (quarters, socAt) = SliceOutlook.Until(spec.ToSpec(), S.RoundTripEfficiency, SocNow(now), plan, now, until, PlannedRanges.MaxSlots);
        return Task.FromResult<SliceProjection?>(
            new SliceProjection(View(now), QuarterHour.Floor(now), [.. quarters.Select(q => q.Kw)], Math.Round(socAt, 6)));
    }

    private double SocNow(DateTimeOffset now) =>
        SliceLedger.SocAt(S.Spec!.ToSpec().Store(S.RoundTripEfficiency), S.SocPercent, S.SocAt, now, S.SetpointKw);

    /// <summary>The slots from the quarter hour before <paramref name="now"/>'s on: whether that one was scheduled decides a release to 0 kW.</summary>
    private List<ScheduledSlot> Ahead(DateTimeOffset now) =>
        [.. S.Slots.Where(s => s.End >= QuarterHour.Floor(now)).Select(s => new ScheduledSlot(s.Start, s.TargetKw))];

    private VirtualBatteryView View(DateTimeOffset now, IReadOnlyDictionary<DateTimeOffset, PowerRange>? shareKw = null)
    {
        var soc = SocNow(now);
        var plan = new SlicePlan(S.PlannedKw, S.StandingKw, Ahead(now));
        var outlook = SliceOutlook.Ahead(S.Spec!.ToSpec(), S.RoundTripEfficiency, soc, plan, now, ViewQuarters, shareKw);
        var next = outlook.Select(o => new PlannedSlotView(o.Quarter.Start, o.Quarter.End, o.Quarter.Kw, o.Quarter.SlotIndex is not null,
            Math.Round(o.SocStartPercent, 6), Math.Max(0, o.AvailableKw.MaxKw), Math.Max(0, -o.AvailableKw.MinKw),
            Math.Round(o.AvailableDischargeKwh, 6), Math.Round(o.AvailableChargeKwh, 6))).ToArray();
        var available = outlook[0].AvailableKw; // the quarter hour in progress, from now to its end
        return new VirtualBatteryView(Id, S.Spec!, Math.Round(soc, 6), S.PlannedKw, S.SetpointKw, S.Reason,
            Math.Max(0, available.MaxKw), Math.Max(0, -available.MinKw), next, S.RoundTripEfficiency, now);
    }

    private VirtualBatterySpec RequireSpec(bool visible = true) =>
        visible && S.DeletedAt is null && S.Spec is { } spec ? spec.ToSpec() : throw new NotFoundException("virtualBattery", Id);

    /// <summary>The slice, when it exists and the caller's trader (<see cref="TraderScope"/>) may trade it.</summary>
    private VirtualBatterySpec RequireCallersSpec() => RequireSpec(S.Spec is not { } spec || TraderScope.Allows(CallerTrader.Take(), spec.TraderId));

    private static void ThrowIfUndeliverable(Undeliverable? refusal)
    {
        if (refusal is not null)
        {
            throw new UndeliverableException(refusal.ReasonName, refusal.Field, refusal.Message);
        }
    }

    private async Task WriteAsync()
    {
        await _writes.WaitAsync();
        try
        {
            await state.WriteStateAsync();
        }
        finally
        {
            _writes.Release();
        }
    }

    private static SliceQuarter ToQuarter(SliceSlotRecord r) => new(r.Start, r.RequestedKwh, r.SetpointKwh, r.SocEndPercent, r.CurtailmentReason);

    private static SliceSlotRecord ToRecord(SliceQuarter q) => new(q.Start, q.RequestedKwh, q.SetpointKwh, q.SocEndPercent, q.CurtailmentReason);
}
