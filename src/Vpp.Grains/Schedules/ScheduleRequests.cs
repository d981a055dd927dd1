using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Schedules;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;

namespace Vpp.Grains.Schedules;

/// <summary>Turns what was sent into the domain's submission, and the domain's answers into what is sent back.</summary>
internal static class ScheduleRequests
{
    /// <summary>The UTC submission of either form; null (with errors) when the form itself is wrong.</summary>
    public static ScheduleSubmission? ToSubmission(ScheduleRequest request, FieldErrors errors)
    {
        List<ScheduleSlotInput?>? slots = request.Slots?.Select(s => s is null ? null : new ScheduleSlotInput(s.TargetKw, s.Start)).ToList();
        if (request.LocalDate is { } day)
        {
            if (request.Start is not null)
            {
                errors.Add("start", "give either start (UTC) or localDate with timeZone, not both");
                return null;
            }

            return LocalDaySubmission.ToSubmission(errors, day, request.TimeZone, slots);
        }

        if (request.TimeZone is not null)
        {
            errors.Add("localDate", "is required with timeZone (the local delivery day, e.g. 2026-10-25)");
            return null;
        }

        return new ScheduleSubmission(request.Start, slots);
    }

    /// <summary>
    /// Energy warnings for the schedule from now on: the non-storage assets take what they can in each slot as planned
    /// (<paramref name="ranges"/>), the batteries the rest, from their current energy. A warning names the submitted
    /// slot, or "schedule" for a stored one.
    /// </summary>
    public static ScheduleWarning[] Warnings(Schedule schedule, IReadOnlyList<ScheduledSlot> submitted, FleetView fleet, PlannedRanges ranges, DateTimeOffset now)
    {
        var storage = fleet.Storage ?? StoragePool.None;
        var ahead = schedule.Between(now, DateTimeOffset.MaxValue);
        var submittedIndex = new Dictionary<DateTimeOffset, int>();
        for (var i = 0; i < submitted.Count; i++)
        {
            submittedIndex[submitted[i].Start] = i;
        }

        return
        [
            .. ScheduleEnergyCheck.Check(ahead, ranges.WithoutStorageAt, storage, now).Select(w =>
            {
                var field = submittedIndex.TryGetValue(w.SlotStart, out var i) ? $"slots[{i}]" : "schedule";
                return new ScheduleWarning(field, w.SlotStart, Math.Round(w.ShortfallKwh, 3), w.Discharging, w.Message);
            }),
        ];
    }

    public static ScheduledSlotView ToView(ScheduledSlot slot) => new(slot.Start, slot.End, slot.TargetKw);

    public static Schedule ToSchedule(IEnumerable<ScheduledSlotView> slots) =>
        Schedule.Of(slots.Select(s => new ScheduledSlot(s.Start, s.TargetKw)));

    /// <summary>
    /// The next instant after <paramref name="now"/> at which the fleet must be dispatched: the start of a slot, or
    /// the end of a slot no other slot follows (the fleet then returns to 0 kW). Null when nothing is ahead.
    /// </summary>
    public static DateTimeOffset? NextBoundary(Schedule schedule, DateTimeOffset now)
    {
        foreach (var slot in schedule.Between(now, DateTimeOffset.MaxValue))
        {
            if (slot.Start > now)
            {
                return slot.Start;
            }

            if (schedule.SlotAt(slot.End) is null)
            {
                return slot.End;
            }
        }

        return null;
    }
}
