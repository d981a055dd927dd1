using Vpp.Domain.Dispatch;

namespace Vpp.Domain.Tests.Dispatch;

/// <summary>Result of splitting one fleet target over assets.</summary>
public sealed record Allocation(double TargetKw, double AllocatedKw, double[] SetpointsKw, int Rounds)
{
    /// <summary>Target minus allocated: positive when the fleet cannot export enough, negative when it cannot absorb enough.</summary>
    public double ShortfallKw => Math.Abs(TargetKw - AllocatedKw) <= Capability.ToleranceKw ? 0 : TargetKw - AllocatedKw;
}

/// <summary>
/// The test harness for the dispatch round engine: runs it (<see cref="DispatchRounds{TKey}"/> on the fleet side, <see cref="PartitionRound"/>
/// on the partition side) in one process: the assets are spread over in-memory partitions and acknowledge every
/// setpoint their capability accepts. The fleet and partition grains run the same engine over grains, so what the
/// property tests establish here holds for what the grains dispatch.
/// </summary>
public static class Allocator
{
    public const int DefaultMaxRounds = DispatchRounds.DefaultMaxRounds;

    /// <param name="partitionCount">How many partitions the assets are spread over (asset i goes to partition i mod count).</param>
    public static Allocation Allocate(
        IReadOnlyList<Capability> assets, double targetKw, DispatchStrategy strategy, int maxRounds = DefaultMaxRounds, int partitionCount = 1)
    {
        partitionCount = Math.Max(1, partitionCount);
        var setpoints = new double[assets.Count];
        var residual = assets.ToArray();
        var members = Enumerable.Range(0, partitionCount)
            .Select(p => Enumerable.Range(0, assets.Count).Where(i => i % partitionCount == p).ToArray())
            .ToArray();
        var engine = new DispatchRounds<int>(
            targetKw, strategy, SupplyCurve.Of(assets), Enumerable.Range(0, partitionCount).Where(p => members[p].Length > 0), maxRounds);
        while (!engine.Done)
        {
            var plan = engine.NextPlan();
            var outcomes = new List<PartitionOutcome<int>>(engine.Participants.Count);
            foreach (var partition in engine.Participants)
            {
                var round = new PartitionRound(plan, firstRound: engine.Round == 1);
                foreach (var i in members[partition])
                {
                    if (round.RequestFor(residual[i]) is { } requestedKw)
                    {
                        setpoints[i] = assets[i].Accept(requestedKw); // the asset's acknowledgement
                        residual[i] = PartitionRound.ResidualAfter(assets[i], setpoints[i]);
                    }

                    round.Count(setpoints[i], residual[i]);
                }

                outcomes.Add(new PartitionOutcome<int>(partition, round.AcceptedKw, round.ResidualCurve));
            }

            engine.Complete(outcomes);
        }

        return new Allocation(targetKw, engine.AllocatedKw, setpoints, engine.Round);
    }
}
