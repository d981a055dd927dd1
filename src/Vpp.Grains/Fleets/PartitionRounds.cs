using Vpp.Abstractions.Fleets;
using Vpp.Domain.Dispatch;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Sends one dispatch's plans to the fleet's partitions round by round — the domain's <see cref="DispatchRounds{TKey}"/>
/// decides each plan, what the next round asks of whom and when to stop — and gathers what the partitions answered.
/// </summary>
/// <param name="sendRound">Sends a round to one partition; a partition that fails answers an empty result (it accepted nothing).</param>
/// <param name="maxRounds">The stopping rule's bound on rounds.</param>
public sealed class PartitionRounds(Func<string, PartitionRoundRequest, Task<PartitionRoundResult>> sendRound, int maxRounds)
{
    /// <summary>Runs the rounds; <paramref name="template"/> carries the dispatch id and the SoC-management terms of every round.</summary>
    public async Task<RoundsOutcome> RunAsync(
        double targetKw, DispatchStrategy strategy, SupplyCurve curve, IEnumerable<string> participants, PartitionRoundRequest template)
    {
        var changesByPartition = new Dictionary<string, SetpointChange[]>();
        var setpoints = template.IncludeSetpoints ? new Dictionary<string, double>() : null;
        int acknowledged = 0, unacknowledged = 0, clamped = 0;
        var rounds = new DispatchRounds<string>(targetKw, strategy, curve, participants, maxRounds);
        while (!rounds.Done)
        {
            var plan = rounds.NextPlan();
            var request = template with { Round = rounds.Round, Plan = plan };
            var results = await Task.WhenAll(rounds.Participants.Select(async key => (Key: key, Result: await sendRound(key, request))));
            foreach (var (key, result) in results)
            {
                changesByPartition[key] = result.LargestChanges ?? []; // the latest round has the moves so far
                acknowledged += rounds.Round == 1 ? result.AcknowledgedCount : 0;
                unacknowledged += result.UnacknowledgedCount;
                clamped += result.ClampedCount;
                foreach (var setpoint in result.Setpoints)
                {
                    setpoints![setpoint.AssetId] = setpoint.SetpointKw;
                }
            }

            rounds.Complete(results.Select(r => new PartitionOutcome<string>(r.Key, r.Result.AcceptedKw, r.Result.ResidualCurve)));
        }

        return new RoundsOutcome(
            rounds.AllocatedKw, rounds.Round, acknowledged, unacknowledged, clamped, rounds.AcceptedKw,
            setpoints is null ? [] : [.. setpoints.Select(p => new AssetSetpoint(p.Key, p.Value)).OrderBy(s => s.AssetId, StringComparer.Ordinal)],
            [.. changesByPartition.Values.SelectMany(c => c)]);
    }
}

/// <summary>What the partitions answered to one dispatch's rounds.</summary>
/// <param name="AcceptedKw">Per partition, what its assets acknowledged in total.</param>
/// <param name="Changes">Each partition's largest setpoint moves (from its latest round).</param>
public sealed record RoundsOutcome(
    double AllocatedKw, int Rounds, int AcknowledgedCount, int UnacknowledgedCount, int ClampedCount,
    IReadOnlyDictionary<string, double> AcceptedKw, AssetSetpoint[] Setpoints, SetpointChange[] Changes);
