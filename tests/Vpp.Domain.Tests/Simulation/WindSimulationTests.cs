using Vpp.Domain.Simulation;
using static Vpp.Domain.Tests.Simulation.SimulationSpecs;

namespace Vpp.Domain.Tests.Simulation;

public sealed class WindSimulationTests
{
    private static readonly WindPowerCurve Curve = WindPowerCurve.Default;

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(3.49)]
    [InlineData(25.01)]
    [InlineData(30)]
    public void Power_curve_is_zero_below_cut_in_and_above_cut_out(double speedMps)
    {
        Assert.Equal(0, Curve.PowerKw(speedMps, 200));
    }

    [Theory]
    [InlineData(12)]
    [InlineData(15)]
    [InlineData(20)]
    [InlineData(25)]
    public void Power_curve_is_rated_between_rated_speed_and_cut_out(double speedMps)
    {
        Assert.Equal(200, Curve.PowerKw(speedMps, 200));
    }

    [Fact]
    public void Power_curve_rises_cubically_between_cut_in_and_rated_speed()
    {
        Assert.Equal(0, Curve.PowerKw(3.5, 200), 9);
        var expected = 200 * ((8.0 * 8 * 8) - (3.5 * 3.5 * 3.5)) / ((12.0 * 12 * 12) - (3.5 * 3.5 * 3.5));
        Assert.Equal(expected, Curve.PowerKw(8, 200), 9);

        var previous = 0.0;
        for (var v = 3.5; v <= 12; v += 0.25)
        {
            var kw = Curve.PowerKw(v, 200);
            Assert.True(kw >= previous, $"power fell at {v} m/s");
            previous = kw;
        }
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(16, 200)]
    [InlineData(28, 0)]
    public void A_steady_wind_gives_the_power_curve_value(double speedMps, double expectedKw)
    {
        var calm = new WindConditions { MeanSpeedMps = speedMps, InitialSpeedMps = speedMps, SpeedStdDevMps = 0, GustStdDevMps = 0 };
        var turbine = new SimulatedWind(Wind(200), new Random(5), calm);

        for (var i = 1; i <= 10; i++)
        {
            var telemetry = turbine.Step(TimeSpan.FromSeconds(2), Midnight.AddSeconds(2 * i))!;
            Assert.Equal(expectedKw, telemetry.AvailablePowerKw!.Value, 9);
            Assert.Equal(expectedKw, telemetry.ActivePowerKw, 9);
        }
    }

    [Fact]
    public void Wind_speed_wanders_around_its_mean_and_output_stays_within_rated_power()
    {
        var turbine = new SimulatedWind(Wind(200), new Random(5));
        var speeds = new List<double>();
        for (var i = 1; i <= 20_000; i++)
        {
            var telemetry = turbine.Step(TimeSpan.FromSeconds(2), Midnight.AddSeconds(2 * i))!;
            Assert.InRange(telemetry.ActivePowerKw, 0, 200);
            speeds.Add(turbine.WindSpeedMps);
        }

        Assert.InRange(speeds.Average(), 6.5, 9.5);
        Assert.True(speeds.Max() - speeds.Min() > 4, "the wind never varied");
        Assert.All(speeds, v => Assert.True(v >= 0));
    }

    [Fact]
    public void Curtailment_caps_active_power_below_available()
    {
        var steady = new WindConditions { MeanSpeedMps = 14, InitialSpeedMps = 14, SpeedStdDevMps = 0, GustStdDevMps = 0 };
        var turbine = new SimulatedWind(Wind(200), new Random(5), steady);

        var telemetry = turbine.Step(TimeSpan.FromSeconds(2), Midnight.AddSeconds(2), 50)!;

        Assert.Equal(50, telemetry.ActivePowerKw, 9);
        Assert.Equal(200, telemetry.AvailablePowerKw!.Value, 9);
    }
}
