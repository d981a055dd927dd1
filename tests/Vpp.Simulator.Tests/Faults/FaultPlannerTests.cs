using Vpp.Simulator.Faults;

namespace Vpp.Simulator.Tests.Faults;

public sealed class FaultPlannerTests
{
    private static readonly FaultRates SomeOfEach = new() { OfflineRate = 0.1, IgnoreSetpointRate = 0.05, SilentRate = 0.2, TelemetryNoisePercent = 3 };
    private static readonly TimeSpan Horizon = TimeSpan.FromMinutes(10);

    [Fact]
    public void The_same_seed_gives_the_same_plan_and_another_seed_a_different_one()
    {
        var first = FaultPlanner.Plan(500, SomeOfEach, Horizon, seed: 7);
        var again = FaultPlanner.Plan(500, SomeOfEach, Horizon, seed: 7);
        var other = FaultPlanner.Plan(500, SomeOfEach, Horizon, seed: 8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Exactly_the_requested_share_of_assets_gets_each_fault()
    {
        var plan = FaultPlanner.Plan(1000, SomeOfEach, Horizon, seed: 1);

        Assert.Equal(100, plan.Count(p => p.Offline is not null));
        Assert.Equal(50, plan.Count(p => p.IgnoresSetpoints));
        Assert.Equal(200, plan.Count(p => p.Silent is not null));
        Assert.All(plan, p => Assert.Equal(3, p.TelemetryNoisePercent));
    }

    [Fact]
    public void Outages_start_after_settling_and_end_before_the_run_does_while_silence_lasts_to_the_end()
    {
        var plan = FaultPlanner.Plan(1000, SomeOfEach with { OfflineRate = 1, SilentRate = 1 }, Horizon, seed: 3);

        Assert.All(plan, p =>
        {
            var outage = p.Offline!.Value;
            Assert.InRange(outage.Start, Horizon * 0.1, Horizon * 0.7);
            Assert.True(outage.End > outage.Start && outage.End <= Horizon, $"outage {outage} must end within the run");
            Assert.InRange(p.Silent!.Value.Start, Horizon * 0.1, Horizon * 0.7);
            Assert.Null(p.Silent.Value.End);
        });
    }

    [Fact]
    public void Raising_one_rate_does_not_move_the_other_faults()
    {
        var before = FaultPlanner.Plan(300, SomeOfEach, Horizon, seed: 11);
        var after = FaultPlanner.Plan(300, SomeOfEach with { IgnoreSetpointRate = 0.5 }, Horizon, seed: 11);

        Assert.Equal(before.Select(p => (p.Offline, p.Silent)), after.Select(p => (p.Offline, p.Silent)));
    }

    [Fact]
    public void No_rates_give_no_faults()
    {
        Assert.All(FaultPlanner.Plan(100, FaultRates.None, Horizon, seed: 5), p => Assert.Equal(AssetFaults.None, p));
    }

    [Theory]
    [InlineData(-0.1, 0, 0, 0, "--offline-rate")]
    [InlineData(0, 1.5, 0, 0, "--ignore-setpoint-rate")]
    [InlineData(0, 0, double.NaN, 0, "--silent-rate")]
    [InlineData(0, 0, 0, 101, "--telemetry-noise")]
    public void Rates_outside_their_range_are_refused_naming_the_option(double offline, double ignore, double silent, double noise, string option)
    {
        var rates = new FaultRates { OfflineRate = offline, IgnoreSetpointRate = ignore, SilentRate = silent, TelemetryNoisePercent = noise };

        Assert.Contains(option, Assert.Single(rates.Problems()));
        Assert.Throws<ArgumentException>(() => FaultPlanner.Plan(10, rates, Horizon, 1));
    }
}
