using Vpp.Domain.Dispatch;

namespace Vpp.Domain.Tests.Dispatch;

public sealed class AllocatorTests
{
    private const double Tol = 1e-9;

    private static readonly Capability[] ThreeGenerators = [new(0, 100, 0, 10), new(0, 200, 0, 20), new(0, 300, 0, 30)];

    [Fact]
    public void Merit_order_allocation_fills_cheap_assets_first_in_one_round()
    {
        var allocation = Allocator.Allocate(ThreeGenerators, 200, DispatchStrategy.MeritOrder);

        Assert.Equal([100, 100, 0], allocation.SetpointsKw.Select(kw => Math.Round(kw, 9)));
        Assert.Equal(200, allocation.AllocatedKw, Tol);
        Assert.Equal(0, allocation.ShortfallKw);
        Assert.Equal(1, allocation.Rounds);
    }

    [Fact]
    public void Pro_rata_allocation_gives_every_asset_the_same_share_of_its_headroom()
    {
        var allocation = Allocator.Allocate(ThreeGenerators, 300, DispatchStrategy.ProRata);

        Assert.Equal([50, 100, 150], allocation.SetpointsKw.Select(kw => Math.Round(kw, 9)));
    }

    [Fact]
    public void A_target_above_what_the_fleet_can_export_is_allocated_at_its_maximum_with_a_positive_shortfall()
    {
        var allocation = Allocator.Allocate(ThreeGenerators, 1000, DispatchStrategy.MeritOrder);

        Assert.Equal([100, 200, 300], allocation.SetpointsKw);
        Assert.Equal(600, allocation.AllocatedKw);
        Assert.Equal(400, allocation.ShortfallKw, Tol);
    }

    [Fact]
    public void A_target_below_what_the_fleet_can_absorb_is_allocated_at_its_minimum_with_a_negative_shortfall()
    {
        Capability[] batteries = [new(-100, 100, 0, 10), new(-100, 100, 0, 20)];

        var allocation = Allocator.Allocate(batteries, -500, DispatchStrategy.ProRata);

        Assert.Equal([-100, -100], allocation.SetpointsKw);
        Assert.Equal(-300, allocation.ShortfallKw, Tol);
    }

    [Fact]
    public void An_empty_fleet_allocates_nothing_and_reports_the_whole_target_as_shortfall()
    {
        var allocation = Allocator.Allocate([], 250, DispatchStrategy.MeritOrder);

        Assert.Empty(allocation.SetpointsKw);
        Assert.Equal(0, allocation.AllocatedKw);
        Assert.Equal(250, allocation.ShortfallKw);
    }

    [Theory]
    [InlineData(100, 100.0009, 0)]
    [InlineData(100, 99.9991, 0)]
    [InlineData(100, 99, 1)]
    [InlineData(-100, -98, -2)]
    public void Shortfall_is_target_minus_allocated_and_zero_within_one_watt(double targetKw, double allocatedKw, double shortfallKw)
    {
        Assert.Equal(shortfallKw, new Allocation(targetKw, allocatedKw, [], 1).ShortfallKw, Tol);
    }

    [Fact]
    public void Chp_plants_of_equal_cost_share_a_target_above_their_min_stable_power()
    {
        Capability[] chps = [new(0, 100, 0, 10, 40), new(0, 100, 0, 10, 40)];

        var allocation = Allocator.Allocate(chps, 130, DispatchStrategy.MeritOrder);

        Assert.Equal([65, 65], allocation.SetpointsKw.Select(kw => Math.Round(kw, 9)));
    }

    [Fact]
    public void A_chp_pushed_up_to_min_stable_power_is_balanced_by_another_asset_in_a_later_round()
    {
        // Cheap CHP asked for 30 kW jumps to its 40 kW minimum; the battery then absorbs the extra 10 kW.
        Capability[] fleet = [new(0, 100, 0, 10, 40), new(-50, 50, 0, 20)];

        var allocation = Allocator.Allocate(fleet, 30, DispatchStrategy.MeritOrder);

        Assert.Equal([40, -10], allocation.SetpointsKw.Select(kw => Math.Round(kw, 9)));
        Assert.Equal(0, allocation.ShortfallKw);
        Assert.Equal(2, allocation.Rounds);
    }

    [Fact]
    public void A_chp_kept_off_because_the_request_was_below_half_its_min_stable_power_leaves_the_work_to_others()
    {
        Capability[] fleet = [new(0, 100, 0, 10, 40), new(-50, 50, 0, 20)];

        var allocation = Allocator.Allocate(fleet, 15, DispatchStrategy.MeritOrder);

        Assert.Equal([0, 15], allocation.SetpointsKw.Select(kw => Math.Round(kw, 9)));
        Assert.Equal(0, allocation.ShortfallKw);
    }

    [Fact]
    public void Allocation_stops_after_the_maximum_number_of_rounds_and_reports_what_is_left()
    {
        Capability[] fleet = [new(0, 100, 0, 10, 40), new(-50, 50, 0, 20)];

        var allocation = Allocator.Allocate(fleet, 30, DispatchStrategy.MeritOrder, maxRounds: 1);

        Assert.Equal(1, allocation.Rounds);
        Assert.Equal([40, 0], allocation.SetpointsKw);
        Assert.Equal(-10, allocation.ShortfallKw, Tol);
    }

    [Fact]
    public void A_chp_only_fleet_that_cannot_meet_a_target_inside_the_gap_reports_the_shortfall()
    {
        // One CHP: off or 40..100 kW. 10 kW is nearer to off.
        var allocation = Allocator.Allocate([new Capability(0, 100, 0, 10, 40)], 10, DispatchStrategy.MeritOrder);

        Assert.Equal([0], allocation.SetpointsKw);
        Assert.Equal(10, allocation.ShortfallKw, Tol);
    }

    [Fact]
    public void Allocation_stops_once_nobody_left_can_move_towards_the_target()
    {
        // The CHP stays off for 10 kW and is pinned there: a second round could not change anything.
        var allocation = Allocator.Allocate([new Capability(0, 100, 0, 10, 40)], 10, DispatchStrategy.MeritOrder, maxRounds: 5);

        Assert.Equal(1, allocation.Rounds);
        Assert.Equal(10, allocation.ShortfallKw, Tol);
    }

    [Fact]
    public void Partitions_that_answer_nothing_left_to_move_keep_what_they_accepted_and_the_rest_aim_for_the_remainder()
    {
        // Partition "a" is a CHP that jumps to 40 kW and is then fixed; "b" must absorb the extra 10 kW.
        var rounds = new DispatchRounds<string>(
            30, DispatchStrategy.MeritOrder, SupplyCurve.Of([new Capability(0, 100, 0, 10, 40), new Capability(-50, 50, 0, 20)]), ["a", "b"], 3);

        var first = rounds.NextPlan();
        Assert.Equal(1, first.Direction);
        rounds.Complete([new("a", 40, []), new("b", 0, [new CostLevel(20, -50, 50, 0)])]);

        Assert.False(rounds.Done);
        Assert.Equal(["b"], rounds.Participants);
        var second = rounds.NextPlan();
        Assert.Equal(-10, second.SetpointFor(new Capability(-50, 50, 0, 20)), Tol);
        rounds.Complete([new("b", -10, [new CostLevel(20, -50, 50, -10)])]);

        Assert.True(rounds.Done);
        Assert.Equal(30, rounds.AllocatedKw, Tol);
        Assert.Equal(0, rounds.ShortfallKw);
    }

    [Fact]
    public void Spreading_assets_over_partitions_gives_the_same_setpoints()
    {
        Capability[] fleet = [new(0, 100, 0, 10, 40), new(-50, 50, 0, 20), new(0, 80, 80, 0), new(-30, 30, 0, 10)];

        var one = Allocator.Allocate(fleet, 30, DispatchStrategy.MeritOrder);
        var three = Allocator.Allocate(fleet, 30, DispatchStrategy.MeritOrder, partitionCount: 3);

        Assert.Equal(one.SetpointsKw.Select(kw => Math.Round(kw, 9)), three.SetpointsKw.Select(kw => Math.Round(kw, 9)));
        Assert.Equal(one.Rounds, three.Rounds);
    }

    [Fact]
    public void Allocation_does_not_change_the_capabilities_it_was_given()
    {
        Capability[] fleet = [new(0, 100, 0, 10, 40), new(-50, 50, 0, 20)];
        var copy = fleet.ToArray();

        Allocator.Allocate(fleet, 30, DispatchStrategy.MeritOrder);

        Assert.Equal(copy, fleet);
    }

    [Theory]
    [InlineData("meritOrder", DispatchStrategy.MeritOrder)]
    [InlineData("proRata", DispatchStrategy.ProRata)]
    public void Strategies_have_camel_case_wire_names(string wire, DispatchStrategy strategy)
    {
        Assert.Equal(strategy, DispatchStrategies.Parse(wire));
        Assert.Equal(wire, strategy.ToWire());
    }

    [Theory]
    [InlineData("MeritOrder")]
    [InlineData("pro_rata")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_strategy_names_are_not_guessed(string? wire)
    {
        Assert.Null(DispatchStrategies.Parse(wire));
    }
}
