using Vpp.Domain.Assets;
using Vpp.Domain.Optimisation;
using static Vpp.Domain.Tests.Optimisation.OptimisationCases;

namespace Vpp.Domain.Tests.Optimisation;

/// <summary>
/// CHP start-up costs in the program and the greedy baseline, solved by hand: one 100 kW unit that runs at exactly
/// 100 kW (min stable power = max power) at 50 EUR/MWh, so a slot on earns (price − 50) × 25 kWh; at 20 EUR/MWh a
/// slot on loses 0.75 EUR, at 90 it earns 1.0 EUR, at 120 1.75 EUR.
/// </summary>
public sealed class ChpStartUpCostTests
{
    private const double Tolerance = 1e-4;

    private static ChpGroup Unit(double startUpCostEur, int units = 1, int unitsOnBefore = 0, int minUpSlots = 1) =>
        new("chp", units, UnitMaxKw: 100, UnitMinStableKw: 100, MarginalCostEurPerMwh: 50)
        {
            StartUpCostEur = startUpCostEur, UnitsOnBefore = unitsOnBefore, MinUpSlots = minUpSlots,
        };

    private static double[] Kw(ProposedSchedule schedule) => [.. schedule.Slots.Select(s => Math.Round(s.TargetKw, 3))];

    /// <summary>The program's schedule and the greedy baseline's for one unit on the prices.</summary>
    private static (ProposedSchedule Optimal, ProposedSchedule Greedy) Both(double[] prices, ChpGroup unit)
    {
        var problem = Problem(prices, unit);
        return (Optimal(problem), GreedySchedule.Solve(problem)!);
    }

    [Fact]
    public void A_start_dearer_than_a_single_dear_slot_earns_leaves_the_unit_off()
    {
        // Each dear slot alone: 1.0 − 1.5 = −0.5 EUR; slots 1–3 through the cheap one: 2 × 1.0 − 0.75 − 1.5 = −0.25 EUR.
        var (schedule, greedy) = Both([20, 90, 20, 90], Unit(startUpCostEur: 1.5));

        Assert.Equal([0, 0, 0, 0], Kw(schedule));
        Assert.Equal(0, schedule.ProfitEur, Tolerance);
        Assert.Equal([0, 0, 0, 0], Kw(greedy));
        Assert.All(schedule.Slots.Where(s => s.PriceEurPerMwh > 50), s => Assert.Contains("chp.startUpCost", s.Binding));
    }

    [Fact]
    public void A_unit_runs_through_a_cheap_slot_when_that_loses_less_than_a_second_start()
    {
        // Slots 1–3: 2 × 1.75 − 0.75 − 1.5 = 1.25 EUR; slots 1 and 3 apart: 3.5 − 3.0 = 0.5 EUR; one of them: 0.25 EUR.
        var (schedule, greedy) = Both([20, 120, 20, 120], Unit(startUpCostEur: 1.5));

        Assert.Equal([0, 100, 100, 100], Kw(schedule));
        Assert.Equal(1.25, schedule.ProfitEur, Tolerance);
        Assert.Equal(1.25 + 1.5, schedule.Slots[1].OperatingCostEur, Tolerance); // fuel 50 EUR/MWh × 25 kWh and the start
        Assert.Contains("chp.startUpCost", schedule.Slots[2].Binding);
        Assert.Equal([0, 100, 100, 100], Kw(greedy));
        Assert.Equal(1.25, greedy.ProfitEur, Tolerance);
    }

    [Fact]
    public void Free_starts_run_the_unit_in_exactly_the_dear_slots()
    {
        var (schedule, greedy) = Both([20, 120, 20, 120], Unit(startUpCostEur: 0));

        Assert.Equal([0, 100, 0, 100], Kw(schedule));
        Assert.Equal(3.5, schedule.ProfitEur, Tolerance);
        Assert.All(schedule.Slots, s => Assert.DoesNotContain("chp.startUpCost", s.Binding));
        Assert.Equal([0, 100, 0, 100], Kw(greedy));
        Assert.Equal(3.5, greedy.ProfitEur, Tolerance);
    }

    [Fact]
    public void A_unit_running_before_the_horizon_pays_no_start_in_the_first_slot()
    {
        // Slot 0 earns (60 − 50) × 25 kWh = 0.25 EUR: enough for a unit already running, not for one that must start.
        var running = Problem([60, 20, 20, 20], Unit(startUpCostEur: 1.5, unitsOnBefore: 1));
        var off = Problem([60, 20, 20, 20], Unit(startUpCostEur: 1.5));

        foreach (var schedule in new[] { Optimal(running), GreedySchedule.Solve(running)! })
        {
            Assert.Equal([100, 0, 0, 0], Kw(schedule));
            Assert.Equal(0.25, schedule.ProfitEur, Tolerance);
            Assert.Equal(1.25, schedule.Slots[0].OperatingCostEur, Tolerance);
        }

        Assert.Equal([0, 0, 0, 0], Kw(Optimal(off)));
        Assert.Equal([0, 0, 0, 0], Kw(GreedySchedule.Solve(off)!));
    }

    [Fact]
    public void Each_unit_started_pays_its_own_start_and_a_unit_on_before_none()
    {
        // Two units, one on before. Slots 0–1 earn 1.0 EUR a unit: the second unit's start at 1.0 EUR pays (3.0 EUR in
        // all), at 2.5 EUR it does not (2.0 EUR, the running unit alone).
        var cheap = Optimal(Problem([90, 90, 20, 20], Unit(startUpCostEur: 1.0, units: 2, unitsOnBefore: 1)));
        var dearProblem = Problem([90, 90, 20, 20], Unit(startUpCostEur: 2.5, units: 2, unitsOnBefore: 1));
        var dear = Optimal(dearProblem);

        Assert.Equal([200, 200, 0, 0], Kw(cheap));
        Assert.Equal(3.0, cheap.ProfitEur, Tolerance);
        Assert.Equal(2.5 + 1.0, cheap.Slots[0].OperatingCostEur, Tolerance);
        Assert.Equal([100, 100, 0, 0], Kw(dear));
        Assert.Equal(2.0, dear.ProfitEur, Tolerance);

        // The baseline runs all units or none: both, paying one start (4.0 − 2.5).
        Assert.Equal(1.5, GreedySchedule.Solve(dearProblem)!.ProfitEur, Tolerance);
    }

    [Fact]
    public void A_start_cost_adds_to_a_min_up_time()
    {
        // Min up 2: the best run is slots 1–2, 1.75 − 0.5 = 1.25 EUR (slots 0–1: 1.0 EUR), less than a start of 1.5 EUR.
        var costly = Problem([20, 120, 30, 20], Unit(startUpCostEur: 1.5, minUpSlots: 2));
        var free = Problem([20, 120, 30, 20], Unit(startUpCostEur: 0, minUpSlots: 2));

        Assert.Equal([0, 0, 0, 0], Kw(Optimal(costly)));
        Assert.Equal([0, 0, 0, 0], Kw(GreedySchedule.Solve(costly)!));
        Assert.Equal([0, 100, 100, 0], Kw(Optimal(free)));
        Assert.Equal(1.25, Optimal(free).ProfitEur, Tolerance);
    }

    [Fact]
    public void Chp_units_with_different_start_up_costs_are_different_groups_that_carry_their_cost()
    {
        AssetSpec Chp(double? startUpCostEur) => new()
        {
            FleetId = "f", Kind = AssetKind.Chp, MinPowerKw = 0, MaxPowerKw = 50, MinStablePowerKw = 20, MarginalCostEurPerMwh = 80,
            StartUpCostEur = startUpCostEur,
        };

        // No cost and a cost of 0 are the same free starts.
        var totals = GroupTotals.Fold(new[] { Chp(null), Chp(0), Chp(40), Chp(40), Chp(60) }
            .Select(spec => GroupTotals.Of(spec, null, null, [], Midnight, 4)!));
        var groups = totals.Select(t => (ChpGroup)t.ToGroup(4)).OrderBy(g => g.StartUpCostEur).ToList();

        Assert.Equal([(0.0, 2), (40.0, 2), (60.0, 1)], groups.Select(g => (g.StartUpCostEur, g.AssetCount)));
        Assert.Equal(groups.Count, groups.Select(g => g.Name).Distinct().Count());
    }
}
