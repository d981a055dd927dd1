using Vpp.Domain.Assets;
using Vpp.Domain.GridServices;
using Vpp.Domain.Simulation;
using Vpp.Domain.Tests.Assets;

namespace Vpp.Domain.Tests.GridServices;

public sealed class FcrBatteryTests
{
    private static readonly TimeSpan FifteenMinutes = TimeSpan.FromMinutes(15);

    /// <summary>±100 kW, 200 kWh, SoC 10–90 %, round trip 90 % (η_c = η_d = √0.9).</summary>
    private static readonly BatteryEnergy Battery = BatteryEnergy.Of(Specs.Battery())!.Value;

    [Fact]
    public void Window_reserves_the_energy_for_full_power_for_15_minutes_each_way()
    {
        var eta = Math.Sqrt(0.9);
        var window = FcrSocWindow.For(Battery, 100, FifteenMinutes);

        // 25 kWh at the grid: 25/η out of the store below, 25·η into the store above; 200 kWh = 100 %.
        Assert.Equal(10 + (25 / eta / 2), window.MinSocPercent, 9);
        Assert.Equal(90 - (25 * eta / 2), window.MaxSocPercent, 9);
        Assert.True(window.IsFeasible);
        Assert.Equal(25, Battery.DeliverableKwh(window.MinSocPercent), 9);
        Assert.Equal(25, Battery.AbsorbableKwh(window.MaxSocPercent), 9);
    }

    [Fact]
    public void A_battery_at_the_window_edge_delivers_full_power_for_the_whole_activation_time_in_the_simulator()
    {
        var window = FcrSocWindow.For(Battery, 100, FifteenMinutes);
        foreach (var (startSoc, setpointKw) in new[] { (window.MinSocPercent + 1e-9, 100.0), (window.MaxSocPercent - 1e-9, -100.0) })
        {
            var simulated = new SimulatedBattery(Specs.Battery(), new Random(7), startSoc);
            var t = Specs.T0;
            for (var second = 0; second < 900; second++)
            {
                t = t.AddSeconds(1);
                var telemetry = simulated.Step(TimeSpan.FromSeconds(1), t, setpointKw)!;
                Assert.Equal(setpointKw, telemetry.ActivePowerKw, 6);
            }
        }
    }

    [Fact]
    public void A_battery_too_small_for_its_reserve_has_no_feasible_window()
    {
        var small = Battery with { CapacityKwh = 40 };
        Assert.False(FcrSocWindow.For(small, 100, FifteenMinutes).IsFeasible);
        Assert.False(FcrSocWindow.For(small, 100, FifteenMinutes).Contains(50));
    }

    [Fact]
    public void Max_reserve_is_limited_by_power_for_a_large_battery_and_by_energy_for_a_small_one()
    {
        Assert.Equal(100, FcrSocWindow.MaxReserveKw(Battery, FifteenMinutes), 9);

        var small = Battery with { CapacityKwh = 50 };
        var eta = Math.Sqrt(0.9);
        var expectedKw = 0.8 * 50 / (0.25 * ((1 / eta) + eta)); // usable 40 kWh covers P·T out and P·T in
        Assert.Equal(expectedKw, FcrSocWindow.MaxReserveKw(small, FifteenMinutes), 9);
        Assert.True(FcrSocWindow.For(small, expectedKw, FifteenMinutes).IsFeasible);
        Assert.Equal(0, FcrSocWindow.For(small, expectedKw, FifteenMinutes) is var w ? w.MaxSocPercent - w.MinSocPercent : -1, 9);
    }

    [Fact]
    public void Max_reserve_now_depends_on_the_state_of_charge()
    {
        // At 15 % only 5 % of 200 kWh (10 kWh, 10·η at the grid) is left above min SoC: 10·η / 0.25 h.
        Assert.Equal(10 * Math.Sqrt(0.9) / 0.25, FcrSocWindow.MaxReserveKwAt(Battery, 15, FifteenMinutes), 9);
        Assert.Equal(100, FcrSocWindow.MaxReserveKwAt(Battery, 50, FifteenMinutes), 9);
        Assert.Equal(0, FcrSocWindow.MaxReserveKwAt(Battery, 95, FifteenMinutes), 9);
    }

    [Theory]
    [InlineData(100, 200, 0.5)]
    [InlineData(200, 200, 1)]
    [InlineData(300, 200, 1)] // more band than battery power: the batteries hold all they can, others the rest
    [InlineData(0, 200, 0)]
    [InlineData(100, 0, 0)]
    public void Each_battery_holds_the_band_pro_rata_to_its_power(double contractedKw, double batteryPowerKw, double share)
    {
        Assert.Equal(share, FcrSocManagement.ReserveShare(contractedKw, batteryPowerKw), 9);
    }
}
