using FsCheck.Xunit;
using Vpp.Domain.Dispatch;

namespace Vpp.Domain.Tests.Dispatch;

[Properties(Arbitrary = new[] { typeof(DispatchArbitraries) }, MaxTest = 300)]
public sealed class AllocatorPropertyTests
{
    [Property]
    public void Allocates_the_target_clamped_to_the_fleet_range_for_convex_assets(ConvexFleet fleet)
    {
        var f = fleet.Case;
        var allocation = f.Allocate();

        var expected = Math.Clamp(f.TargetKw, f.SumMinKw, f.SumMaxKw);
        AssertClose(expected, allocation.AllocatedKw, f.ToleranceKw, $"allocated vs target clamped to [{f.SumMinKw}, {f.SumMaxKw}]");
        AssertClose(allocation.SetpointsKw.Sum(), allocation.AllocatedKw, f.ToleranceKw, "allocated vs sum of setpoints");
    }

    [Property]
    public void Allocation_has_one_setpoint_per_asset_and_keeps_the_requested_target(ChpFleet fleet)
    {
        var f = fleet.Case;
        var allocation = f.Allocate();

        Assert.Equal(f.Assets.Length, allocation.SetpointsKw.Length);
        Assert.Equal(f.TargetKw, allocation.TargetKw);
        Assert.InRange(allocation.Rounds, 1, Allocator.DefaultMaxRounds);
        Assert.All(allocation.SetpointsKw, kw => Assert.True(double.IsFinite(kw), $"setpoint {kw} is not finite"));
    }

    [Property]
    public void Every_setpoint_stays_within_its_assets_range(ConvexFleet fleet)
    {
        AssertWithinRanges(fleet.Case, fleet.Case.Allocate());
    }

    [Property]
    public void Every_setpoint_stays_within_its_assets_range_with_chp_assets_in_the_fleet(ChpFleet fleet)
    {
        AssertWithinRanges(fleet.Case, fleet.Case.Allocate());
    }

    [Property]
    public void Merit_order_never_raises_a_dearer_asset_while_a_cheaper_one_has_headroom(ConvexFleet fleet)
    {
        var f = fleet.Case;
        var tol = f.ToleranceKw;
        var sp = f.Allocate(DispatchStrategy.MeritOrder).SetpointsKw;
        if (f.TargetKw <= f.SumPreferredKw + tol)
        {
            return; // not raising
        }

        for (var dear = 0; dear < f.Assets.Length; dear++)
        {
            if (sp[dear] <= f.Assets[dear].PreferredKw + tol)
            {
                continue;
            }

            for (var cheap = 0; cheap < f.Assets.Length; cheap++)
            {
                var c = f.Assets[cheap];
                Assert.False(
                    c.MarginalCostEurPerMwh < f.Assets[dear].MarginalCostEurPerMwh && sp[cheap] < c.MaxKw - tol,
                    $"asset {dear} (cost {f.Assets[dear].MarginalCostEurPerMwh}) raised to {sp[dear]} above preferred {f.Assets[dear].PreferredKw} "
                    + $"while asset {cheap} (cost {c.MarginalCostEurPerMwh}) sits at {sp[cheap]} below its max {c.MaxKw}");
            }
        }
    }

    [Property]
    public void Merit_order_never_lowers_a_cheaper_asset_while_a_dearer_one_can_still_go_down(ConvexFleet fleet)
    {
        var f = fleet.Case;
        var tol = f.ToleranceKw;
        var sp = f.Allocate(DispatchStrategy.MeritOrder).SetpointsKw;
        if (f.TargetKw >= f.SumPreferredKw - tol)
        {
            return; // not lowering
        }

        for (var cheap = 0; cheap < f.Assets.Length; cheap++)
        {
            if (sp[cheap] >= f.Assets[cheap].PreferredKw - tol)
            {
                continue;
            }

            for (var dear = 0; dear < f.Assets.Length; dear++)
            {
                var d = f.Assets[dear];
                Assert.False(
                    d.MarginalCostEurPerMwh > f.Assets[cheap].MarginalCostEurPerMwh && sp[dear] > d.MinKw + tol,
                    $"asset {cheap} (cost {f.Assets[cheap].MarginalCostEurPerMwh}) lowered to {sp[cheap]} below preferred {f.Assets[cheap].PreferredKw} "
                    + $"while asset {dear} (cost {d.MarginalCostEurPerMwh}) sits at {sp[dear]} above its min {d.MinKw}");
            }
        }
    }

    [Property]
    public void Raising_never_lowers_an_asset_and_lowering_never_raises_one(ConvexFleet fleet)
    {
        var f = fleet.Case;
        var tol = f.ToleranceKw;
        var sp = f.Allocate().SetpointsKw;
        var direction = Direction(f);
        for (var i = 0; i < sp.Length; i++)
        {
            var moved = sp[i] - f.Assets[i].PreferredKw;
            Assert.True(
                direction switch { > 0 => moved >= -tol, < 0 => moved <= tol, _ => Math.Abs(moved) <= tol },
                $"asset {i} moved by {moved} kW while the fleet direction is {direction}");
        }
    }

    [Property]
    public void A_target_at_the_preferred_output_leaves_every_asset_at_its_preferred_point(ConvexFleet fleet)
    {
        var f = fleet.Case with { TargetKw = fleet.Case.SumPreferredKw };
        var allocation = f.Allocate();

        for (var i = 0; i < f.Assets.Length; i++)
        {
            AssertClose(f.Assets[i].PreferredKw, allocation.SetpointsKw[i], f.ToleranceKw, $"asset {i}");
        }
    }

    [Property]
    public void Merit_order_moves_assets_of_equal_cost_by_the_same_share_of_their_headroom(ConvexFleet fleet)
    {
        var f = fleet.Case;
        var sp = f.Allocate(DispatchStrategy.MeritOrder).SetpointsKw;
        foreach (var group in Enumerable.Range(0, f.Assets.Length).GroupBy(i => f.Assets[i].MarginalCostEurPerMwh))
        {
            AssertSameShareOfHeadroom(f, sp, group.ToArray(), $"cost {group.Key}");
        }
    }

    [Property]
    public void Pro_rata_moves_every_asset_by_the_same_share_of_its_headroom(ConvexFleet fleet)
    {
        var f = fleet.Case;
        var sp = f.Allocate(DispatchStrategy.ProRata).SetpointsKw;
        AssertSameShareOfHeadroom(f, sp, Enumerable.Range(0, f.Assets.Length).ToArray(), "whole fleet");
    }

    [Property]
    public void Shortfall_is_target_minus_allocated_and_zero_when_the_target_is_feasible(ConvexFleet fleet)
    {
        var f = fleet.Case;
        var tol = f.ToleranceKw;
        var allocation = f.Allocate();

        var difference = allocation.TargetKw - allocation.AllocatedKw;
        Assert.Equal(Math.Abs(difference) <= Capability.ToleranceKw ? 0 : difference, allocation.ShortfallKw);
        if (f.TargetKw >= f.SumMinKw && f.TargetKw <= f.SumMaxKw)
        {
            Assert.True(Math.Abs(allocation.ShortfallKw) <= tol, $"feasible target left a shortfall of {allocation.ShortfallKw} kW");
        }
        else if (f.TargetKw > f.SumMaxKw)
        {
            AssertClose(f.TargetKw - f.SumMaxKw, allocation.ShortfallKw, tol, "shortfall above the fleet maximum");
        }
        else
        {
            AssertClose(f.TargetKw - f.SumMinKw, allocation.ShortfallKw, tol, "shortfall below the fleet minimum");
        }
    }

    [Property]
    public void Chp_like_assets_are_either_off_or_between_min_stable_and_max_power(ChpFleet fleet)
    {
        var f = fleet.Case;
        var allocation = f.Allocate();
        for (var i = 0; i < f.Assets.Length; i++)
        {
            var a = f.Assets[i];
            if (a.MinStableKw <= 0)
            {
                continue;
            }

            var kw = allocation.SetpointsKw[i];
            Assert.True(
                kw == 0 || (kw >= a.MinStableKw && kw <= a.MaxKw),
                $"asset {i} (min stable {a.MinStableKw}, max {a.MaxKw}) got {kw} kW, inside its forbidden gap");
        }
    }

    [Property]
    public void Every_setpoint_is_one_its_asset_accepts_unchanged(ChpFleet fleet)
    {
        var f = fleet.Case;
        var allocation = f.Allocate();
        for (var i = 0; i < f.Assets.Length; i++)
        {
            Assert.Equal(allocation.SetpointsKw[i], f.Assets[i].Accept(allocation.SetpointsKw[i]));
        }
    }

    [Property]
    public void Allocated_power_stays_within_the_fleet_range_with_chp_assets(ChpFleet fleet)
    {
        var f = fleet.Case;
        var allocation = f.Allocate();
        Assert.InRange(allocation.AllocatedKw, f.SumMinKw - f.ToleranceKw, f.SumMaxKw + f.ToleranceKw);
    }

    internal static int Direction(FleetCase f)
    {
        var goal = Math.Clamp(f.TargetKw, f.SumMinKw, f.SumMaxKw);
        return goal > f.SumPreferredKw + f.ToleranceKw ? 1 : goal < f.SumPreferredKw - f.ToleranceKw ? -1 : 0;
    }

    private static void AssertWithinRanges(FleetCase f, Allocation allocation)
    {
        for (var i = 0; i < f.Assets.Length; i++)
        {
            Assert.True(
                allocation.SetpointsKw[i] >= f.Assets[i].MinKw && allocation.SetpointsKw[i] <= f.Assets[i].MaxKw,
                $"asset {i}: setpoint {allocation.SetpointsKw[i]} outside [{f.Assets[i].MinKw}, {f.Assets[i].MaxKw}]");
        }
    }

    /// <summary>
    /// All the given assets moved from their preferred point by one common share of their headroom in the fleet's
    /// direction: (setpoint − preferred) = share · headroom for each, within tolerance.
    /// </summary>
    private static void AssertSameShareOfHeadroom(FleetCase f, double[] sp, int[] indices, string what)
    {
        var direction = Direction(f);
        if (direction == 0)
        {
            return;
        }

        double Headroom(int i) => direction > 0 ? f.Assets[i].HeadroomUpKw : f.Assets[i].HeadroomDownKw;
        var totalHeadroom = indices.Sum(Headroom);
        var totalMoved = indices.Sum(i => Math.Abs(sp[i] - f.Assets[i].PreferredKw));
        if (totalHeadroom <= 0)
        {
            Assert.True(totalMoved <= f.ToleranceKw, $"{what}: moved {totalMoved} kW without any headroom");
            return;
        }

        var share = totalMoved / totalHeadroom;
        Assert.InRange(share, 0, 1 + 1e-9);
        foreach (var i in indices)
        {
            var moved = Math.Abs(sp[i] - f.Assets[i].PreferredKw);
            AssertClose(share * Headroom(i), moved, f.ToleranceKw, $"{what}: asset {i} (headroom {Headroom(i)}, common share {share})");
        }
    }

    internal static void AssertClose(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected}, got {actual} (tolerance {tolerance})");
}
