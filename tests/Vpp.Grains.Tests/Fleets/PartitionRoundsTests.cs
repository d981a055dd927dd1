using Vpp.Abstractions.Fleets;
using Vpp.Domain.Dispatch;
using Vpp.Grains.Fleets;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Tests.Fleets;

/// <summary>The fleet's dispatch rounds against partitions that are plain functions: no cluster needed.</summary>
public sealed class PartitionRoundsTests
{
    private static readonly Capability Battery = new(MinKw: 0, MaxKw: 100, PreferredKw: 0, MarginalCostEurPerMwh: 10);

    /// <summary>A partition of one battery that accepts what the plan asks, within its range, and can still move.</summary>
    private static PartitionRoundResult OneBattery(string assetId, PartitionRoundRequest request)
    {
        var acceptedKw = Battery.Accept(request.Plan.SetpointFor(Battery));
        return new PartitionRoundResult(
            acceptedKw, [new CostLevel(10, Battery.MinKw, Battery.MaxKw, acceptedKw)], 1, 0, 0,
            request.IncludeSetpoints ? [new AssetSetpoint(assetId, acceptedKw)] : [],
            [new SetpointChange(assetId, acceptedKw)]);
    }

    [Fact]
    public async Task A_partition_that_fails_delivers_nothing_and_the_next_round_asks_the_others_for_its_share()
    {
        var requests = new List<(string Key, int Round)>();
        var rounds = new PartitionRounds(
            (key, request) =>
            {
                lock (requests)
                {
                    requests.Add((key, request.Round));
                }

                return key == "p-failing"
                    ? Task.FromResult(new PartitionRoundResult(0, [], 0, 0, 0, [])) // what a failed call answers
                    : Task.FromResult(OneBattery("bat-ok", request));
            },
            maxRounds: 3);
        var curve = new SupplyCurve([new CostLevel(10, 0, 100, 0), new CostLevel(10, 0, 100, 0)]);

        var outcome = await rounds.RunAsync(
            150, DispatchStrategy.ProRata, curve, ["p-failing", "p-ok"],
            new PartitionRoundRequest("d-1", 0, null!, IncludeSetpoints: true));

        Assert.Equal(100, outcome.AllocatedKw, 3); // the working battery at its maximum: 75 in round 1, the rest after
        Assert.Equal(0, outcome.AcceptedKw["p-failing"]);
        Assert.True(outcome.Rounds >= 2);
        Assert.Contains(("p-ok", 2), requests);
        Assert.DoesNotContain(("p-failing", 2), requests); // it accepted nothing and has no residual to offer
        Assert.Equal(1, outcome.AcknowledgedCount); // counted in the first round only
        Assert.Equal([new AssetSetpoint("bat-ok", 100)], outcome.Setpoints);
    }
}
