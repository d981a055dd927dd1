using System.Globalization;

namespace Vpp.Testing;

/// <summary>
/// A standing FCR award for tests that are about something else: the UTC month of <c>now</c> (31 days from its first),
/// so every call of one test names the same period and a later one replaces the earlier award.
/// </summary>
public static class TestFcrAwards
{
    public static (DateTimeOffset From, DateTimeOffset To) Period(DateTimeOffset now)
    {
        var from = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return (from, from.AddDays(31));
    }

    /// <summary>The PUT /fcr body for ±<paramref name="contractedKw"/> over <see cref="Period"/> (0 withdraws it).</summary>
    public static string Json(double contractedKw, DateTimeOffset now)
    {
        var (from, to) = Period(now);
        return string.Create(CultureInfo.InvariantCulture, $$"""{"contractedKw": {{contractedKw}}, "from": "{{from:O}}", "to": "{{to:O}}"}""");
    }

    /// <summary>The same over the real clock (the API tests' silo runs on it).</summary>
    public static string Json(double contractedKw) => Json(contractedKw, DateTimeOffset.UtcNow);
}
