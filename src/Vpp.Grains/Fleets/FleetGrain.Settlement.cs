using Microsoft.Extensions.Logging;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Schedules;
using Vpp.Domain.Settlement;
using Vpp.Domain.Validation;

namespace Vpp.Grains.Fleets;

/// <summary>The fleet's target over time: the requested side of settlement (stored, pruned to the retention).</summary>
[GenerateSerializer]
public sealed class TargetHistoryState
{
    [Id(0)] public List<TargetStep> Steps { get; set; } = [];
}

[GenerateSerializer, Immutable]
public sealed record TargetStep([property: Id(0)] DateTimeOffset At, [property: Id(1)] double TargetKw);

/// <summary>
/// The fleet's side of settlement: it stores its target steps (the requested side); <see cref="SettlementQueryGrain"/>
/// settles from them and the partitions' meters without calling the fleet.
/// </summary>
public sealed partial class FleetGrain
{
    /// <summary>Records a new standing target; a step older than the retention is dropped, except the one still in force.</summary>
    private void RecordTargetStep(DateTimeOffset at, double targetKw)
    {
        var steps = targetHistory.State.Steps;
        steps.Add(new TargetStep(at, targetKw));
        var cutoff = at - _options.SettlementRetention;
        var inForceAtCutoff = steps.FindLastIndex(s => s.At <= cutoff);
        if (inForceAtCutoff > 0)
        {
            steps.RemoveRange(0, inForceAtCutoff);
        }
    }

    /// <summary>
    /// The instant a new target counts as requested from: the requester's (a schedule slot's start), never in the
    /// future and never before the step already recorded last, so the history stays in order; else the dispatch's.
    /// </summary>
    private DateTimeOffset RequestedFrom(DateTimeOffset? requestedFrom, DateTimeOffset dispatchedAt)
    {
        if (requestedFrom is not { } from || from >= dispatchedAt)
        {
            return dispatchedAt;
        }

        var steps = targetHistory.State.Steps;
        return steps.Count > 0 && steps[^1].At > from ? steps[^1].At : from;
    }

    /// <summary>The dispatch has happened: a failed write of its history must not undo it, so it is logged and retried with the next.</summary>
    private async Task WriteTargetHistoryAsync()
    {
        try
        {
            await targetHistory.WriteStateAsync();
        }
        catch (Exception ex)
        {
            LogTargetHistoryWriteFailed(FleetId, ex.GetBaseException().Message);
        }
    }

    private Task<T?[]> AskPartitionsAsync<T>(IEnumerable<string> partitionKeys, Func<IFleetPartitionGrain, Task<T>> ask)
        where T : class =>
        PartitionQueries.AskAsync(GrainFactory, partitionKeys, ask, (key, ex) => LogPartitionFailed(FleetId, key, ex.GetBaseException().Message));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet {FleetId}: could not store its target history (retried with the next dispatch): {Error}")]
    private partial void LogTargetHistoryWriteFailed(string fleetId, string error);
}
