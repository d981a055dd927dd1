using Vpp.Domain.Simulation;
using static Vpp.Domain.Tests.Simulation.SimulationSpecs;

namespace Vpp.Domain.Tests.Simulation;

public sealed class SolarGeometryTests
{
    [Theory]
    [InlineData(172, 52.5, 16.7)] // Berlin, June solstice
    [InlineData(355, 52.5, 7.6)] // Berlin, December solstice
    [InlineData(80, 52.5, 12.1)] // equinox: about 12 h everywhere
    [InlineData(172, 0, 12.0)]
    [InlineData(172, -33.9, 9.9)] // Cape Town in June: southern winter
    public void Day_length_follows_season_and_latitude(int dayOfYear, double latitude, double expectedHours)
    {
        Assert.Equal(expectedHours, DayLengthHours(dayOfYear, latitude), tolerance: 0.25);
    }

    /// <summary>Minutes of the day (at longitude 0, so solar noon at 12:00 UTC) with the sun above the horizon.</summary>
    private static double DayLengthHours(int dayOfYear, double latitude)
    {
        var midnight = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(dayOfYear - 1);
        return Enumerable.Range(0, 24 * 60).Count(m => SolarGeometry.SineOfElevation(midnight.AddMinutes(m + 0.5), latitude, 0) > 0) / 60.0;
    }

    [Fact]
    public void Polar_day_and_polar_night()
    {
        Assert.Equal(24, DayLengthHours(172, 80));
        Assert.Equal(0, DayLengthHours(355, 80));
    }

    [Fact]
    public void A_solar_plant_at_a_site_follows_the_seasons_sun()
    {
        var berlin = new SolarConditions { LatitudeDegrees = 52.5, LongitudeDegrees = 13.4, CloudVolatilityPerSqrtSecond = 0, InitialCloudFactor = 1 };
        double OutputAt(DateTimeOffset at) => new SimulatedSolar(Solar(100), new Random(1), berlin).Step(TimeSpan.FromSeconds(1), at)!.ActivePowerKw;

        var june = new DateTimeOffset(2026, 6, 21, 0, 0, 0, TimeSpan.Zero);
        var december = new DateTimeOffset(2026, 12, 21, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(0, OutputAt(june.AddHours(1))); // 02:00 local (CEST): night
        Assert.True(OutputAt(june.AddHours(4)) > 0, "sun is up at 04:00 UTC in a Berlin June");
        Assert.Equal(0, OutputAt(december.AddHours(6))); // 07:00 local: still dark in December
        Assert.Equal(0, OutputAt(december.AddHours(15.5))); // 16:30 local: already set
        Assert.True(OutputAt(june.AddHours(11)) > 2 * OutputAt(december.AddHours(11)), "the summer noon sun stands higher");
    }

    [Fact]
    public void A_site_outside_the_globe_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new SimulatedSolar(Solar(), new Random(1), new SolarConditions { LatitudeDegrees = 91 }));
        Assert.Throws<ArgumentException>(() => new SimulatedSolar(Solar(), new Random(1), new SolarConditions { LatitudeDegrees = 10, LongitudeDegrees = 200 }));
    }
}
