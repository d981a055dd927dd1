using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Schedules;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;
using Vpp.Grains.Optimisation;
using Vpp.Grains.Scheduling;

namespace Vpp.Grains.Schedules;

/// <summary>
/// A fleet's schedule. Thin over the domain's <see cref="Schedule"/>: validates submissions against the fleet's range planned for each slot,
/// stores the slots, and at each slot boundary dispatches the slot's target through the fleet. When a slot ends with
/// no slot after it, the fleet is dispatched to 0 kW (no slot, no market position). After a restart or deactivation
/// the reminder (or any call) reactivates it, and the current slot is dispatched unless it already was.
/// </summary>
public sealed partial class FleetScheduleGrain(
    [PersistentState("fleetSchedule", VppOptions.StorageName)] IPersistentState<FleetScheduleState> state,
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    IOptions<VppOptions> options,
    ILogger<FleetScheduleGrain> logger) : Grain, IFleetScheduleGrain, IRemindable
{
    public const string BoundaryReminder = "fleet-schedule-boundary";

    /// <summary>What a read without a range shows: this much from the current quarter hour on.</summary>
    public static readonly TimeSpan DefaultGetSpan = TimeSpan.FromDays(2);

    /// <summary>No power limit: the first check of a submission, of its form and clock, before the fleet's ranges are read.</summary>
    private static readonly PowerRange AnyPowerKw = new(double.NegativeInfinity, double.PositiveInfinity);

    private readonly VppOptions _options = options.Value;
    private Schedule _schedule = Schedule.Empty;
    private BoundaryAlarm _alarm = null!;

    private string FleetId => this.GetPrimaryKeyString();

    private FleetScheduleState S => state.State;

    private IFleetGrain Fleet => GrainFactory.GetGrain<IFleetGrain>(FleetId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _schedule = ScheduleRequests.ToSchedule(S.Slots);
        _alarm = new BoundaryAlarm(this, BoundaryReminder, clock, _options, ApplyDueAsync, logger);

        // Catch up right after activation (not inside it, so the call that woke the grain is not kept waiting).
        if (S.Slots.Count > 0)
        {
            await _alarm.ArmAsync(clock.GetUtcNow());
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == BoundaryReminder ? ApplyDueAsync() : Task.CompletedTask;

    public async Task<ScheduleView> SubmitAsync(ScheduleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        var errors = new FieldErrors();
        var submission = ScheduleRequests.ToSubmission(request, errors);
        InvalidInputException.ThrowIfAny(errors.Errors);

        var fleet = await Fleet.GetAsync() ?? throw new NotFoundException("fleet", FleetId);
        InvalidInputException.ThrowIfAny(submission!.Validate(AnyPowerKw, now));
        var slots = submission.ToSlots();

        // Each slot is judged by the fleet's range planned for it (PlannedRanges): one rule for a trader's schedule and an applied proposal.
        var from = QuarterHour.Floor(now);
        var planSlots = PlannedRanges.SlotsFor(from, slots.Max(s => s.End));
        var ranges = (await FleetPlan.ReadAsync(GrainFactory, FleetId, from, planSlots, now, _options)).Ranges(from, planSlots);
        InvalidInputException.ThrowIfAny(submission.Validate(ranges.At, now));
        InvalidInputException.ThrowIfAny(FcrBandErrors(slots, ranges, Abstractions.GridServices.FcrAwardView.Book(fleet.Services.Fcr?.Awards)));
        var schedule = _schedule.With(slots).EndedBefore(now - _options.ScheduleHistoryRetention);
        var warnings = ScheduleRequests.Warnings(schedule, slots, fleet, ranges, now);

        await StoreAsync(schedule, replacesCurrentSlot: slots.Any(s => s.Contains(now)));
        LogSubmitted(FleetId, slots.Count, slots[0].Start, warnings.Length);
        return new ScheduleView(FleetId, [.. schedule.Between(now, DateTimeOffset.MaxValue).Select(ScheduleRequests.ToView)], warnings, S.AppliedSlotStart);
    }

    public async Task<ScheduleView> GetAsync(DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from is null && to is null)
        {
            from = QuarterHour.Floor(clock.GetUtcNow());
            to = from + DefaultGetSpan;
        }

        var range = ValidRange(from, to);
        _ = await Fleet.GetAsync() ?? throw new NotFoundException("fleet", FleetId);
        return new ScheduleView(FleetId, [.. _schedule.Between(range.From, range.To).Select(ScheduleRequests.ToView)], [], S.AppliedSlotStart);
    }

    public async Task<int> DeleteAsync(DateTimeOffset? from, DateTimeOffset? to)
    {
        var range = ValidRange(from, to);
        _ = await Fleet.GetAsync() ?? throw new NotFoundException("fleet", FleetId);
        var removed = _schedule.Between(range.From, range.To);
        if (removed.Count > 0)
        {
            var now = clock.GetUtcNow();
            await StoreAsync(ScheduleRequests.ToSchedule(S.Slots.Where(s => s.End <= range.From || s.Start >= range.To)), replacesCurrentSlot: removed.Any(s => s.Contains(now)));
        }

        return removed.Count;
    }

    /// <summary>
    /// Every slot in an FCR award's delivery period must leave its band free both ways: the award is an obligation to
    /// the TSO for that period, and only for it.
    /// </summary>
    private static IReadOnlyList<FieldError> FcrBandErrors(IReadOnlyList<ScheduledSlot> slots, PlannedRanges ranges, Domain.GridServices.FcrAwardBook awards)
    {
        var errors = new FieldErrors();
        for (var i = 0; i < slots.Count; i++)
        {
            var slot = slots[i];
            Domain.GridServices.FcrBand.CheckBase(errors, $"slots[{i}].targetKw", slot.TargetKw, ranges.At(slot.Start), awards.MaxKw(slot.Start, slot.End));
        }

        return errors.Errors;
    }

    private static SlotRange ValidRange(DateTimeOffset? from, DateTimeOffset? to)
    {
        var errors = new FieldErrors();
        var range = SlotRange.Parse(errors, from, to);
        InvalidInputException.ThrowIfAny(errors.Errors);
        return range!.Value;
    }

    private async Task StoreAsync(Schedule schedule, bool replacesCurrentSlot)
    {
        var before = (S.Slots, S.AppliedSlotStart);
        S.Slots = [.. schedule.Slots.Select(ScheduleRequests.ToView)];
        if (replacesCurrentSlot && schedule.SlotAt(clock.GetUtcNow()) is not null)
        {
            S.AppliedSlotStart = null; // the slot in force changed: dispatch it again now
        }

        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            (S.Slots, S.AppliedSlotStart) = before; // refused means unchanged
            throw;
        }

        _schedule = schedule;
        await _alarm.ArmAsync(DueAt(clock.GetUtcNow()));
    }

    /// <summary>
    /// When the fleet must next be dispatched: now if the slot in force was not dispatched yet, or if the last one
    /// dispatched has ended (or was deleted) with nothing after it and the fleet was not returned to 0 kW yet.
    /// </summary>
    private DateTimeOffset? DueAt(DateTimeOffset now)
    {
        var current = _schedule.SlotAt(now);
        var pending = current is { } slot
            ? S.AppliedSlotStart != slot.Start
            : S.AppliedSlotStart is not null && !S.Released;
        return pending ? now : ScheduleRequests.NextBoundary(_schedule, now);
    }

    /// <summary>Dispatches what is due now, then arms for the next boundary. Safe to run early or twice.</summary>
    private async Task ApplyDueAsync()
    {
        var now = clock.GetUtcNow();
        try
        {
            if (_schedule.SlotAt(now) is { } slot)
            {
                if (S.AppliedSlotStart != slot.Start)
                {
                    var changed = S.Released || S.AppliedTargetKw != slot.TargetKw;
                    await DispatchAsync(slot.TargetKw, slot.Start, changed ? $"Schedule slot {slot.Start:yyyy-MM-dd HH:mm}Z–{slot.End:HH:mm}Z: {slot.TargetKw:0.###} kW" : null);
                    (S.AppliedSlotStart, S.AppliedTargetKw, S.Released) = (slot.Start, slot.TargetKw, false);
                    await state.WriteStateAsync();
                }
            }
            else if (S.AppliedSlotStart is not null && !S.Released)
            {
                await DispatchAsync(0, S.AppliedSlotStart + QuarterHour.Length, $"Schedule ran out at {now:yyyy-MM-dd HH:mm}Z: back to 0 kW");
                (S.AppliedTargetKw, S.Released) = (0, true);
                await state.WriteStateAsync();
            }
        }
        catch (Exception ex)
        {
            LogApplyFailed(FleetId, ex.GetBaseException().Message);
            _alarm.RetrySoon();
            return;
        }

        await _alarm.ArmAsync(ScheduleRequests.NextBoundary(_schedule, now));
    }

    /// <param name="requestedFrom">Where the slot profile steps to this target: settlement counts the request from there.</param>
    private async Task DispatchAsync(double targetKw, DateTimeOffset? requestedFrom, string? eventMessage)
    {
        // The operator's strategy stays; the schedule only moves the target.
        var strategy = (await Fleet.GetAsync())?.Dispatch.Strategy ?? Domain.Dispatch.DispatchStrategy.MeritOrder;
        var result = await Fleet.DispatchAsync(new DispatchRequest(targetKw, strategy, IncludeSetpoints: false, requestedFrom));
        if (eventMessage is not null)
        {
            await GrainFactory.GetGrain<IFleetScheduleLog>(FleetId).RecordScheduleEventAsync(eventMessage, targetKw, result.DispatchId);
        }

        LogSlotDispatched(FleetId, targetKw, result.AllocatedKw);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet {FleetId}: schedule of {Count} slot(s) from {Start} stored, {Warnings} energy warning(s)")]
    private partial void LogSubmitted(string fleetId, int count, DateTimeOffset start, int warnings);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fleet {FleetId}: schedule dispatched {TargetKw} kW, {AllocatedKw} kW allocated")]
    private partial void LogSlotDispatched(string fleetId, double targetKw, double allocatedKw);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet {FleetId}: could not dispatch the schedule's slot (retrying): {Error}")]
    private partial void LogApplyFailed(string fleetId, string error);
}
