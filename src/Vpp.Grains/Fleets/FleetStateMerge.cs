using Vpp.Abstractions.Fleets;

namespace Vpp.Grains.Fleets;

/// <summary>
/// What a fleet re-applies when its write met a concurrent change (see <see cref="Storage.RecoveringWrites"/>):
/// the stored state is the base; this activation adds what it knows for certain — that the fleet exists, its
/// partitions, its newest dispatch decision and the events it recorded since its last write.
/// </summary>
public static class FleetStateMerge
{
    /// <param name="mine">This activation's state before the re-read.</param>
    /// <param name="stored">The state just read back; changed in place.</param>
    /// <param name="unstoredEvents">Events this activation added since its last successful write.</param>
    /// <param name="eventsRetained">How many events a fleet keeps.</param>
    public static void Reapply(FleetState mine, FleetState stored, IReadOnlyList<FleetEvent> unstoredEvents, int eventsRetained)
    {
        if (ReferenceEquals(mine, stored))
        {
            return;
        }

        stored.Known |= mine.Known;
        stored.PartitionKeys.UnionWith(mine.PartitionKeys);

        // The newer dispatch decision wins, whichever side made it.
        if (mine.LastDispatchAt is { } ours && (stored.LastDispatchAt is not { } theirs || ours >= theirs))
        {
            stored.TargetKw = mine.TargetKw;
            stored.SlicesKw = mine.SlicesKw;
            stored.Strategy = mine.Strategy;
            stored.AllocatedKw = mine.AllocatedKw;
            stored.ShortfallKw = mine.ShortfallKw;
            stored.LastDispatchId = mine.LastDispatchId;
            stored.LastDispatchAt = mine.LastDispatchAt;
        }

        foreach (var fleetEvent in unstoredEvents)
        {
            stored.Events.Add(fleetEvent with { Sequence = stored.NextSequence++ });
        }

        var excess = stored.Events.Count - Math.Max(1, eventsRetained);
        if (excess > 0)
        {
            stored.Events.RemoveRange(0, excess);
        }
    }
}
