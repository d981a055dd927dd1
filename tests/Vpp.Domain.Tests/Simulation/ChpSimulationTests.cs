using Vpp.Domain.Simulation;
using static Vpp.Domain.Tests.Simulation.SimulationSpecs;

namespace Vpp.Domain.Tests.Simulation;

public sealed class ChpSimulationTests
{
    [Fact]
    public void Starts_at_min_stable_power_and_a_setpoint_in_the_gap_is_raised_to_it()
    {
        var chp = new SimulatedChp(Chp(maxKw: 200, minStableKw: 100), new Random(1));

        Assert.Equal(0, chp.Step(TimeSpan.FromSeconds(10), Midnight.AddSeconds(10))!.ActivePowerKw);
        Assert.Equal(100, chp.Step(TimeSpan.FromSeconds(10), Midnight.AddSeconds(20), 40)!.ActivePowerKw);
        Assert.Equal(100, chp.Step(TimeSpan.FromSeconds(10), Midnight.AddSeconds(30), 40)!.ActivePowerKw);
        Assert.Equal(150, chp.Step(TimeSpan.FromSeconds(10), Midnight.AddSeconds(40), 150)!.ActivePowerKw);
        Assert.Equal(200, chp.Step(TimeSpan.FromSeconds(10), Midnight.AddSeconds(50), 900)!.ActivePowerKw);
        Assert.Equal(200, chp.Step(TimeSpan.FromSeconds(10), Midnight.AddSeconds(60), null)!.ActivePowerKw); // holds without instructions
    }

    [Fact]
    public void Honours_min_up_time_and_min_down_time()
    {
        // Min up 60 s, min down 120 s, 10 s steps.
        var chp = new SimulatedChp(Chp(minUpSeconds: 60, minDownSeconds: 120), new Random(1));
        var start = Midnight.AddSeconds(10);
        Assert.Equal(100, chp.Step(TimeSpan.FromSeconds(10), start, 150)!.ActivePowerKw);
        Assert.Equal(start, chp.RunningChangedAt);

        for (var s = 10; s < 60; s += 10)
        {
            var telemetry = chp.Step(TimeSpan.FromSeconds(10), start.AddSeconds(s), 0)!;
            Assert.Equal(100, telemetry.ActivePowerKw); // told to stop, but must stay on: held at min stable power
        }

        var stop = start.AddSeconds(60);
        Assert.Equal(0, chp.Step(TimeSpan.FromSeconds(10), stop, 0)!.ActivePowerKw);
        Assert.False(chp.IsRunning);

        for (var s = 10; s < 120; s += 10)
        {
            Assert.Equal(0, chp.Step(TimeSpan.FromSeconds(10), stop.AddSeconds(s), 150)!.ActivePowerKw); // must stay off
        }

        Assert.Equal(100, chp.Step(TimeSpan.FromSeconds(10), stop.AddSeconds(120), 150)!.ActivePowerKw);
        Assert.True(chp.IsRunning);
    }

    [Fact]
    public void Never_runs_between_zero_and_min_stable_power_whatever_the_setpoints()
    {
        var random = new Random(17);
        var chp = new SimulatedChp(Chp(maxKw: 300, minStableKw: 120, minUpSeconds: 30, minDownSeconds: 20, rampKwPerSecond: 4), new Random(17));
        var t = Midnight;
        var sawOff = false;
        var sawOn = false;
        for (var i = 0; i < 5_000; i++)
        {
            t = t.AddSeconds(2);
            double? setpointKw = random.Next(4) switch
            {
                0 => null,
                1 => 0,
                _ => random.NextDouble() * 400 - 50,
            };
            var kw = chp.Step(TimeSpan.FromSeconds(2), t, setpointKw)!.ActivePowerKw;
            Assert.True(kw == 0 || (kw >= 120 - 1e-9 && kw <= 300 + 1e-9), $"{kw} kW at step {i}");
            sawOff |= kw == 0;
            sawOn |= kw > 0;
        }

        Assert.True(sawOff && sawOn);
    }

    [Fact]
    public void Ramps_down_to_min_stable_power_before_it_trips_off()
    {
        var chp = new SimulatedChp(Chp(maxKw: 200, minStableKw: 100, minUpSeconds: 0, rampKwPerSecond: 5), new Random(1));
        chp.Step(TimeSpan.FromSeconds(10), Midnight.AddSeconds(10), 200);
        Assert.Equal(150, chp.Step(TimeSpan.FromSeconds(10), Midnight.AddSeconds(20), 200)!.ActivePowerKw);
        Assert.Equal(200, chp.Step(TimeSpan.FromSeconds(10), Midnight.AddSeconds(30), 200)!.ActivePowerKw);

        Assert.Equal(150, chp.Step(TimeSpan.FromSeconds(10), Midnight.AddSeconds(40), 0)!.ActivePowerKw);
        Assert.Equal(0, chp.Step(TimeSpan.FromSeconds(10), Midnight.AddSeconds(50), 0)!.ActivePowerKw);
    }
}
