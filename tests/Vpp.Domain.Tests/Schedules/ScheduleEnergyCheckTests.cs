using Vpp.Domain.Assets;
using Vpp.Domain.Schedules;
using Vpp.Domain.Tests.Assets;

namespace Vpp.Domain.Tests.Schedules;

public sealed class ScheduleEnergyCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 29, 0, 0, 0, TimeSpan.Zero);
    private static readonly PowerRange Solar = new(0, 100);

    /// <summary>200 kWh at 50 %, SoC 10–90 %, round trip 81 % (η = 0.9 each way): 72 kWh deliverable, 88.9 kWh absorbable.</summary>
    private static StoragePool Pool() =>
        BatteryAtSoc.Of(Specs.Battery() with { RoundTripEfficiencyPercent = 81, MinPowerKw = -400, MaxPowerKw = 400 }, 50)!.Value.Storage;

    private static ScheduledSlot[] Slots(params double[] targetsKw) =>
        targetsKw.Select((kw, i) => new ScheduledSlot(Now.AddMinutes(15 * i), kw)).ToArray();

    [Fact]
    public void The_pool_counts_energy_at_the_grid()
    {
        var pool = Pool();
        Assert.Equal(72, pool.DeliverableKwh, 9);
        Assert.Equal(80 / 0.9, pool.AbsorbableKwh, 9);
        Assert.Equal(0.81, pool.RoundTripEfficiency, 9);
    }

    [Fact]
    public void Export_beyond_the_batteries_energy_is_flagged_with_slot_and_shortfall()
    {
        // 300 kW target, solar gives 100: the batteries must give 200 kW · 0.25 h = 50 kWh per slot out of 72.
        var warnings = ScheduleEnergyCheck.Check(Slots(300, 300, 300), Solar, Pool(), Now);

        Assert.Equal(2, warnings.Count);
        Assert.Equal((1, "slots[1]", Now.AddMinutes(15), true), (warnings[0].SlotIndex, warnings[0].Field, warnings[0].SlotStart, warnings[0].Discharging));
        Assert.Equal(28, warnings[0].ShortfallKwh, 9);
        Assert.Equal(50, warnings[1].ShortfallKwh, 9);
        Assert.Contains("28 kWh", warnings[0].Message);
    }

    [Fact]
    public void Import_beyond_the_room_left_is_flagged_and_discharging_first_makes_room()
    {
        // Absorbable 88.9 kWh: 400 kW of charge for 15 min is 100 kWh.
        var full = ScheduleEnergyCheck.Check(Slots(-400), Solar, Pool(), Now);
        Assert.False(Assert.Single(full).Discharging);
        Assert.Equal(100 - (80 / 0.9), full[0].ShortfallKwh, 9);

        // Exporting 40 kWh first frees 40 / 0.81 kWh of room.
        Assert.Empty(ScheduleEnergyCheck.Check(Slots(260, -400), Solar, Pool(), Now));
    }

    [Fact]
    public void Targets_the_unlimited_assets_can_meet_need_no_battery_energy()
    {
        Assert.Empty(ScheduleEnergyCheck.Check(Slots(100, 50, 0, 100, 100, 100, 100, 100), Solar, Pool(), Now));
        Assert.Empty(ScheduleEnergyCheck.Check(Slots(300), Solar, Pool() with { DeliverableKwh = 50 }, Now));
    }

    [Fact]
    public void Only_the_rest_of_the_running_slot_counts()
    {
        // At 10 of 15 minutes only 5 minutes of 1000 kW are left: 83.3 kWh, 11.3 more than the 72 available.
        var warning = Assert.Single(ScheduleEnergyCheck.Check(Slots(1100), Solar, Pool(), Now.AddMinutes(10)));
        Assert.Equal((1000.0 / 12) - 72, warning.ShortfallKwh, 9);
    }

    [Fact]
    public void A_battery_with_unknown_soc_adds_no_energy()
    {
        var pool = StoragePool.Sum([BatteryAtSoc.Of(Specs.Battery(), null)?.Storage, BatteryAtSoc.Of(Specs.Battery(), 90)?.Storage])!.Value;
        Assert.Equal(0, pool.AbsorbableKwh, 9);
        Assert.Equal(100, pool.MaxDischargeKw);
    }
}
