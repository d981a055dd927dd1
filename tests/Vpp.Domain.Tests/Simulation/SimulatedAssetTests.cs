using Vpp.Domain.Assets;
using Vpp.Domain.Simulation;
using Vpp.Domain.Validation;
using static Vpp.Domain.Tests.Simulation.SimulationSpecs;

namespace Vpp.Domain.Tests.Simulation;

public sealed class SimulatedAssetTests
{
    private static List<Telemetry?> Run(IReadOnlyList<SimulatedAsset> assets, int steps)
    {
        var all = new List<Telemetry?>();
        for (var i = 1; i <= steps; i++)
        {
            var now = Midnight.AddHours(10).AddSeconds(2 * i);
            foreach (var asset in assets)
            {
                double? setpointKw = i % 7 == 0 ? asset.Spec.MaxPowerKw / 2 : null;
                all.Add(asset.Step(TimeSpan.FromSeconds(2), now, setpointKw));
            }
        }

        return all;
    }

    [Fact]
    public void The_same_seed_gives_the_same_telemetry_sequence()
    {
        var first = Run([.. DemoFleetFactory.Create("demo", 60, 42).Select(a => a.CreateSimulator())], 200);
        var second = Run([.. DemoFleetFactory.Create("demo", 60, 42).Select(a => a.CreateSimulator())], 200);
        var other = Run([.. DemoFleetFactory.Create("demo", 60, 43).Select(a => a.CreateSimulator())], 200);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void A_silent_device_keeps_running_but_reports_nothing()
    {
        var battery = new SimulatedBattery(Battery(), new Random(1), initialSocPercent: 50) { Faults = new SimulationFaults { Silent = true } };

        Assert.Null(battery.Step(TimeSpan.FromHours(1), Midnight.AddHours(1), 20));
        Assert.True(battery.EnergyKwh < 50);

        battery.Faults = SimulationFaults.None;
        Assert.NotNull(battery.Step(TimeSpan.FromSeconds(1), Midnight.AddHours(1).AddSeconds(1), 20));
    }

    [Fact]
    public void A_device_that_ignores_setpoints_behaves_as_if_it_had_none()
    {
        var load = new SimulatedFlexibleLoad(FlexibleLoad(), new Random(1)) { Faults = new SimulationFaults { IgnoresSetpoints = true } };

        Assert.Equal(-100, load.Step(TimeSpan.FromSeconds(2), Midnight.AddSeconds(2), -50)!.ActivePowerKw);
    }

    [Fact]
    public void Telemetry_noise_perturbs_the_report_but_not_the_physics()
    {
        var quiet = new SimulatedFlexibleLoad(FlexibleLoad(), new Random(1));
        var noisy = new SimulatedFlexibleLoad(FlexibleLoad(), new Random(1)) { Faults = new SimulationFaults { TelemetryNoisePercent = 5 } };

        var reports = Enumerable.Range(1, 200).Select(i => noisy.Step(TimeSpan.FromSeconds(2), Midnight.AddSeconds(2 * i))!.ActivePowerKw).ToList();
        quiet.Step(TimeSpan.FromSeconds(2), Midnight.AddSeconds(2));

        Assert.Equal(quiet.ActivePowerKw, noisy.ActivePowerKw);
        Assert.Contains(reports, kw => Math.Abs(kw + 100) > 0.5);
        Assert.InRange(reports.Average(), -103, -97);
    }

    [Fact]
    public void Create_picks_the_simulation_for_the_spec_kind_and_rejects_an_invalid_spec()
    {
        Assert.IsType<SimulatedBattery>(SimulatedAsset.Create(Battery(), new Random(1)));
        Assert.IsType<SimulatedSolar>(SimulatedAsset.Create(Solar(), new Random(1)));
        Assert.IsType<SimulatedWind>(SimulatedAsset.Create(Wind(), new Random(1)));
        Assert.IsType<SimulatedChp>(SimulatedAsset.Create(Chp(), new Random(1)));
        Assert.IsType<SimulatedFlexibleLoad>(SimulatedAsset.Create(FlexibleLoad(), new Random(1)));

        Assert.Throws<DomainValidationException>(() => SimulatedAsset.Create(Battery() with { EnergyCapacityKwh = null }, new Random(1)));
        Assert.Throws<ArgumentException>(() => new SimulatedSolar(Battery(), new Random(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SimulatedAsset.Create(Battery(), new Random(1)).Step(TimeSpan.Zero, Midnight));
    }

    [Fact]
    public void Telemetry_from_every_kind_passes_the_vpp_validation()
    {
        foreach (var asset in DemoFleetFactory.Create("demo", 50, 7))
        {
            var simulator = asset.CreateSimulator();
            simulator.Faults = new SimulationFaults { TelemetryNoisePercent = 3 };
            for (var i = 1; i <= 50; i++)
            {
                var now = Midnight.AddHours(11).AddSeconds(2 * i);
                var telemetry = simulator.Step(TimeSpan.FromSeconds(2), now, asset.Spec.MaxPowerKw)!;
                Assert.Empty(telemetry.Validate(asset.Spec, now));
                Assert.Equal(now, telemetry.Timestamp);
                Assert.Equal(asset.Spec.Kind == AssetKind.Battery, telemetry.StateOfChargePercent is not null);
                Assert.Equal(asset.Spec.Kind is AssetKind.Solar or AssetKind.Wind, telemetry.AvailablePowerKw is not null);
            }
        }
    }
}
