using Vpp.Abstractions.Fleets;
using Vpp.Grains.Fleets;

namespace Vpp.Grains.Tests.Fleets;

/// <summary>Who a recorded reallocation names as having picked up a share — without a cluster.</summary>
public sealed class RedispatchHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_status_change_names_the_moves_of_a_drift_event_recorded_after_the_change_but_not_of_one_before_it()
    {
        var history = new RedispatchHistory();
        history.Record(T0, [new SetpointChange("early", 40)], changedSince: null, pickedUpKw: 40, maxNamed: 10);
        // The asset leaves at T0+5 s; its partition already leaves it out of the drift re-dispatch at T0+6 s, recorded as a drift event.
        var (_, driftPickers) = history.Record(T0.AddSeconds(6), [new SetpointChange("reserve", 90), new SetpointChange("drained", -30)], null, 60, 10);
        Assert.Equal(["reserve"], driftPickers.Select(p => p.AssetId));

        // The status change reaches the fleet; its own re-dispatch moves nobody.
        var (unrecorded, pickedUpBy) = history.Record(T0.AddSeconds(7), [], changedSince: T0.AddSeconds(5), pickedUpKw: 60, maxNamed: 10);

        Assert.Equal(0, unrecorded);
        var picker = Assert.Single(pickedUpBy);
        Assert.Equal(("reserve", 90.0), (picker.AssetId, picker.ChangeKw));
    }

    [Fact]
    public void Unrecorded_redispatches_are_counted_and_named_once_then_only_for_a_change_before_them()
    {
        var history = new RedispatchHistory();
        history.AddUnrecorded(T0, [new SetpointChange("a", 10)]);
        history.AddUnrecorded(T0.AddSeconds(1), [new SetpointChange("a", 5), new SetpointChange("b", 3)]);

        var (unrecorded, drift) = history.Record(T0.AddSeconds(2), [new SetpointChange("c", 1)], null, 19, 10);
        Assert.Equal(2, unrecorded);
        Assert.Equal([("a", 15.0), ("b", 3.0), ("c", 1.0)], drift.Select(p => (p.AssetId, p.ChangeKw)));

        var (again, none) = history.Record(T0.AddSeconds(3), [], null, 5, 10);
        Assert.Equal(0, again);
        Assert.Empty(none);

        var (_, sinceChange) = history.Record(T0.AddSeconds(4), [], T0.AddSeconds(1), 5, 10);
        Assert.Equal([("a", 5.0), ("b", 3.0), ("c", 1.0)], sinceChange.Select(p => (p.AssetId, p.ChangeKw)));
    }

    [Fact]
    public void A_new_target_forgets_the_moves_but_the_count_of_unrecorded_redispatches_still_reaches_the_next_event()
    {
        var history = new RedispatchHistory();
        history.AddUnrecorded(T0, [new SetpointChange("a", 10)]);
        history.ForgetMoves();

        var (unrecorded, pickedUpBy) = history.Record(T0.AddSeconds(2), [new SetpointChange("b", -4)], T0, -4, 10);

        Assert.Equal(1, unrecorded);
        Assert.Equal(["b"], pickedUpBy.Select(p => p.AssetId));
    }

    [Fact]
    public void Nothing_picked_up_names_nobody_and_a_pickup_names_only_moves_in_its_direction()
    {
        var history = new RedispatchHistory();
        Assert.Empty(history.Record(T0, [new SetpointChange("a", 10)], T0, 0, 10).PickedUpBy);
        var down = history.Record(T0.AddSeconds(1), [new SetpointChange("b", 7), new SetpointChange("c", -7)], T0.AddSeconds(1), -7, 10).PickedUpBy;
        Assert.Equal(["c"], down.Select(p => p.AssetId));
    }
}
