using Vpp.Domain.Assets;
using Vpp.Domain.Optimisation;
using static Vpp.Domain.Tests.Optimisation.OptimisationCases;

namespace Vpp.Domain.Tests.Optimisation;

/// <summary>
/// CHP units' state before the horizon in the program and in the greedy baseline: one 100 kW unit that runs at exactly
/// 100 kW (min stable power = max power) at 50 EUR/MWh, so each slot on earns (price − 50) × 25 kWh, read from its
/// spec and live state by <see cref="GroupTotals.Of"/> as the partitions do.
/// </summary>
public sealed class ChpInitialStateTests
{
    private const double Tolerance = 1e-4;

    private static AssetSpec Spec(double? minUpSeconds = null, double? minDownSeconds = null) => new()
    {
        FleetId = "f", Kind = AssetKind.Chp, MinPowerKw = 0, MaxPowerKw = 100, MinStablePowerKw = 100, MarginalCostEurPerMwh = 50,
        MinUpTimeSeconds = minUpSeconds, MinDownTimeSeconds = minDownSeconds,
    };

    private static ChpGroup Group(AssetSpec spec, bool running, DateTimeOffset? changedAt, int slots) =>
        (ChpGroup)GroupTotals.Of(spec, null, null, [], Midnight, slots, running, changedAt)!.ToGroup(slots);

    private static double[] Kw(ProposedSchedule schedule) => [.. schedule.Slots.Select(s => Math.Round(s.TargetKw, 3))];

    [Fact]
    public void A_unit_on_for_ten_minutes_with_an_hour_min_up_time_runs_the_remaining_slots_at_a_price_that_says_stop()
    {
        // 50 minutes of its hour are left: it runs slots 0–3 (the schedule switches at quarter hours), at −0.75 EUR each.
        var chp = Group(Spec(minUpSeconds: 3600), running: true, Midnight.AddMinutes(-10), slots: 6);
        var problem = Problem([20, 20, 20, 20, 20, 20], chp);

        var schedule = Optimal(problem);
        var greedy = GreedySchedule.Solve(problem)!;

        Assert.Equal((1, 4), (chp.UnitsOnBefore, chp.UnitsHeldOn.Count));
        Assert.Equal([100, 100, 100, 100, 0, 0], Kw(schedule));
        Assert.Equal(-3.0, schedule.ProfitEur, Tolerance);
        Assert.Contains(chp.Name + ".minUp", schedule.Slots[0].Binding);
        Assert.Equal([100, 100, 100, 100, 0, 0], Kw(greedy));
    }

    [Fact]
    public void An_off_unit_inside_its_min_down_time_is_not_started_while_it_must_rest()
    {
        // Stopped 10 minutes ago with an hour's min down time: off in slots 0–3 at any price, then it runs.
        var chp = Group(Spec(minDownSeconds: 3600), running: false, Midnight.AddMinutes(-10), slots: 6);
        var problem = Problem([120, 120, 120, 120, 120, 120], chp);

        var schedule = Optimal(problem);
        var greedy = GreedySchedule.Solve(problem)!;

        Assert.Equal((0, 4), (chp.UnitsOnBefore, chp.UnitsHeldOff.Count));
        Assert.Equal([0, 0, 0, 0, 100, 100], Kw(schedule));
        Assert.Contains(chp.Name + ".minDown", schedule.Slots[0].Binding);
        Assert.Equal([0, 0, 0, 0, 100, 100], Kw(greedy));
    }

    [Fact]
    public void A_unit_running_now_that_stops_at_the_start_rests_its_min_down_time_so_a_short_dip_is_run_through()
    {
        // Min down 45 minutes (3 slots), no switch time known (taken as long ago: free to stop). Stopping in slot 0
        // keeps it off until slot 3: 0.75 EUR; running through the dip −0.25 + 3 × 0.75 = 2.0 EUR.
        var chp = Group(Spec(minDownSeconds: 2700), running: true, changedAt: null, slots: 4);
        var problem = Problem([40, 80, 80, 80], chp);

        var schedule = Optimal(problem);
        var greedy = GreedySchedule.Solve(problem)!;

        Assert.Equal((1, 0, 0), (chp.UnitsOnBefore, chp.UnitsHeldOn.Count, chp.UnitsHeldOff.Count));
        Assert.Equal([100, 100, 100, 100], Kw(schedule));
        Assert.Equal(2.0, schedule.ProfitEur, Tolerance);
        Assert.Equal(2.0, greedy.ProfitEur, Tolerance);
    }

    [Fact]
    public void A_unit_whose_min_up_time_has_passed_or_whose_switch_time_is_unknown_stops_when_the_price_says_so()
    {
        foreach (var changedAt in new DateTimeOffset?[] { Midnight.AddHours(-2), null })
        {
            var chp = Group(Spec(minUpSeconds: 3600), running: true, changedAt, slots: 3);
            var schedule = Optimal(Problem([20, 20, 20], chp));

            Assert.Equal([0, 0, 0], Kw(schedule));
        }
    }

    [Fact]
    public void Units_on_and_held_add_up_over_the_members_of_a_group()
    {
        // Two units on (one held for 2 slots, one for 4), one off held for 1 slot, one off and free.
        var spec = Spec(minUpSeconds: 3600, minDownSeconds: 1800);
        var totals = GroupTotals.Fold(new[]
        {
            GroupTotals.Of(spec, null, null, [], Midnight, 8, chpRunning: true, chpChangedAt: Midnight.AddMinutes(-35))!,
            GroupTotals.Of(spec, null, null, [], Midnight, 8, chpRunning: true, chpChangedAt: Midnight)!,
            GroupTotals.Of(spec, null, null, [], Midnight, 8, chpRunning: false, chpChangedAt: Midnight.AddMinutes(-20))!,
            GroupTotals.Of(spec, null, null, [], Midnight, 8)!,
        });
        var chp = (ChpGroup)Assert.Single(totals).ToGroup(8);

        Assert.Equal(2, chp.UnitsOnBefore);
        Assert.Equal([2, 2, 1, 1, 0], Enumerable.Range(0, 5).Select(chp.UnitsHeldOnAt));
        Assert.Equal([1, 0], Enumerable.Range(0, 2).Select(chp.UnitsHeldOffAt));
    }

    [Fact]
    public void A_unit_held_on_that_goes_out_of_service_is_no_longer_held()
    {
        var chp = Group(Spec(minUpSeconds: 3600), running: true, Midnight, slots: 4) with { AvailableShare = [1, 0, 1, 1] };

        Assert.Equal([1, 0, 0, 0], Enumerable.Range(0, 4).Select(chp.UnitsHeldOnAt));
        Assert.Equal([100, 0, 0, 0], Kw(Optimal(Problem([20, 20, 20, 20], chp))));
    }
}
