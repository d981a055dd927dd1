using Vpp.Domain.Assets;
using Vpp.Domain.Schedules;

namespace Vpp.Domain.Tests.Assets;

/// <summary>The one battery record a member reports, and the two views derived from it.</summary>
public sealed class BatteryAtSocTests
{
    /// <summary>200 kWh, SoC 10–90 %, round trip 81 % (0.9 each way), charges at 50 kW and discharges at 100 kW.</summary>
    private static AssetSpec Spec() => Specs.Battery() with { RoundTripEfficiencyPercent = 81, MinPowerKw = -50 };

    [Fact]
    public void Only_a_battery_with_a_known_soc_has_one()
    {
        Assert.Null(BatteryAtSoc.Of(Spec(), null));
        Assert.Null(BatteryAtSoc.Of(Specs.Solar(), 50));
        Assert.Equal(50, BatteryAtSoc.Of(Spec(), 50)!.Value.SocPercent);
    }

    [Fact]
    public void Its_store_is_counted_at_the_grid_with_its_losses_and_its_power_each_way()
    {
        var storage = BatteryAtSoc.Of(Spec(), 50)!.Value.Storage;

        // 80 kWh above min SoC × 0.9 deliverable, 80 kWh below max SoC ÷ 0.9 absorbable.
        Assert.Equal(72, storage.DeliverableKwh, 9);
        Assert.Equal(80 / 0.9, storage.AbsorbableKwh, 9);
        Assert.Equal(0.81, storage.RoundTripEfficiency, 9);
        Assert.Equal((100.0, 50.0), (storage.MaxDischargeKw, storage.MaxChargeKw));
    }

    [Fact]
    public void Soc_management_sees_the_usable_energy_and_the_power_it_can_hold_either_way()
    {
        var battery = BatteryAtSoc.Of(Spec(), 30)!.Value;

        Assert.Equal((160.0, 40.0, 50.0), (battery.UsableKwh, battery.StoredKwh, battery.PowerKw));
        var (fcr, socPercent) = battery.ForFcr()!.Value;
        Assert.Equal((160.0, 0.0, 100.0, 50.0, 50.0), (fcr.CapacityKwh, fcr.MinSocPercent, fcr.MaxSocPercent, fcr.MaxChargeKw, fcr.MaxDischargeKw));
        Assert.Equal(0.9, fcr.ChargeEfficiency, 9);
        Assert.Equal(0.9, fcr.DischargeEfficiency, 9);
        Assert.Equal(25, socPercent, 9);
    }

    [Fact]
    public void A_soc_outside_its_limits_counts_as_empty_or_full_for_soc_management_but_not_for_its_store()
    {
        var over = BatteryAtSoc.Of(Spec(), 95)!.Value;
        var under = BatteryAtSoc.Of(Spec(), 5)!.Value;

        Assert.Equal(160, over.StoredKwh, 9);
        Assert.Equal(170 * 0.9, over.Storage.DeliverableKwh, 9);
        Assert.Equal(0, under.StoredKwh, 9);
        Assert.Equal(0, under.Storage.DeliverableKwh, 9);
    }

    [Fact]
    public void A_battery_that_cannot_move_either_way_is_not_one_for_fcr()
    {
        Assert.Null(BatteryAtSoc.Of(Spec() with { MinPowerKw = 0 }, 50)!.Value.ForFcr());
        Assert.Null(BatteryAtSoc.Of(Spec() with { MinSocPercent = 50, MaxSocPercent = 50 }, 50)!.Value.ForFcr());
    }

    [Fact]
    public void Batteries_pool_into_one_store_with_the_worst_efficiency()
    {
        var pool = StoragePool.Sum([BatteryAtSoc.Of(Spec(), 50)?.Storage, BatteryAtSoc.Of(Specs.Battery(), 50)?.Storage])!.Value;

        Assert.Equal(0.81, pool.RoundTripEfficiency, 9);
        Assert.Equal(150, pool.MaxChargeKw);
    }
}
