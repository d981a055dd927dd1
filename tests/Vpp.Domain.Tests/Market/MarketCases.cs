using Vpp.Domain.Availability;
using Vpp.Domain.Market;

namespace Vpp.Domain.Tests.Market;

internal static class MarketCases
{
    /// <summary>Midnight in Berlin on an ordinary day (22:00 UTC the day before, summer time).</summary>
    public static readonly DateTimeOffset BerlinMidnight = new(2026, 6, 30, 22, 0, 0, TimeSpan.Zero);

    /// <summary>An asset with no energy limit that can move ±<paramref name="kw"/> around a baseline of 0.</summary>
    public static FlexAsset Symmetric(string id, double kw, UnavailabilityCalendar? calendar = null) =>
        new(id, -kw, kw, 0, null, null, calendar ?? UnavailabilityCalendar.Empty);
}
