using Vpp.Domain.Simulation;
using static Vpp.Domain.Tests.Simulation.SimulationSpecs;

namespace Vpp.Domain.Tests.Simulation;

public sealed class SolarSimulationTests
{
    private static readonly SolarConditions ClearSky = new() { InitialCloudFactor = 1, CloudVolatilityPerSqrtSecond = 0 };

    private static List<(DateTimeOffset At, double AvailableKw, double ActiveKw)> RunOneDay(SimulatedSolar solar, double? setpointKw = null)
    {
        var samples = new List<(DateTimeOffset, double, double)>();
        for (var t = Midnight.AddMinutes(1); t <= Midnight.AddDays(1); t = t.AddMinutes(1))
        {
            var telemetry = solar.Step(TimeSpan.FromMinutes(1), t, setpointKw)!;
            samples.Add((t, telemetry.AvailablePowerKw!.Value, telemetry.ActivePowerKw));
        }

        return samples;
    }

    [Fact]
    public void Produces_nothing_at_night_and_peaks_near_noon()
    {
        var day = RunOneDay(new SimulatedSolar(Solar(100), new Random(3), ClearSky));

        Assert.All(day.Where(s => s.At.Hour < 6 || s.At.Hour >= 18), s => Assert.Equal(0, s.AvailableKw));
        Assert.All(day.Where(s => s.At.Hour is >= 7 and < 17), s => Assert.True(s.AvailableKw > 0, $"no output at {s.At:t}"));
        var peak = day.MaxBy(s => s.AvailableKw);
        Assert.InRange(peak.At.TimeOfDay, TimeSpan.FromHours(11.5), TimeSpan.FromHours(12.5));
        Assert.InRange(peak.AvailableKw, 50, 100);
    }

    [Fact]
    public void Clouds_only_ever_reduce_output_and_it_stays_zero_at_night()
    {
        var clear = RunOneDay(new SimulatedSolar(Solar(100), new Random(3), ClearSky));
        var cloudy = RunOneDay(new SimulatedSolar(Solar(100), new Random(3), new SolarConditions { CloudVolatilityPerSqrtSecond = 0.02 }));

        for (var i = 0; i < clear.Count; i++)
        {
            Assert.True(cloudy[i].AvailableKw <= clear[i].AvailableKw + 1e-9, $"cloudy above clear sky at {clear[i].At:t}");
        }

        Assert.Contains(cloudy, s => s.AvailableKw < 0.95 * clear[cloudy.IndexOf(s)].AvailableKw);
    }

    [Fact]
    public void Hot_cells_produce_less_than_cool_ones()
    {
        // Direct model: γ = −0.004 /K, so 10 K above 25 °C costs 4 %.
        Assert.Equal(96, SimulatedSolar.PanelPowerKw(1000, 35, 100, -0.004), 9);
        Assert.Equal(104, SimulatedSolar.PanelPowerKw(1000, 15, 100, -0.004), 9);
        Assert.Equal(50, SimulatedSolar.PanelPowerKw(500, 25, 100, -0.004), 9);

        var noon = Midnight.AddHours(12);
        var cool = new SimulatedSolar(Solar(100), new Random(3), ClearSky with { AmbientTemperatureC = 5 });
        var hot = new SimulatedSolar(Solar(100), new Random(3), ClearSky with { AmbientTemperatureC = 35 });
        var coolKw = cool.Step(TimeSpan.FromMinutes(1), noon)!.ActivePowerKw;
        var hotKw = hot.Step(TimeSpan.FromMinutes(1), noon)!.ActivePowerKw;

        // Cell temperature at 1000 W/m²: ambient + 25 K · 1000/800 = ambient + 31.25 K.
        Assert.Equal(36.25, cool.CellTemperatureC, 9);
        Assert.Equal(100 * (1 - (0.004 * 11.25)), coolKw, 9);
        Assert.Equal(100 * (1 - (0.004 * 41.25)), hotKw, 9);
        Assert.True(hotKw < coolKw);
    }

    [Fact]
    public void Curtailment_caps_active_power_while_available_power_still_reports_the_sun()
    {
        var solar = new SimulatedSolar(Solar(100), new Random(3), ClearSky with { AmbientTemperatureC = 0 });

        var telemetry = solar.Step(TimeSpan.FromMinutes(1), Midnight.AddHours(12), 30)!;

        Assert.Equal(30, telemetry.ActivePowerKw, 9);
        Assert.True(telemetry.AvailablePowerKw > 90);

        var uncurtailed = solar.Step(TimeSpan.FromMinutes(1), Midnight.AddHours(12).AddMinutes(1), 500)!;
        Assert.Equal(uncurtailed.AvailablePowerKw!.Value, uncurtailed.ActivePowerKw, 9);
    }

    [Fact]
    public void Sunrise_and_sunset_are_configurable()
    {
        var conditions = ClearSky with { SunriseUtc = TimeSpan.FromHours(4), SunsetUtc = TimeSpan.FromHours(20) };
        var day = RunOneDay(new SimulatedSolar(Solar(100), new Random(3), conditions));

        Assert.True(day.Single(s => s.At == Midnight.AddHours(5)).AvailableKw > 0);
        Assert.Equal(0, day.Single(s => s.At == Midnight.AddHours(20.5)).AvailableKw);
        Assert.InRange(day.MaxBy(s => s.AvailableKw).At.TimeOfDay, TimeSpan.FromHours(11.5), TimeSpan.FromHours(12.5));
    }
}
