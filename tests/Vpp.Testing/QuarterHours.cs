namespace Vpp.Testing;

/// <summary>
/// Time windows for tests that run on the wall clock and read aFRR steps back: a step that crosses a quarter hour is
/// recorded as two rows (aFRR energy is settled per quarter hour), so a test that expects one row per step starts its
/// steps where they all fit inside one quarter hour.
/// </summary>
public static class QuarterHours
{
    private static readonly long QuarterHourTicks = TimeSpan.FromMinutes(15).Ticks;

    /// <summary><paramref name="latestStart"/>, or earlier when [start, start + span] would cross a quarter hour.</summary>
    public static DateTimeOffset StartWithin(DateTimeOffset latestStart, TimeSpan span)
    {
        var end = latestStart + span;
        var boundary = new DateTimeOffset(end.UtcTicks - end.UtcTicks % QuarterHourTicks, TimeSpan.Zero);
        return boundary > latestStart ? boundary - span - TimeSpan.FromSeconds(1) : latestStart;
    }
}
