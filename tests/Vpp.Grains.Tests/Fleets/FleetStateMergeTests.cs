using Vpp.Abstractions.Fleets;
using Vpp.Domain.Dispatch;
using Vpp.Grains.Fleets;

namespace Vpp.Grains.Tests.Fleets;

/// <summary>What a fleet re-applies to a re-read state after its write met a concurrent change.</summary>
public sealed class FleetStateMergeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static FleetEvent Event(long sequence, string message) =>
        new DispatchEvent(sequence, T0.AddSeconds(sequence), message, $"d-{sequence}", 0, 0, 0);

    [Fact]
    public void The_stored_changes_stay_and_ours_are_added_on_top_with_fresh_sequence_numbers()
    {
        var stored = new FleetState
        {
            Known = true, PartitionKeys = ["f~p000"], TargetKw = 10, LastDispatchAt = T0, LastDispatchId = "theirs",
            Events = [Event(1, "a"), Event(2, "theirs")], NextSequence = 3,
        };
        var ours = Event(2, "ours");
        var mine = new FleetState
        {
            Known = true, PartitionKeys = ["f~p001"], TargetKw = 20, Strategy = DispatchStrategy.ProRata,
            LastDispatchAt = T0.AddMinutes(1), LastDispatchId = "ours", Events = [Event(1, "a"), ours], NextSequence = 3,
        };

        FleetStateMerge.Reapply(mine, stored, [ours], eventsRetained: 500);

        Assert.Equal(["f~p000", "f~p001"], stored.PartitionKeys.Order());
        Assert.Equal(20, stored.TargetKw); // our decision is the newer one
        Assert.Equal(DispatchStrategy.ProRata, stored.Strategy);
        Assert.Equal("ours", stored.LastDispatchId);
        Assert.Equal(["a", "theirs", "ours"], stored.Events.Select(e => e.Message));
        Assert.Equal([1L, 2L, 3L], stored.Events.Select(e => e.Sequence));
        Assert.Equal(4, stored.NextSequence);
    }

    [Fact]
    public void A_newer_stored_dispatch_decision_is_not_overwritten_and_the_event_cap_holds()
    {
        var stored = new FleetState { Known = true, TargetKw = 30, LastDispatchAt = T0.AddMinutes(5), LastDispatchId = "theirs", Events = [Event(1, "a"), Event(2, "b")], NextSequence = 3 };
        var mine = new FleetState { Known = true, TargetKw = 20, LastDispatchAt = T0, LastDispatchId = "ours" };

        FleetStateMerge.Reapply(mine, stored, [Event(9, "c")], eventsRetained: 2);

        Assert.Equal(30, stored.TargetKw);
        Assert.Equal("theirs", stored.LastDispatchId);
        Assert.Equal(["b", "c"], stored.Events.Select(e => e.Message));
    }
}
