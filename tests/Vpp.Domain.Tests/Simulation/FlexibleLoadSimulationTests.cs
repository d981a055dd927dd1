using Vpp.Domain.Simulation;
using static Vpp.Domain.Tests.Simulation.SimulationSpecs;

namespace Vpp.Domain.Tests.Simulation;

public sealed class FlexibleLoadSimulationTests
{
    [Fact]
    public void Draws_its_baseline_without_instructions()
    {
        var load = new SimulatedFlexibleLoad(FlexibleLoad(baselineKw: 100, minConsumptionKw: 40), new Random(1));

        Assert.Equal(-100, load.Step(TimeSpan.FromSeconds(2), Midnight.AddSeconds(2))!.ActivePowerKw);
    }

    [Fact]
    public void Curtailment_is_limited_by_min_consumption_and_the_energy_comes_back_afterwards()
    {
        var load = new SimulatedFlexibleLoad(FlexibleLoad(baselineKw: 100, minConsumptionKw: 40), new Random(1));
        var t = Midnight;

        // One hour curtailed to 50 kW (setpoint −50): 50 kWh deferred.
        for (var i = 0; i < 60; i++)
        {
            t = t.AddMinutes(1);
            Assert.Equal(-50, load.Step(TimeSpan.FromMinutes(1), t, -50)!.ActivePowerKw, 9);
        }

        Assert.Equal(50, load.DeferredEnergyKwh, 6);

        // Asked for more than it can give: it stops at min consumption.
        t = t.AddMinutes(1);
        Assert.Equal(-40, load.Step(TimeSpan.FromMinutes(1), t, 0)!.ActivePowerKw, 9);
        Assert.Equal(51, load.DeferredEnergyKwh, 6);

        // Released: consumption rises to baseline + 20 % headroom until the 51 kWh are paid back (2.55 h), then baseline.
        var extraKwh = 0.0;
        var peakConsumptionKw = 0.0;
        for (var i = 0; i < 4 * 60; i++)
        {
            t = t.AddMinutes(1);
            var consumptionKw = -load.Step(TimeSpan.FromMinutes(1), t, -100)!.ActivePowerKw;
            peakConsumptionKw = Math.Max(peakConsumptionKw, consumptionKw);
            extraKwh += (consumptionKw - 100) / 60;
        }

        Assert.Equal(120, peakConsumptionKw, 9);
        Assert.Equal(51, extraKwh, 6);
        Assert.Equal(0, load.DeferredEnergyKwh, 9);
        Assert.Equal(-100, load.Step(TimeSpan.FromMinutes(1), t.AddMinutes(1), null)!.ActivePowerKw, 9);
    }

    [Fact]
    public void Stays_within_its_bounds_whatever_the_setpoints()
    {
        var random = new Random(23);
        var load = new SimulatedFlexibleLoad(FlexibleLoad(baselineKw: 80, minConsumptionKw: 30, rampKwPerSecond: 2), new Random(23));
        var maxConsumptionKw = 80 * 1.2;
        var t = Midnight;
        for (var i = 0; i < 5_000; i++)
        {
            var seconds = 1 + random.Next(120);
            t = t.AddSeconds(seconds);
            double? setpointKw = random.Next(3) == 0 ? null : (random.NextDouble() * 200) - 150;
            var kw = load.Step(TimeSpan.FromSeconds(seconds), t, setpointKw)!.ActivePowerKw;
            Assert.InRange(kw, -maxConsumptionKw - 1e-9, -30 + 1e-9);
            if (load.IsCurtailed)
            {
                Assert.True(kw >= -maxConsumptionKw && kw <= -30 + 1e-9);
            }
        }
    }

    [Fact]
    public void A_curtailment_longer_than_the_process_tolerates_is_overridden_until_the_vpp_stops_asking()
    {
        var load = new SimulatedFlexibleLoad(FlexibleLoad(baselineKw: 100, minConsumptionKw: 40), new Random(1), new FlexibleLoadBehaviour { MaxCurtailment = TimeSpan.FromHours(1) });
        var t = Midnight;
        for (var minute = 1; minute <= 59; minute++)
        {
            t = t.AddMinutes(1);
            Assert.Equal(-40, load.Step(TimeSpan.FromMinutes(1), t, -40)!.ActivePowerKw, 9);
        }

        t = t.AddMinutes(1);
        var overridden = load.Step(TimeSpan.FromMinutes(1), t, -40)!.ActivePowerKw;
        Assert.True(load.IsOverridingCurtailment);
        Assert.True(overridden <= -100, $"after an hour the process takes its load back (and some of what it owes): {overridden} kW");

        t = t.AddMinutes(1);
        load.Step(TimeSpan.FromMinutes(1), t, null);
        Assert.False(load.IsOverridingCurtailment);
        Assert.Null(load.CurtailmentRequestedSince);

        t = t.AddMinutes(1);
        Assert.Equal(-40, load.Step(TimeSpan.FromMinutes(1), t, -40)!.ActivePowerKw, 9); // a fresh request is honoured again
    }
}
