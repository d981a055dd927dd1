using Vpp.Domain.Validation;

namespace Vpp.Domain.Schedules;

/// <summary>
/// The local-time form of a schedule: one whole delivery day of a time zone, one slot per quarter hour in local
/// order. Traders think in local days; the day's length decides the count (92 when clocks go forward, 100 when they
/// go back), and the slots are turned into the UTC form so nothing downstream knows about daylight saving.
/// </summary>
public static class LocalDaySubmission
{
    /// <summary>
    /// The UTC submission for <paramref name="day"/> in <paramref name="zoneId"/>; null with errors naming the field
    /// when the zone is unknown, slots carry their own start, or the count is not the day's number of quarter hours.
    /// </summary>
    public static ScheduleSubmission? ToSubmission(FieldErrors errors, DateOnly day, string? zoneId, IReadOnlyList<ScheduleSlotInput?>? slots)
    {
        var zone = LocalDay.FindZone(errors, "timeZone", zoneId);
        if (zone is null)
        {
            return null;
        }

        var quarterHours = LocalDay.Slots(day, zone);
        if (slots is null || slots.Count != quarterHours.Count)
        {
            errors.Add("slots", $"must list exactly {quarterHours.Count} slots, one per quarter hour of {day:yyyy-MM-dd} in {zone.Id}"
                + (quarterHours.Count != 96 ? " (a day with a daylight-saving change)" : "") + $"; got {slots?.Count ?? 0}");
            return null;
        }

        for (var i = 0; i < slots.Count; i++)
        {
            if (slots[i]?.Start is not null)
            {
                errors.Add($"slots[{i}].start", "is not allowed with localDate: the slots follow the day's quarter hours in order");
            }
        }

        return errors.Any ? null : new ScheduleSubmission(quarterHours[0].StartUtc, slots);
    }
}
