using FsCheck.Xunit;
using Vpp.Domain.Assets;
using Vpp.Domain.Simulation;
using static Vpp.Domain.Tests.Simulation.SimulationSpecs;

namespace Vpp.Domain.Tests.Simulation;

/// <summary>
/// Invariants of the simulated physics over random setpoint sequences and step lengths. Each property draws its
/// scenario from the seed FsCheck hands it, so a failure names a seed that reproduces it.
/// </summary>
public sealed class PhysicsPropertyTests
{
    private const double Tolerance = 1e-9;

    /// <summary>Random steps (1–60 s) with random setpoints across (and beyond) the spec's range, sometimes none.</summary>
    private static IEnumerable<(TimeSpan Step, DateTimeOffset Now, double? SetpointKw)> Steps(Random random, AssetSpec spec, int count, DateTimeOffset start)
    {
        var span = spec.MaxPowerKw - spec.MinPowerKw;
        var now = start;
        for (var i = 0; i < count; i++)
        {
            var step = TimeSpan.FromSeconds(1 + (59 * random.NextDouble()));
            now += step;
            double? setpointKw = random.Next(8) == 0 ? null : spec.MinPowerKw - (0.2 * span) + (1.4 * span * random.NextDouble());
            yield return (step, now, setpointKw);
        }
    }

    private static AssetSpec WithRamp(AssetSpec spec, Random random) =>
        spec with { RampRateKwPerSecond = Math.Round((spec.MaxPowerKw - spec.MinPowerKw) / (1 + (60 * random.NextDouble())), 3) };

    [Property(MaxTest = 100)]
    public void A_battery_or_flexible_load_never_changes_output_faster_than_its_ramp(int seed)
    {
        var random = new Random(seed);
        // Large enough a store that no SoC limit clips the power within the run: only the ramp limits it.
        var specs = new[] { WithRamp(Battery(maxKw: 50, capacityKwh: 100_000), random), WithRamp(FlexibleLoad(), random) };
        foreach (var spec in specs)
        {
            var asset = SimulatedAsset.Create(spec, new Random(seed));
            var previousKw = asset.ActivePowerKw;
            foreach (var (step, now, setpointKw) in Steps(random, spec, 100, Midnight))
            {
                asset.Step(step, now, setpointKw);
                var reachKw = spec.RampRateKwPerSecond!.Value * step.TotalSeconds;
                Assert.True(
                    Math.Abs(asset.ActivePowerKw - previousKw) <= reachKw + Tolerance,
                    $"{spec.Kind}: {previousKw} → {asset.ActivePowerKw} kW in {step.TotalSeconds} s at {spec.RampRateKwPerSecond} kW/s");
                previousKw = asset.ActivePowerKw;
            }
        }
    }

    [Property(MaxTest = 100)]
    public void A_running_chp_plant_ramps_and_never_runs_between_zero_and_min_stable_power(int seed)
    {
        var random = new Random(seed);
        var spec = Chp(maxKw: 200, minStableKw: 80, minUpSeconds: random.Next(0, 600), minDownSeconds: random.Next(0, 600), rampKwPerSecond: 1 + (10 * random.NextDouble()));
        var chp = new SimulatedChp(spec, new Random(seed));
        var (wasRunning, previousKw) = (chp.IsRunning, chp.ActivePowerKw);
        foreach (var (step, now, setpointKw) in Steps(random, spec, 200, Midnight))
        {
            chp.Step(step, now, setpointKw);
            var kw = chp.ActivePowerKw;
            Assert.True(kw == 0 || (kw >= 80 - Tolerance && kw <= 200 + Tolerance), $"{kw} kW is between 0 and the 80 kW minimum stable power, or above max");
            if (wasRunning && chp.IsRunning)
            {
                // Starting (0 → min stable) and tripping (min stable → 0) are the unit synchronising, not a ramp.
                Assert.True(Math.Abs(kw - previousKw) <= (spec.RampRateKwPerSecond!.Value * step.TotalSeconds) + Tolerance, $"{previousKw} → {kw} kW in {step.TotalSeconds} s");
            }

            (wasRunning, previousKw) = (chp.IsRunning, kw);
        }
    }

    [Property(MaxTest = 100)]
    public void Solar_and_wind_rise_no_faster_than_their_ramp_and_never_exceed_what_the_weather_gives(int seed)
    {
        var random = new Random(seed);
        var noon = Midnight.AddHours(9);
        foreach (var spec in new[] { WithRamp(Solar(), random), WithRamp(Wind(), random) })
        {
            var asset = SimulatedAsset.Create(spec, new Random(seed));
            var previousKw = asset.ActivePowerKw;
            foreach (var (step, now, setpointKw) in Steps(random, spec, 100, noon))
            {
                asset.Step(step, now, setpointKw);
                Assert.InRange(asset.ActivePowerKw, 0, asset.AvailablePowerKw!.Value + Tolerance);
                Assert.InRange(asset.AvailablePowerKw.Value, 0, spec.MaxPowerKw + Tolerance);
                Assert.True(asset.ActivePowerKw - previousKw <= (spec.RampRateKwPerSecond!.Value * step.TotalSeconds) + Tolerance, $"{spec.Kind} rose {previousKw} → {asset.ActivePowerKw} kW in {step.TotalSeconds} s");
                previousKw = asset.ActivePowerKw;
            }
        }
    }

    [Property(MaxTest = 100)]
    public void Battery_energy_balances_with_the_charge_and_discharge_efficiencies(int seed)
    {
        var random = new Random(seed);
        var roundTripPercent = 70 + (29 * random.NextDouble());
        var spec = Battery(maxKw: 100, capacityKwh: 50, roundTripPercent: roundTripPercent);
        var battery = new SimulatedBattery(spec, new Random(seed), initialSocPercent: 20 + (60 * random.NextDouble()));
        var eta = Math.Sqrt(roundTripPercent / 100);
        var expectedKwh = battery.EnergyKwh;
        foreach (var (step, now, setpointKw) in Steps(random, spec, 200, Midnight))
        {
            battery.Step(step, now, setpointKw);
            var kw = battery.ActivePowerKw;
            var hours = step.TotalHours;
            expectedKwh += kw >= 0 ? -(kw * hours / eta) : eta * -kw * hours;
            Assert.Equal(expectedKwh, battery.EnergyKwh, 6);
            Assert.InRange(battery.StateOfChargePercent!.Value, 10 - 1e-6, 90 + 1e-6);
        }
    }

    [Property(MaxTest = 200)]
    public void Solar_produces_nothing_while_the_sun_is_down_at_any_site_and_season(int seed)
    {
        var random = new Random(seed);
        var conditions = new SolarConditions { LatitudeDegrees = -70 + (140 * random.NextDouble()), LongitudeDegrees = -180 + (360 * random.NextDouble()) };
        var solar = new SimulatedSolar(Solar(), new Random(seed), conditions);
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(random.Next(365));
        for (var i = 0; i < 100; i++)
        {
            var step = TimeSpan.FromMinutes(1 + (30 * random.NextDouble()));
            now += step;
            var telemetry = solar.Step(step, now, random.Next(2) == 0 ? null : 100 * random.NextDouble())!;
            if (SolarGeometry.SineOfElevation(now, conditions.LatitudeDegrees!.Value, conditions.LongitudeDegrees) <= 0)
            {
                Assert.Equal(0, telemetry.ActivePowerKw);
                Assert.Equal(0, telemetry.AvailablePowerKw);
            }
        }
    }

    [Property(MaxTest = 300)]
    public void Wind_power_is_zero_outside_cut_in_to_cut_out_and_rises_with_speed_up_to_rated(double a, double b)
    {
        var curve = WindPowerCurve.Default;
        var (low, high) = (Math.Min(Speed(a), Speed(b)), Math.Max(Speed(a), Speed(b)));
        foreach (var speed in new[] { low, high })
        {
            var kw = curve.PowerKw(speed, 200);
            if (speed < curve.CutInMps || speed > curve.CutOutMps)
            {
                Assert.Equal(0, kw);
            }
            else
            {
                Assert.InRange(kw, 0, 200);
            }
        }

        if (high <= curve.CutOutMps)
        {
            Assert.True(curve.PowerKw(low, 200) <= curve.PowerKw(high, 200) + Tolerance, $"{low} m/s gives more than {high} m/s");
        }

        static double Speed(double x) => double.IsFinite(x) ? Math.Abs(x) % 40 : 0;
    }

    [Property(MaxTest = 50)]
    public void The_same_seed_gives_the_same_trajectory_for_every_kind(int seed)
    {
        var specs = new[] { Battery(), Solar(), Wind(), Chp(rampKwPerSecond: 5), FlexibleLoad(rampKwPerSecond: 2) };
        foreach (var spec in specs)
        {
            Assert.Equal(Trajectory(spec, seed), Trajectory(spec, seed));
        }

        static List<Telemetry?> Trajectory(AssetSpec spec, int seed)
        {
            var asset = SimulatedAsset.Create(spec, new Random(seed));
            asset.Faults = new SimulationFaults { TelemetryNoisePercent = 2 };
            return [.. Steps(new Random(seed), spec, 50, Midnight.AddHours(8)).Select(s => asset.Step(s.Step, s.Now, s.SetpointKw))];
        }
    }
}
