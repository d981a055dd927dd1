using FsCheck.Xunit;
using Vpp.Domain.Simulation;
using static Vpp.Domain.Tests.Simulation.SimulationSpecs;

namespace Vpp.Domain.Tests.Simulation;

public sealed class BatterySimulationTests
{
    [Fact]
    public void Charge_then_discharge_loses_exactly_the_round_trip_efficiency()
    {
        // Round trip 81 %: η_c = η_d = 0.9. 100 kWh battery at 50 % holds 50 kWh.
        var battery = new SimulatedBattery(Battery(roundTripPercent: 81), new Random(1), initialSocPercent: 50);
        Assert.Equal(0.9, battery.ChargeEfficiency, 12);

        // Charging 20 kW for an hour takes 20 kWh from the grid and stores 0.9 · 20 = 18 kWh.
        var charged = battery.Step(TimeSpan.FromHours(1), Midnight.AddHours(1), -20)!;
        Assert.Equal(-20, charged.ActivePowerKw, 9);
        Assert.Equal(68, battery.EnergyKwh, 9);
        Assert.Equal(68, charged.StateOfChargePercent!.Value, 9);

        // Discharging 16.2 kW for an hour draws 16.2 / 0.9 = 18 kWh from the store: back to 50 kWh.
        var discharged = battery.Step(TimeSpan.FromHours(1), Midnight.AddHours(2), 16.2)!;
        Assert.Equal(16.2, discharged.ActivePowerKw, 9);
        Assert.Equal(50, battery.EnergyKwh, 9);

        // 16.2 kWh out for 20 kWh in: 81 %.
        Assert.Equal(0.81, 16.2 / 20, 12);
    }

    [Fact]
    public void Energy_balance_holds_over_many_small_steps()
    {
        var battery = new SimulatedBattery(Battery(maxKw: 40, roundTripPercent: 90), new Random(1), initialSocPercent: 50);
        var eta = Math.Sqrt(0.9);
        var t = Midnight;
        for (var i = 0; i < 360; i++)
        {
            t = t.AddSeconds(10);
            battery.Step(TimeSpan.FromSeconds(10), t, -30); // one hour at 30 kW charge
        }

        Assert.Equal(50 + (eta * 30), battery.EnergyKwh, 6);

        for (var i = 0; i < 180; i++)
        {
            t = t.AddSeconds(10);
            battery.Step(TimeSpan.FromSeconds(10), t, 40); // half an hour at 40 kW discharge
        }

        Assert.Equal(50 + (eta * 30) - (20 / eta), battery.EnergyKwh, 6);
    }

    [Fact]
    public void Never_discharges_below_min_soc_and_the_last_step_is_clipped_to_land_on_it()
    {
        // 11 % of 100 kWh, min 10 %: 1 kWh above the limit, 0.9 kWh deliverable (η_d = 0.9).
        var battery = new SimulatedBattery(Battery(maxKw: 50, roundTripPercent: 81, minSoc: 10), new Random(1), initialSocPercent: 11);

        var first = battery.Step(TimeSpan.FromHours(1), Midnight.AddHours(1), 50)!;
        Assert.Equal(0.9, first.ActivePowerKw, 9); // clipped from 50 kW: the step cannot cross the limit
        Assert.Equal(10, first.StateOfChargePercent!.Value, 9);

        var atLimit = battery.Step(TimeSpan.FromMinutes(1), Midnight.AddHours(1).AddMinutes(1), 50)!;
        Assert.Equal(0, atLimit.ActivePowerKw);
        Assert.Equal(10, atLimit.StateOfChargePercent!.Value, 9);

        // Charging is still allowed at min SoC.
        var recharge = battery.Step(TimeSpan.FromMinutes(1), Midnight.AddHours(1).AddMinutes(2), -30)!;
        Assert.Equal(-30, recharge.ActivePowerKw, 9);
    }

    [Fact]
    public void Never_charges_above_max_soc()
    {
        var battery = new SimulatedBattery(Battery(maxKw: 50, roundTripPercent: 81, maxSoc: 90), new Random(1), initialSocPercent: 89);

        var first = battery.Step(TimeSpan.FromHours(1), Midnight.AddHours(1), -50)!;
        Assert.Equal(-1 / 0.9, first.ActivePowerKw, 9); // 1 kWh of room needs 1/0.9 kWh from the grid
        Assert.Equal(90, first.StateOfChargePercent!.Value, 9);

        var atLimit = battery.Step(TimeSpan.FromMinutes(1), Midnight.AddHours(1).AddMinutes(1), -50)!;
        Assert.Equal(0, atLimit.ActivePowerKw);
    }

    [Fact]
    public void Follows_the_setpoint_within_its_ramp_rate_and_idles_without_one()
    {
        var spec = Battery(maxKw: 100) with { RampRateKwPerSecond = 5 };
        var battery = new SimulatedBattery(spec, new Random(1), initialSocPercent: 50);

        Assert.Equal(10, battery.Step(TimeSpan.FromSeconds(2), Midnight.AddSeconds(2), 80)!.ActivePowerKw, 9);
        Assert.Equal(20, battery.Step(TimeSpan.FromSeconds(2), Midnight.AddSeconds(4), 80)!.ActivePowerKw, 9);
        Assert.Equal(80, battery.Step(TimeSpan.FromSeconds(20), Midnight.AddSeconds(24), 80)!.ActivePowerKw, 9);
        Assert.Equal(100, battery.Step(TimeSpan.FromSeconds(20), Midnight.AddSeconds(44), 500)!.ActivePowerKw, 9); // clamped to max
        Assert.Equal(90, battery.Step(TimeSpan.FromSeconds(2), Midnight.AddSeconds(46), null)!.ActivePowerKw, 9); // heads for idle
    }

    [Property(MaxTest = 200)]
    public void Soc_stays_within_its_limits_whatever_the_setpoints(int seed)
    {
        var random = new Random(seed);
        var battery = new SimulatedBattery(Battery(maxKw: 200, capacityKwh: 50), new Random(seed), initialSocPercent: random.NextDouble() * 80 + 10);
        var t = Midnight;
        for (var i = 0; i < 200; i++)
        {
            var seconds = 1 + (random.NextDouble() * 600);
            t = t.AddSeconds(seconds);
            var telemetry = battery.Step(TimeSpan.FromSeconds(seconds), t, (random.NextDouble() * 600) - 300)!;
            Assert.InRange(telemetry.StateOfChargePercent!.Value, 10 - 1e-9, 90 + 1e-9);
            Assert.InRange(telemetry.ActivePowerKw, -200, 200);
        }
    }
}
