using Vpp.Domain.Assets;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Validation;
using static Vpp.Domain.Tests.Optimisation.OptimisationCases;

namespace Vpp.Domain.Tests.Optimisation;

public sealed class ScheduleOptimiserTests
{
    private const double Tolerance = 1e-4;

    [Fact]
    public void One_battery_charges_in_the_cheap_slot_and_sells_what_it_stored_in_the_dear_one()
    {
        // By hand: charging 100 kW for 15 min stores 0.9 × 25 = 22.5 kWh (50 → 72.5 %). Ending at ≥ 50 % lets it
        // deliver 22.5 × 0.9 = 20.25 kWh, i.e. 81 kW. Profit = (100 × 20.25 − 20 × 25) / 1000 = 1.525 EUR.
        var schedule = Optimal(Problem([20, 100], Battery()));

        Assert.Equal(-100, schedule.Slots[0].TargetKw, Tolerance);
        Assert.Equal(81, schedule.Slots[1].TargetKw, Tolerance);
        Assert.Equal(72.5, schedule.Slots[0].Groups[0].EndSocPercent!.Value, Tolerance);
        Assert.Equal(50, schedule.Slots[1].Groups[0].EndSocPercent!.Value, Tolerance);
        Assert.Equal(1.525, schedule.ProfitEur, Tolerance);
        Assert.Contains("battery.maxCharge", schedule.Slots[0].Binding);
        Assert.Contains("battery.endSoc", schedule.Slots[1].Binding);
    }

    [Fact]
    public void A_spread_smaller_than_the_losses_is_not_traded()
    {
        // Selling 0.81 kWh for every kWh bought only pays when the dear price is above 1 / 0.81 of the cheap one.
        var schedule = Optimal(Problem([90, 100], Battery()));

        Assert.All(schedule.Slots, s => Assert.Equal(0, s.TargetKw, Tolerance));
        Assert.Equal(0, schedule.ProfitEur, Tolerance);
    }

    [Fact]
    public void At_a_negative_price_pv_is_curtailed_and_the_battery_is_paid_to_charge()
    {
        var pv = new RenewableGroup("pv", AssetKind.Solar, 10, [100, 100]);
        var schedule = Optimal(Problem([-50, 50], Battery(), pv));

        var first = schedule.Slots[0];
        Assert.Equal(0, first.Groups.Single(g => g.Group == "pv").PowerKw, Tolerance);
        Assert.Equal(-100, first.Groups.Single(g => g.Group == "battery").PowerKw, Tolerance);
        Assert.Contains("pv.curtailed", first.Binding);
        Assert.Equal(100, schedule.Slots[1].Groups.Single(g => g.Group == "pv").PowerKw, Tolerance);
        Assert.Equal(181, schedule.Slots[1].TargetKw, Tolerance);

        // 50 × 25 kWh paid for charging, 50 × (20.25 + 25) kWh sold.
        Assert.Equal(3.5125, schedule.ProfitEur, Tolerance);
    }

    [Fact]
    public void A_chp_group_runs_whole_units_between_min_stable_and_max_power_when_the_price_covers_its_cost()
    {
        // Three 100 kW units (60 kW min stable power, 80 EUR/MWh): off below their cost, all at max power above it.
        var chp = new ChpGroup("chp", 3, 100, 60, 80);
        var schedule = Optimal(Problem([50, 120, 120, 50], chp));

        Assert.Equal([0, 300, 300, 0], schedule.Slots.Select(s => Math.Round(s.TargetKw, 3)));
        Assert.Contains("chp.maxPower", schedule.Slots[1].Binding);
        Assert.Equal([0, 3, 3, 0], schedule.Slots.Select(s => s.Groups[0].UnitsOn!.Value));
    }

    [Fact]
    public void A_chp_groups_ramp_holds_for_its_running_units_while_starts_reach_min_stable_power_and_stops_leave_from_any_power()
    {
        // Two 100 kW units (40 kW min stable, 80 EUR/MWh) ramping 20 kW per quarter hour each (40 kW for the group).
        // Started in slot 1, each reaches min stable + 20 = 60 kW: 120; then +40 per slot: 160, 200; both stop in
        // slot 4 from full power, since shut-down is the unit's own sequence. Starting early at 60 EUR/MWh below cost
        // does not pay: x kW in slot 0 loses 0.015·x EUR and gains at most 0.01·(x − 40). Profit 40 × (120 + 160 +
        // 200) × 0.25 / 1000 = 4.8 EUR; greedy (run both in the dear slots) repaired to the ramp gives the same.
        var chp = new ChpGroup("chp", 2, 100, 40, 80) { RampKwPerSecond = 40.0 / 900 };
        var problem = Problem([20, 120, 120, 120, 20], chp);

        foreach (var schedule in new[] { Optimal(problem), GreedySchedule.Solve(problem)! })
        {
            Assert.Equal([0, 120, 160, 200, 0], schedule.Slots.Select(s => Math.Round(s.TargetKw, 3)));
            Assert.Equal(4.8, schedule.ProfitEur, Tolerance);
            Assert.All(schedule.Slots.Skip(1).Take(3), s => Assert.Contains("chp.rampUp", s.Binding));
            Assert.DoesNotContain("chp.rampDown", schedule.Slots[4].Binding);
        }
    }

    [Fact]
    public void Greedy_holds_a_ramp_limited_pv_group_within_its_ramp_as_the_program_does()
    {
        // 100 kW of PV that ramps 40 kW per quarter hour. At a negative price in the middle slot greedy would curtail
        // to 0 but can only come down to 60 kW and get back to 100 kW: 100, 60, 100, the program's optimum as well
        // (50 × (100 − 60 + 100) × 0.25 / 1000 = 1.75 EUR). Available power falling to 0 in the last slot: it starts
        // coming down early enough, 80, 40, 0.
        var ramp = 40.0 / 900;
        var dip = Problem([50, -50, 50], new RenewableGroup("pv", AssetKind.Solar, 10, [100, 100, 100]) { RampKwPerSecond = ramp });
        var sunset = Problem([50, 50, 50], new RenewableGroup("pv", AssetKind.Solar, 10, [100, 100, 0]) { RampKwPerSecond = ramp });

        foreach (var schedule in new[] { GreedySchedule.Solve(dip)!, Optimal(dip) })
        {
            Assert.Equal([100, 60, 100], schedule.Slots.Select(s => Math.Round(s.TargetKw, 6)));
            Assert.Equal(1.75, schedule.ProfitEur, Tolerance);
        }

        Assert.Equal([80, 40, 0], GreedySchedule.Solve(sunset)!.Slots.Select(s => Math.Round(s.TargetKw, 6)));
        Assert.Equal([80, 40, 0], Optimal(sunset).Slots.Select(s => Math.Round(s.TargetKw, 6)));
    }

    [Fact]
    public void A_flexible_load_is_curtailed_only_when_the_price_exceeds_what_curtailing_costs()
    {
        var load = new FlexibleLoadGroup("load", 5, BaselineKw: 200, MinConsumptionKw: 50, MarginalCostEurPerMwh: 150);
        var schedule = Optimal(Problem([100, 200], load));

        Assert.Equal(-200, schedule.Slots[0].TargetKw, Tolerance);
        Assert.Equal(-50, schedule.Slots[1].TargetKw, Tolerance);
        Assert.Contains("load.maxCurtailment", schedule.Slots[1].Binding);
    }

    [Fact]
    public void The_fcr_band_is_left_free_in_both_directions_in_its_slots()
    {
        // 100 kW battery, band ±40 kW in the middle two slots: there it may move at most 60 kW either way.
        var problem = Problem([0, 0, 500, 500, 500, 500], Battery(capacityKwh: 1000, startSocPercent: 50)) with
        {
            FcrBandKw = [0, 0, 40, 40, 0, 0],
            EndSocPercent = 0,
        };
        var schedule = Optimal(problem);

        Assert.Equal(100, schedule.Slots[4].TargetKw, Tolerance);
        Assert.Equal(60, schedule.Slots[2].TargetKw, Tolerance);
        Assert.Equal(60, schedule.Slots[3].TargetKw, Tolerance);
        Assert.Contains("fleet.fcrUp", schedule.Slots[2].Binding);
    }

    [Fact]
    public void Sold_afrr_capacity_is_held_free_in_its_direction_in_every_slot()
    {
        // 100 kW battery, 30 kW positive and 20 kW negative aFRR sold: it may discharge at most 70 kW and charge at
        // most 80 kW in any slot (paid to charge at −50 EUR/MWh, it charges all it may); the greedy baseline keeps the same room.
        var problem = Problem([-50, 500, 500, 500], Battery(capacityKwh: 1000, startSocPercent: 50)) with
        {
            AfrrUpKw = 30,
            AfrrDownKw = 20,
            EndSocPercent = 0,
        };

        var schedule = Optimal(problem);

        Assert.Equal(-80, schedule.Slots[0].TargetKw, Tolerance);
        Assert.All(schedule.Slots.Skip(1), s => Assert.Equal(70, s.TargetKw, Tolerance));
        Assert.Contains("fleet.reserveDown", schedule.Slots[0].Binding);
        Assert.Contains("fleet.reserveUp", schedule.Slots[1].Binding);
        var greedy = GreedySchedule.Solve(problem)!;
        Assert.All(greedy.Slots, s => Assert.InRange(s.TargetKw, -80 - Tolerance, 70 + Tolerance));
    }

    [Fact]
    public void Afrr_capacity_on_top_of_the_fcr_band_beyond_the_fleets_power_is_explained()
    {
        // FCR ±40 kW in slot 1 plus 170 kW positive aFRR: 210 kW up cannot be held there even by a 100 kW battery
        // charging at full power (200 kW between full charge and full discharge).
        var problem = Problem([10, 10, 10], Battery(capacityKwh: 1000)) with { FcrBandKw = [0, 40, 0], AfrrUpKw = 170 };

        var result = ScheduleOptimiser.Solve(problem, Limit);

        Assert.Null(result.Schedule);
        Assert.Equal(Infeasibility.Families.Reserve, result.Infeasibility!.Constraint);
        Assert.Equal(Midnight.AddMinutes(15), result.Infeasibility.SlotStart);
        Assert.Contains("reserve +210/−40 kW (FCR band ±40 kW, aFRR capacity +170/−0 kW) cannot be held free at 2026-03-29 00:15 UTC", result.Infeasibility.Message);
    }

    [Fact]
    public void An_unreachable_end_soc_is_explained_with_the_energy_short_and_the_last_slot()
    {
        // Two slots at 100 kW charge store at most 2 × 22.5 = 45 kWh: 10 % + 45 % = 55 %, 35 kWh short of 90 %.
        var problem = Problem([50, 50], Battery(startSocPercent: 10)) with { EndSocPercent = 90 };

        var result = ScheduleOptimiser.Solve(problem, Limit);

        Assert.Null(result.Schedule);
        Assert.Equal(Infeasibility.Families.EndSoc, result.Infeasibility!.Constraint);
        Assert.Equal(Midnight.AddMinutes(15), result.Infeasibility.SlotStart);
        Assert.Equal("SoC end condition cannot be met: 0.035 MWh short at 2026-03-29 00:15 UTC (the batteries must end at 90 % SoC)", result.Infeasibility.Message);
    }

    [Fact]
    public void An_fcr_band_the_batteries_cannot_sustain_is_explained_with_its_first_slot()
    {
        // 100 kWh at 50 %: holding 40 kW for 15 min downwards needs 40 × 0.25 × 0.9 = 9 kWh of room, upwards 11.1 kWh
        // of energy. Selling hard in the dear slots first drains it, but the band is a hard constraint: the optimiser
        // keeps enough. A band of 120 kW from slot 5 exceeds the 100 kW of power: infeasible there and only there.
        double[] band = [0, 0, 0, 0, 0, 120, 120, 0];
        var problem = Problem([10, 10, 10, 10, 90, 90, 90, 90], Battery()) with { FcrBandKw = band };

        var result = ScheduleOptimiser.Solve(problem, Limit);

        Assert.Null(result.Schedule);
        Assert.Equal(Infeasibility.Families.FcrBand, result.Infeasibility!.Constraint);
        Assert.Equal(Midnight.AddMinutes(75), result.Infeasibility.SlotStart);
        Assert.Contains("FCR band ±120 kW cannot be held free in both directions at 2026-03-29 01:15 UTC", result.Infeasibility.Message);
        Assert.Contains("at most ±100 kW", result.Infeasibility.Message);
    }

    [Fact]
    public void An_fcr_band_beyond_the_battery_energy_is_explained_by_what_the_energy_sustains()
    {
        // 20 kWh at 0–100 %: a reserve R needs R × 0.25 / 0.9 kWh above min and R × 0.25 × 0.9 below max, so at most
        // 20 / (0.25/0.9 + 0.225) = 39.779 kW: a 50 kW band fails in its first slot although 100 kW of power would do.
        var problem = Problem([10, 10, 10], Battery(capacityKwh: 20)) with { FcrBandKw = [0, 50, 50] };

        var result = ScheduleOptimiser.Solve(problem, Limit);

        Assert.Equal(Infeasibility.Families.FcrBand, result.Infeasibility!.Constraint);
        Assert.Equal(Midnight.AddMinutes(15), result.Infeasibility.SlotStart);
        Assert.Contains("at most ±39.779 kW", result.Infeasibility.Message);
    }

    [Fact]
    public void A_start_soc_outside_the_battery_limits_is_refused_naming_the_field()
    {
        var problem = Problem([10, 20], Battery(startSocPercent: 50, minSocPercent: 60));

        var error = Assert.Throws<DomainValidationException>(() => ScheduleOptimiser.Solve(problem, Limit));

        Assert.Contains(error.Errors, e => e.Field == "groups" && e.Message.Contains("starts at 50 %"));
    }

    [Fact]
    public void A_cancelled_solve_throws()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => ScheduleOptimiser.Solve(Problem([10, 20], Battery()), Limit, cancelled.Token));
    }

    [Fact]
    public void Unavailable_capacity_is_taken_out_of_the_slots_it_covers()
    {
        var battery = Battery(capacityKwh: 1000) with { AvailableShare = [1, 0.25] };
        var schedule = Optimal(Problem([500, 500], battery) with { EndSocPercent = 0 });

        Assert.Equal(100, schedule.Slots[0].TargetKw, Tolerance);
        Assert.Equal(25, schedule.Slots[1].TargetKw, Tolerance);
    }

    [Fact]
    public void An_end_soc_at_a_folded_groups_limit_is_accepted_and_planned()
    {
        // Three 7 kWh batteries at 10–90 % fold into a group whose limits come back through kWh sums as
        // 89.99999999999999 %: an end condition of exactly 90 % is the limit, not beyond it.
        var spec = new AssetSpec
        {
            FleetId = "fleet", Kind = AssetKind.Battery, MinPowerKw = -7, MaxPowerKw = 7, EnergyCapacityKwh = 7,
            MinSocPercent = 10, MaxSocPercent = 90,
        };
        var parts = Enumerable.Range(0, 3).Select(_ => GroupTotals.Of(spec, 50, null, [], Midnight, 8)!);
        var group = Assert.Single(GroupTotals.Fold(parts)).ToGroup(8);
        var problem = Problem([.. Enumerable.Repeat(50.0, 8)], group) with { EndSocPercent = 90 };

        Assert.Empty(problem.Validate());
        var schedule = Optimal(problem);
        Assert.Equal(90, schedule.Slots[^1].Groups.Single().EndSocPercent!.Value, 6);
    }
}
