namespace Vpp.Domain.Schedules;

/// <summary>The market's 15-minute grid, always in UTC (every offset in use today is a multiple of 15 minutes).</summary>
public static class QuarterHour
{
    public static readonly TimeSpan Length = TimeSpan.FromMinutes(15);

    public static double Hours => Length.TotalHours;

    public static bool IsAligned(DateTimeOffset instant) => instant.UtcTicks % Length.Ticks == 0;

    /// <summary>Start of the quarter hour that contains <paramref name="instant"/>, in UTC.</summary>
    public static DateTimeOffset Floor(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % Length.Ticks), TimeSpan.Zero);

    /// <summary>The first quarter-hour boundary at or after <paramref name="instant"/>, in UTC.</summary>
    public static DateTimeOffset Ceiling(DateTimeOffset instant) =>
        IsAligned(instant) ? instant.ToUniversalTime() : Floor(instant) + Length;

    /// <summary>The quarter-hour starts of [from, to): from floored, to exclusive. Bounded by <paramref name="maxSlots"/>.</summary>
    public static IEnumerable<DateTimeOffset> Starts(DateTimeOffset from, DateTimeOffset to, int maxSlots = int.MaxValue)
    {
        var start = Floor(from);
        for (var n = 0; n < maxSlots && start < to; n++, start += Length)
        {
            yield return start;
        }
    }
}
