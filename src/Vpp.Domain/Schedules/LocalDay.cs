using Vpp.Domain.Validation;

namespace Vpp.Domain.Schedules;

/// <summary>A quarter hour of a local calendar day: its UTC start and the local wall-clock time with its offset.</summary>
public readonly record struct LocalSlot(int Index, DateTimeOffset StartUtc, DateTimeOffset StartLocal)
{
    public DateTimeOffset EndUtc => StartUtc + QuarterHour.Length;
}

/// <summary>
/// Lists the quarter hours of a local day. Slots stay UTC; only the labels are local, so a day has 92 quarter hours
/// when clocks go forward and 100 when they go back (02:00–02:45 then appear twice, once at +02:00 and once at +01:00).
/// </summary>
public static class LocalDay
{
    /// <summary>Finds a time zone by IANA id (e.g. Europe/Berlin); adds an error naming the field when unknown.</summary>
    public static TimeZoneInfo? FindZone(FieldErrors errors, string field, string? zoneId)
    {
        if (string.IsNullOrWhiteSpace(zoneId))
        {
            errors.Add(field, "is required (an IANA time zone id such as Europe/Berlin)");
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            errors.Add(field, $"is not a known time zone id: '{zoneId}' (use an IANA id such as Europe/Berlin)");
            return null;
        }
    }

    /// <summary>The quarter hours whose local date is <paramref name="day"/>, in order.</summary>
    public static IReadOnlyList<LocalSlot> Slots(DateOnly day, TimeZoneInfo zone)
    {
        // Scan a UTC window wide enough for any offset (−14 h … +14 h) and keep the quarter hours whose local date
        // is the day: no special cases for DST gaps, repeated hours or a midnight that does not exist locally.
        var midnightAsUtc = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var slots = new List<LocalSlot>(100);
        foreach (var start in QuarterHour.Starts(midnightAsUtc.AddHours(-15), midnightAsUtc.AddHours(39)))
        {
            var local = TimeZoneInfo.ConvertTime(start, zone);
            if (DateOnly.FromDateTime(local.DateTime) == day)
            {
                slots.Add(new LocalSlot(slots.Count, start, local));
            }
        }

        return slots;
    }
}
