using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Schedules;
using static Vpp.Domain.Tests.Optimisation.OptimisationCases;

namespace Vpp.Domain.Tests.Optimisation;

/// <summary>The battery groups' start SoC and the CHP groups' units on at a plan's start, projected through the stored schedule from now.</summary>
public sealed class StartStateProjectionTests
{
    private static readonly DateTimeOffset Ten = Midnight.AddHours(10);

    private static readonly DateTimeOffset Noon = Midnight.AddHours(12);

    /// <summary>A 1,000 kWh battery of 200 kW each way, η = 0.9 each way, at 80 % SoC now.</summary>
    private static readonly BatteryGroup Store = Battery(capacityKwh: 1000, powerKw: 200, startSocPercent: 80);

    /// <summary>One target for every quarter hour of [<paramref name="from"/>, <paramref name="until"/>).</summary>
    private static ScheduledSlot[] Slots(DateTimeOffset from, DateTimeOffset until, double targetKw) =>
        [.. QuarterHour.Starts(from, until).Select(s => new ScheduledSlot(s, targetKw))];

    private static double StartSoc(IReadOnlyList<FleetGroup> groups) => groups.OfType<BatteryGroup>().Single().StartSocPercent;

    [Fact]
    public void A_stored_discharge_until_from_lowers_the_start_soc_by_the_energy_out_of_the_store()
    {
        var groups = StartStateProjection.StartAt([Store], [Store], Slots(Ten, Noon, 100), null, Ten, Noon);

        // 100 kW for 2 h at the grid = 200 kWh; out of the store 200 / 0.9 = 222.222 kWh = 22.222 % of 1,000 kWh:
        // 80 − 22.222 = 57.778 %.
        Assert.Equal(80 - (100 * 2 / 0.9 / 1000 * 100), StartSoc(groups), 9);
    }

    [Fact]
    public void A_stored_charge_until_from_raises_the_start_soc_by_the_energy_into_the_store()
    {
        var groups = StartStateProjection.StartAt([Store], [Store], Slots(Ten, Noon, -90), null, Ten, Noon);

        // 90 kW for 2 h from the grid = 180 kWh; into the store 180 × 0.9 = 162 kWh = 16.2 %: 80 + 16.2 = 96.2 %.
        Assert.Equal(96.2, StartSoc(groups), 9);
    }

    [Fact]
    public void The_part_of_the_current_quarter_hour_already_past_is_not_projected()
    {
        var groups = StartStateProjection.StartAt([Store], [Store], Slots(Ten, Ten.AddMinutes(30), 90), null, Ten.AddMinutes(5), Ten.AddMinutes(30));

        // From 10:05 to 10:30: 25 min at 90 kW = 37.5 kWh at the grid, 37.5 / 0.9 = 41.667 kWh = 4.1667 %.
        Assert.Equal(80 - (37.5 / 0.9 / 10), StartSoc(groups), 9);
    }

    [Fact]
    public void A_target_the_battery_cannot_sustain_stops_it_at_its_min_soc()
    {
        var small = Battery(capacityKwh: 100, powerKw: 200, startSocPercent: 30, minSocPercent: 10);

        // 20 kWh above min SoC deliver 18 kWh at the grid; 100 kW for 2 h asks 200 kWh. The projection takes what the
        // battery can do and stops at 10 %.
        var groups = StartStateProjection.StartAt([small], [small], Slots(Ten, Noon, 100), null, Ten, Noon);

        Assert.Equal(10, StartSoc(groups), 9);
    }

    [Fact]
    public void Near_its_min_soc_a_battery_delivers_only_what_its_derating_allows_at_each_quarter_hours_start()
    {
        // Lossless 10 kWh / 10 kW at 10 % (1 kWh), derated over 50 % (5 kWh); 10 kW asked for 30 min. First quarter
        // hour at most 10 × 1/5 = 2 kW (0.5 kWh), the second from 0.5 kWh at most 1 kW (0.25 kWh): 2.5 % at from.
        // Without the band its 1 kWh would last the first quarter hour at 4 kW: 0 % at from.
        var derated = new BatteryGroup("battery", 1, new BatteryEnergy(10, 0, 100, 1, 1, 10, 10), 10) { SocDerateBandPercent = 50 };
        var full = derated with { SocDerateBandPercent = 0 };
        var stored = Slots(Ten, Ten.AddMinutes(30), 10);

        Assert.Equal(2.5, StartSoc(StartStateProjection.StartAt([derated], [derated], stored, null, Ten, Ten.AddMinutes(30))), 9);
        Assert.Equal(0, StartSoc(StartStateProjection.StartAt([full], [full], stored, null, Ten, Ten.AddMinutes(30))), 9);
    }

    [Fact]
    public void Cheaper_groups_serve_the_target_first_in_merit_order_and_the_battery_the_rest()
    {
        // PV at its forecast (60 kW the first hour, 40 kW the second) at 0 EUR/MWh, a 25 kW CHP at 50 EUR/MWh, the
        // battery's wear at 60 EUR/MWh. Target 100 kW: PV 60 + CHP 25 + battery 15 the first hour, PV 40 + CHP 25 +
        // battery 35 the second: 50 kWh at the grid, 50 / 0.9 = 55.556 kWh from the store = 5.5556 % of 1,000 kWh.
        var battery = Store with { MarginalCostEurPerMwh = 60 };
        FleetGroup[] window =
        [
            new RenewableGroup("pv", AssetKind.Solar, 1, [60, 60, 60, 60, 40, 40, 40, 40]),
            new ChpGroup("chp", 1, UnitMaxKw: 25, UnitMinStableKw: 0, MarginalCostEurPerMwh: 50),
            battery,
        ];
        FleetGroup[] planned = [new RenewableGroup("pv", AssetKind.Solar, 1, [0]), battery];

        var groups = StartStateProjection.StartAt(planned, window, Slots(Ten, Noon, 100), null, Ten, Noon);

        Assert.Equal(80 - (50 / 0.9 / 10), StartSoc(groups), 9);
        Assert.Same(planned[0], groups[0]);
    }

    [Theory]
    [InlineData(DispatchStrategy.MeritOrder, 60.0)]
    [InlineData(DispatchStrategy.ProRata, 200 * 60 / 260.0)]
    public void The_fleets_dispatch_strategy_splits_the_target_as_dispatch_does(DispatchStrategy strategy, double chargeKw)
    {
        // PV forecast 60 kW (0 EUR/MWh), target 0 kW for an hour: the fleet must lower by 60 kW. Merit order lowers the
        // dearest first, the battery (60 EUR/MWh wear) charging 60 kW; pro rata lowers both by the same share of their
        // room down, 60 of 260 kW (PV 60, battery 200): the battery charges 200 × 60 / 260 = 46.154 kW. Into the store
        // × 0.9 for an hour, over 1,000 kWh.
        var battery = Store with { MarginalCostEurPerMwh = 60 };
        FleetGroup[] window = [new RenewableGroup("pv", AssetKind.Solar, 1, [60, 60, 60, 60]), battery];

        var groups = StartStateProjection.StartAt([battery], window, Slots(Ten, Ten.AddHours(1), 0), null, Ten, Ten.AddHours(1), strategy);

        Assert.Equal(80 + (chargeKw * 0.9 / 10), StartSoc(groups), 9);
    }

    [Fact]
    public void A_charge_the_battery_cannot_take_stops_it_at_its_max_soc()
    {
        // 90 % max SoC: 100 kWh of room; 150 kW for 2 h puts 270 kWh into the store.
        var capped = Store with { Energy = Store.Energy with { MaxSocPercent = 90 } };
        var groups = StartStateProjection.StartAt([capped], [capped], Slots(Ten, Noon, -150), null, Ten, Noon);

        Assert.Equal(90, StartSoc(groups), 9);
    }

    [Fact]
    public void A_from_at_or_before_the_current_quarter_hours_start_is_not_projected()
    {
        IReadOnlyList<FleetGroup> planned = [Store];

        Assert.Same(planned, StartStateProjection.StartAt(planned, [Store], Slots(Ten, Noon, 100), null, Ten.AddMinutes(5), Ten));
        Assert.Same(planned, StartStateProjection.StartAt(planned, [Store], Slots(Ten, Noon, 100), null, Ten, Ten.AddMinutes(-15)));
    }

    [Fact]
    public void Where_no_slot_is_stored_the_fleet_keeps_its_standing_target_until_the_schedule_runs_out_to_zero()
    {
        var targets = StartStateProjection.TargetsKw([new ScheduledSlot(Ten.AddMinutes(15), 20)], Ten, 4, standingKw: 50);

        Assert.Equal([50, 20, 0, 0], targets);
        Assert.Equal([null, null], StartStateProjection.TargetsKw([], Ten, 2, standingKw: null));
    }

    [Fact]
    public void A_standing_target_with_no_schedule_moves_the_start_soc_too()
    {
        // 50 kW held for 2 h: 100 kWh at the grid, 111.111 kWh from the store = 11.111 %.
        var groups = StartStateProjection.StartAt([Store], [Store], [], 50, Ten, Noon);

        Assert.Equal(80 - (100 / 0.9 / 10), StartSoc(groups), 9);
    }

    [Fact]
    public void The_virtual_batteries_plans_add_to_the_fleets_own_target_quarter_hour_by_quarter_hour()
    {
        // Two slices: one sells 40 kW from 10:15 for half an hour, one buys 10 kW in the quarter hour in progress; plans
        // starting before the window count from the window's start.
        var slicesKw = StartStateProjection.SlicesKw([(Ten.AddMinutes(15), [40.0, 40]), (Ten, [-10.0]), (Ten.AddMinutes(-15), [99.0, 5])], Ten, 4);
        Assert.Equal([-10 + 5, 40, 40, 0], slicesKw);

        // The fleet's own 20 kW held, plus the slices: 15, 60, 60, 20 kW for a quarter hour each = 38.75 kWh at the grid.
        var groups = StartStateProjection.StartAt([Store], [Store], [], 20, Ten, Ten.AddHours(1), slicesKw: slicesKw);
        Assert.Equal(80 - (38.75 / 0.9 / 10), StartSoc(groups), 9);

        // With no target of its own the fleet still delivers its slices' (it dispatches 0 kW plus theirs): 1.25 kWh
        // bought (1.125 kWh into the store), 20 kWh sold (22.222 kWh out of it).
        var slicesOnly = StartStateProjection.StartAt([Store], [Store], [], null, Ten, Ten.AddHours(1), slicesKw: slicesKw);
        Assert.Equal(80 + ((1.25 * 0.9) - (20 / 0.9)) / 10, StartSoc(slicesOnly), 9);
    }
    /// <summary>Four 50 kW CHP units of 20 kW min stable power at 70 EUR/MWh that must run 2 h (8 slots) and rest 1 h (4).</summary>
    private static readonly ChpGroup Chp = new("chp", 4, UnitMaxKw: 50, UnitMinStableKw: 20, MarginalCostEurPerMwh: 70) { MinUpSlots = 8, MinDownSlots = 4 };

    [Fact]
    public void Units_a_schedule_starts_before_from_run_at_from_and_are_held_on_until_their_min_up_time_is_served()
    {
        // Now 10:00, the plan from 11:00. One unit runs now and must run until 12:30 (slots 10:00–12:15 from now, 11:00–12:15
        // from the plan); the schedule asks 120 kW at 10:30 and 10:45, nothing before (no target: units stay as they are).
        var window = Chp with { UnitsOnBefore = 1, UnitsHeldOn = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1] };
        var planned = Chp with { UnitsOnBefore = 1, UnitsHeldOn = [1, 1, 1, 1, 1, 1] };

        var chp = (ChpGroup)StartStateProjection.StartAt([planned], [window], Slots(Ten.AddMinutes(30), Ten.AddHours(1), 120), null, Ten, Ten.AddHours(1)).Single();

        // 120 kW needs at least 3 units (3 × 50 ≥ 120) and allows at most 6 (6 × 20 ≤ 120): the running unit keeps
        // running and 2 start at 10:30. Started at 10:30 with 8 slots to run, they are held until 12:15 inclusive: plan
        // slots 11:00–12:15 (6), beside the unit held from before.
        Assert.Equal(3, chp.UnitsOnBefore);
        Assert.Equal([3, 3, 3, 3, 3, 3, 0], chp.UnitsHeldOn);
        Assert.Equal([0, 0, 0], chp.UnitsHeldOff);
        Assert.Equal(3, chp.UnitsHeldOnAt(5));
        Assert.Equal(0, chp.UnitsHeldOnAt(6));
    }

    [Fact]
    public void Units_a_schedule_stops_before_from_rest_their_min_down_time_into_the_plan()
    {
        // Four units running now, their min up time long served. 100 kW at 10:00 and 10:15 lies within what the four carry
        // (80–200 kW): they keep running; 0 kW at 10:30 and 10:45 stops all four at 10:30, and they rest 10:30–11:15.
        var window = Chp with { UnitsOnBefore = 4 };
        var stored = Slots(Ten, Ten.AddMinutes(30), 100).Concat(Slots(Ten.AddMinutes(30), Ten.AddHours(1), 0)).ToArray();

        var chp = (ChpGroup)StartStateProjection.StartAt([window], [window], stored, null, Ten, Ten.AddHours(1)).Single();

        Assert.Equal(0, chp.UnitsOnBefore);
        Assert.Equal([4, 4, 0], chp.UnitsHeldOff);
        Assert.All(chp.UnitsHeldOn, held => Assert.Equal(0, held));
    }

    [Fact]
    public void A_unit_stopped_before_from_cannot_start_again_within_its_min_down_time_and_the_battery_serves_instead()
    {
        // The CHP (70 EUR/MWh) runs before the battery (80 EUR/MWh wear) in merit order. Stopped at 10:30 by a 0 kW slot,
        // the units may not run at 10:45: the 150 kW asked then come from the battery, 37.5 kWh at the grid, 41.667 kWh
        // out of the store = 4.1667 % of 1,000 kWh.
        var battery = Store with { MarginalCostEurPerMwh = 80 };
        var stored = Slots(Ten, Ten.AddMinutes(30), 100).Concat([new ScheduledSlot(Ten.AddMinutes(30), 0), new ScheduledSlot(Ten.AddMinutes(45), 150)]).ToArray();

        var groups = StartStateProjection.StartAt([Chp, battery], [Chp with { UnitsOnBefore = 4 }, battery], stored, null, Ten, Ten.AddHours(1));

        Assert.Equal(80 - (37.5 / 0.9 / 10), StartSoc(groups), 9);
        Assert.Equal(0, groups.OfType<ChpGroup>().Single().UnitsOnBefore);
    }
    [Fact]
    public void Beyond_the_longest_projection_a_units_min_up_time_counts_the_quarter_hours_between_its_end_and_the_plan()
    {
        // The projection covers PlannedRanges.MaxSlots quarter hours from 10:00; the plan starts 2 quarter hours after
        // them. Units started in the projection's last quarter hour run 8: that one, the 2 between, and 5 of the plan.
        var end = Ten + (QuarterHour.Length * PlannedRanges.MaxSlots);

        var chp = (ChpGroup)StartStateProjection.StartAt([Chp], [Chp], Slots(end - QuarterHour.Length, end, 120), null, Ten, end.AddMinutes(30)).Single();

        Assert.Equal(3, chp.UnitsOnBefore);
        Assert.Equal([3, 3, 3, 3, 3, 0, 0], chp.UnitsHeldOn);
    }
}
