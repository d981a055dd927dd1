using FsCheck.Xunit;
using Vpp.Domain.Dispatch;

namespace Vpp.Domain.Tests.Dispatch;

public sealed class DispatchPlanTests
{
    private const double Tol = 1e-9;

    // Three generators that idle at 0: cheap (10), middle (20), dear (30).
    private static readonly Capability Cheap = new(0, 100, 0, 10);
    private static readonly Capability Middle = new(0, 200, 0, 20);
    private static readonly Capability Dear = new(0, 300, 0, 30);

    private static double Fraction(DispatchPlan plan, double cost) =>
        Assert.Single(plan.Fractions, f => f.MarginalCostEurPerMwh == cost).Fraction;

    [Fact]
    public void Merit_order_raise_fills_the_cheapest_level_then_part_of_the_middle_one()
    {
        var plan = DispatchPlan.Create(SupplyCurve.Of([Cheap, Middle, Dear]), 200, DispatchStrategy.MeritOrder);

        Assert.Equal(1, plan.Direction);
        Assert.Equal(1, Fraction(plan, 10), Tol);
        Assert.Equal(0.5, Fraction(plan, 20), Tol); // 100 kW of the middle level's 200 kW headroom
        Assert.Equal(0, Fraction(plan, 30), Tol);
        Assert.Equal(100, plan.SetpointFor(Cheap), Tol);
        Assert.Equal(100, plan.SetpointFor(Middle), Tol);
        Assert.Equal(0, plan.SetpointFor(Dear), Tol);
    }

    [Fact]
    public void Merit_order_lower_cuts_the_dearest_level_first_then_part_of_the_middle_one()
    {
        Capability cheap = Cheap with { PreferredKw = 100 }, middle = Middle with { PreferredKw = 200 }, dear = Dear with { PreferredKw = 300 };

        var plan = DispatchPlan.Create(SupplyCurve.Of([cheap, middle, dear]), 200, DispatchStrategy.MeritOrder);

        Assert.Equal(-1, plan.Direction);
        Assert.Equal(0, Fraction(plan, 10), Tol);
        Assert.Equal(0.5, Fraction(plan, 20), Tol); // 400 kW to shed: 300 from the dear level, 100 of the middle's 200
        Assert.Equal(1, Fraction(plan, 30), Tol);
        Assert.Equal(100, plan.SetpointFor(cheap), Tol);
        Assert.Equal(100, plan.SetpointFor(middle), Tol);
        Assert.Equal(0, plan.SetpointFor(dear), Tol);
    }

    [Fact]
    public void Merit_order_raise_starts_from_each_assets_preferred_point()
    {
        // Cheap already runs at 60 (40 kW headroom); middle at 50 (150 kW headroom). Preferred total 110, target 180.
        Capability cheap = Cheap with { PreferredKw = 60 }, middle = Middle with { PreferredKw = 50 };

        var plan = DispatchPlan.Create(SupplyCurve.Of([cheap, middle, Dear]), 180, DispatchStrategy.MeritOrder);

        Assert.Equal(100, plan.SetpointFor(cheap), Tol);
        Assert.Equal(80, plan.SetpointFor(middle), Tol); // 30 of 150 kW headroom = 0.2
        Assert.Equal(0.2, Fraction(plan, 20), Tol);
        Assert.Equal(0, plan.SetpointFor(Dear), Tol);
    }

    [Fact]
    public void Pro_rata_moves_every_level_by_the_same_share_whatever_it_costs()
    {
        var plan = DispatchPlan.Create(SupplyCurve.Of([Cheap, Middle, Dear]), 300, DispatchStrategy.ProRata);

        Assert.All(plan.Fractions, f => Assert.Equal(0.5, f.Fraction, Tol)); // 300 of 600 kW headroom
        Assert.Equal(50, plan.SetpointFor(Cheap), Tol);
        Assert.Equal(100, plan.SetpointFor(Middle), Tol);
        Assert.Equal(150, plan.SetpointFor(Dear), Tol);
    }

    [Fact]
    public void Pro_rata_lower_shares_the_cut_by_downward_headroom()
    {
        // Two batteries idling at 0: 100 kW and 300 kW of charge headroom. Absorb 200 kW: each at half.
        Capability small = new(-100, 100, 0, 10), large = new(-300, 300, 0, 40);

        var plan = DispatchPlan.Create(SupplyCurve.Of([small, large]), -200, DispatchStrategy.ProRata);

        Assert.Equal(-1, plan.Direction);
        Assert.Equal(-50, plan.SetpointFor(small), Tol);
        Assert.Equal(-150, plan.SetpointFor(large), Tol);
    }

    [Fact]
    public void Assets_of_equal_cost_move_by_the_same_share_of_their_headroom()
    {
        Capability a = new(0, 100, 0, 10), b = new(-50, 300, 0, 10), dear = new(0, 500, 0, 20);

        var plan = DispatchPlan.Create(SupplyCurve.Of([a, b, dear]), 200, DispatchStrategy.MeritOrder);

        Assert.Equal(50, plan.SetpointFor(a), Tol);  // 200 of 400 kW headroom at cost 10 = 0.5
        Assert.Equal(150, plan.SetpointFor(b), Tol);
        Assert.Equal(0, plan.SetpointFor(dear), Tol);
    }

    [Fact]
    public void Lowering_below_zero_charges_the_dearest_battery_first()
    {
        Capability cheap = new(-50, 50, 0, 10), dear = new(-50, 50, 0, 20);

        var plan = DispatchPlan.Create(SupplyCurve.Of([cheap, dear]), -30, DispatchStrategy.MeritOrder);

        Assert.Equal(0, plan.SetpointFor(cheap), Tol);
        Assert.Equal(-30, plan.SetpointFor(dear), Tol);
    }

    [Fact]
    public void A_target_beyond_the_fleet_maximum_uses_all_headroom()
    {
        var plan = DispatchPlan.Create(SupplyCurve.Of([Cheap, Middle, Dear]), 10_000, DispatchStrategy.MeritOrder);

        Assert.All(plan.Fractions, f => Assert.Equal(1, f.Fraction));
        Assert.Equal(300, plan.SetpointFor(Dear), Tol);
    }

    [Fact]
    public void A_target_below_the_fleet_minimum_takes_every_asset_to_its_minimum()
    {
        Capability battery = new(-100, 100, 0, 10), load = new(-200, -50, -200, 30);

        var plan = DispatchPlan.Create(SupplyCurve.Of([battery, load]), -10_000, DispatchStrategy.ProRata);

        Assert.Equal(-100, plan.SetpointFor(battery), Tol);
        Assert.Equal(-200, plan.SetpointFor(load), Tol);
    }

    [Fact]
    public void A_target_equal_to_the_preferred_output_holds_every_asset()
    {
        Capability solar = new(0, 80, 80, -5), battery = new(-100, 100, 0, 10);

        var plan = DispatchPlan.Create(SupplyCurve.Of([solar, battery]), 80, DispatchStrategy.MeritOrder);

        Assert.Equal(0, plan.Direction);
        Assert.Equal(80, plan.SetpointFor(solar));
        Assert.Equal(0, plan.SetpointFor(battery));
    }

    [Fact]
    public void An_empty_curve_gives_the_hold_plan()
    {
        var plan = DispatchPlan.Create(new SupplyCurve(), 500, DispatchStrategy.MeritOrder);

        Assert.Same(DispatchPlan.Hold, plan);
        Assert.Empty(plan.Fractions);
    }

    [Fact]
    public void An_asset_whose_cost_was_not_planned_for_stays_at_its_preferred_point()
    {
        var plan = DispatchPlan.Create(SupplyCurve.Of([Cheap]), 50, DispatchStrategy.MeritOrder);

        Assert.Equal(77, plan.SetpointFor(new Capability(0, 100, 77, 99)));
    }

    [Fact]
    public void Lowering_charges_a_dearer_battery_before_curtailing_subsidised_solar()
    {
        // Solar at 80 kW (cost -5: curtailing loses a subsidy, so it is the cheapest to keep running),
        // battery at cost 10. Target 20 kW: shed 60 kW, dearest first — the battery charges first.
        Capability solar = new(0, 80, 80, -5), battery = new(-50, 50, 0, 10);

        var plan = DispatchPlan.Create(SupplyCurve.Of([solar, battery]), 20, DispatchStrategy.MeritOrder);

        Assert.Equal(-50, plan.SetpointFor(battery), Tol);
        Assert.Equal(70, plan.SetpointFor(solar), Tol);
    }

    [Fact]
    public void Plan_direction_is_normalised_to_its_sign()
    {
        Assert.Equal(1, new DispatchPlan(7, []).Direction);
        Assert.Equal(-1, new DispatchPlan(-3, []).Direction);
        Assert.Equal(0, new DispatchPlan(0, []).Direction);
    }

    // ---- supply curve -------------------------------------------------------------------------------------------

    [Fact]
    public void Supply_curve_folds_assets_by_cost_cheapest_first()
    {
        var curve = SupplyCurve.Of([Dear, new Capability(-10, 50, 5, 10), Cheap, Middle]);

        Assert.Equal([10.0, 20, 30], curve.Levels.Select(l => l.MarginalCostEurPerMwh));
        var cheapLevel = curve.Levels.First();
        Assert.Equal(-10, cheapLevel.MinKw);
        Assert.Equal(150, cheapLevel.MaxKw);
        Assert.Equal(5, cheapLevel.PreferredKw);
        Assert.Equal(-10, curve.MinKw);
        Assert.Equal(650, curve.MaxKw);
        Assert.Equal(5, curve.PreferredKw);
    }

    [Fact]
    public void Supply_curve_clamps_a_target_to_what_it_can_reach_and_an_empty_curve_reaches_only_zero()
    {
        var curve = SupplyCurve.Of([new Capability(-100, 100, 0, 10)]);

        Assert.Equal(100, curve.ClampToFeasible(250));
        Assert.Equal(-100, curve.ClampToFeasible(-250));
        Assert.Equal(42, curve.ClampToFeasible(42));
        Assert.Equal(0, new SupplyCurve().ClampToFeasible(42));
        Assert.True(new SupplyCurve().IsEmpty);
    }

    [Property(Arbitrary = new[] { typeof(DispatchArbitraries) }, MaxTest = 200)]
    public void Partition_curves_add_up_to_the_fleet_curve_and_plan_the_same(PartitionedFleet fleet)
    {
        var whole = SupplyCurve.Of(fleet.Partitions.SelectMany(p => p));
        var added = new SupplyCurve();
        foreach (var partition in fleet.Partitions)
        {
            added.Add(SupplyCurve.Of(partition));
        }

        Assert.Equal(whole.Levels.Select(l => l.MarginalCostEurPerMwh), added.Levels.Select(l => l.MarginalCostEurPerMwh));
        foreach (var (w, a) in whole.Levels.Zip(added.Levels))
        {
            Assert.Equal(w.MinKw, a.MinKw, 1e-6);
            Assert.Equal(w.MaxKw, a.MaxKw, 1e-6);
            Assert.Equal(w.PreferredKw, a.PreferredKw, 1e-6);
        }

        var planWhole = DispatchPlan.Create(whole, fleet.TargetKw, fleet.Strategy);
        var planAdded = DispatchPlan.Create(added, fleet.TargetKw, fleet.Strategy);
        foreach (var asset in fleet.Partitions.SelectMany(p => p))
        {
            Assert.Equal(planWhole.SetpointFor(asset), planAdded.SetpointFor(asset), 1e-3);
        }
    }
}
