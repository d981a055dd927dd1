using Vpp.Domain.Dispatch;

namespace Vpp.Domain.Tests.Dispatch;

public sealed class CapabilityTests
{
    private static readonly Capability Chp = new(0, 100, 0, 80, MinStableKw: 40);

    [Theory]
    [InlineData(-500, -100)]
    [InlineData(-100, -100)]
    [InlineData(-30.5, -30.5)]
    [InlineData(100, 100)]
    [InlineData(500, 100)]
    public void Accept_clamps_a_request_to_the_range(double requestedKw, double acceptedKw)
    {
        Assert.Equal(acceptedKw, new Capability(-100, 100, 0, 10).Accept(requestedKw));
    }

    [Theory]
    [InlineData(-10, 0)]
    [InlineData(0, 0)]
    [InlineData(0.5, 0)]
    [InlineData(19.99, 0)]
    [InlineData(20, 40)]
    [InlineData(39.9, 40)]
    [InlineData(40, 40)]
    [InlineData(73, 73)]
    [InlineData(130, 100)]
    public void Accept_jumps_a_forbidden_gap_to_the_nearer_side(double requestedKw, double acceptedKw)
    {
        Assert.True(Chp.HasForbiddenGap);
        Assert.Equal(acceptedKw, Chp.Accept(requestedKw));
    }

    [Fact]
    public void There_is_no_forbidden_gap_without_min_stable_power_or_when_zero_is_out_of_range()
    {
        Assert.False(new Capability(0, 100, 0, 10).HasForbiddenGap);
        Assert.False((Chp with { MinKw = 40 }).HasForbiddenGap);
        Assert.Equal(41, (Chp with { MinKw = 40 }).Accept(41));
    }

    [Fact]
    public void Headroom_is_measured_from_the_preferred_point()
    {
        var c = new Capability(-20, 100, 30, 10);

        Assert.Equal(70, c.HeadroomUpKw);
        Assert.Equal(50, c.HeadroomDownKw);
    }

    [Fact]
    public void None_offers_nothing()
    {
        Assert.Equal(0, Capability.None.MinKw);
        Assert.Equal(0, Capability.None.MaxKw);
        Assert.Equal(0, Capability.None.Accept(1000));
        Assert.Equal(0, Capability.None.Accept(-1000));
    }

    [Fact]
    public void Residual_of_a_convex_asset_starts_from_the_accepted_setpoint()
    {
        var residual = new Capability(-100, 100, 0, 10).ResidualAfter(30);

        Assert.Equal(new Capability(-100, 100, 30, 10), residual);
    }

    [Fact]
    public void Residual_of_a_chp_started_in_a_round_cannot_fall_back_into_the_gap()
    {
        var residual = Chp.ResidualAfter(40);

        Assert.Equal(new Capability(40, 100, 40, 80), residual);
        Assert.Equal(40, residual.Accept(0));
    }

    [Fact]
    public void Residual_of_a_chp_kept_off_in_a_round_is_pinned_at_zero()
    {
        var residual = Chp.ResidualAfter(0);

        Assert.Equal(new Capability(0, 0, 0, 80), residual);
        Assert.Equal(0, residual.Accept(70));
    }

    [Fact]
    public void Create_orders_the_range_and_puts_the_preferred_point_inside_it()
    {
        Assert.Equal(new Capability(-50, 10, 10, 5), Capability.Create(10, -50, 99, 5));
        Assert.Equal(new Capability(-50, 10, -50, 5), Capability.Create(-50, 10, -99, 5));
    }

    [Theory]
    [InlineData(10, 0)]
    [InlineData(30, 40)]
    [InlineData(60, 60)]
    public void Create_moves_a_preferred_point_out_of_a_forbidden_gap(double preferredKw, double expectedKw)
    {
        Assert.Equal(expectedKw, Capability.Create(0, 100, preferredKw, 80, 40).PreferredKw);
    }

    [Fact]
    public void Differs_from_ignores_changes_within_the_tolerance()
    {
        var c = new Capability(-100, 100, 0, 10);

        Assert.False(c.DiffersFrom(c with { MaxKw = 100.0009, PreferredKw = -0.0009 }));
        Assert.True(c.DiffersFrom(c with { MaxKw = 100.002 }));
        Assert.True(c.DiffersFrom(c with { MinKw = -99.9 }));
        Assert.True(c.DiffersFrom(c with { PreferredKw = 1 }));
        Assert.True(c.DiffersFrom(c with { MarginalCostEurPerMwh = 10.01 }));
        Assert.True(c.DiffersFrom(c with { MinStableKw = 5 }));
        Assert.False(c.DiffersFrom(c with { MaxKw = 104 }, toleranceKw: 5));
    }
}
