using Microsoft.Extensions.Time.Testing;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Grains.Fleets;
using Vpp.Testing;

namespace Vpp.Grains.Tests.Fleets;

/// <summary>The fleet's event log on its own: numbering, retention, what still needs storing, leases and pushes.</summary>
public sealed class FleetEventLogTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(T0);
    private readonly FleetState _state = new() { Known = true };
    private readonly List<string?> _pushFailures = [];

    private FleetEventLog Log(int retained = 500) => new(() => _state, _clock, retained, _pushFailures.Add);

    private static FleetEvent Event(string message, DateTimeOffset at) => new DispatchEvent(0, at, message, "d", 0, 0, 0);

    [Fact]
    public void Events_are_numbered_in_order_and_only_the_newest_retained_are_kept()
    {
        var log = Log(retained: 3);
        for (var i = 1; i <= 5; i++)
        {
            log.Add(Event($"e{i}", T0.AddSeconds(i)));
        }

        Assert.Equal([3L, 4L, 5L], _state.Events.Select(e => e.Sequence));
        Assert.Equal(6, _state.NextSequence);
        Assert.Equal(["e5", "e4"], log.Newest(2).Select(e => e.Message));
        Assert.Equal(["e3"], log.Before(4, 10).Select(e => e.Message));
        Assert.Equal("limit", Assert.Throws<InvalidInputException>(() => log.Newest(0)).Problems.Single().Field);
    }

    [Fact]
    public void What_a_write_stored_leaves_the_unstored_list_and_what_came_during_the_write_stays()
    {
        var log = Log();
        log.Add(Event("a", T0));
        log.Add(Event("b", T0));
        var writing = log.Unstored();
        log.Add(Event("c", T0)); // added while the write was on its way

        log.Stored(writing.Length);

        Assert.Equal(["c"], log.Unstored().Select(e => e.Message));
    }

    [Fact]
    public void Pruning_removes_only_events_older_than_the_cutoff()
    {
        var log = Log();
        log.Add(Event("old", T0));
        log.Add(Event("new", T0.AddHours(2)));

        Assert.Equal(1, log.Prune(T0.AddHours(1)));
        Assert.Equal(["new"], _state.Events.Select(e => e.Message));
    }

    [Fact]
    public async Task Subscribers_get_each_event_until_their_lease_runs_out_and_a_failing_one_is_dropped()
    {
        var log = Log();
        var steady = new Observer();
        var failing = new Observer { Fails = true };
        Assert.True(log.Subscribe(steady, TimeSpan.FromMinutes(1)).IsNew);
        Assert.False(log.Subscribe(steady, TimeSpan.FromMinutes(1)).IsNew);
        log.Subscribe(failing, TimeSpan.FromMinutes(10));

        log.Add(Event("first", T0));
        // The push fails on another thread; the log drops the subscriber, then reports the failure.
        await Eventually.Until(() => Task.FromResult(_pushFailures.Count), count => count == 1, "the failed push to be reported");
        Assert.Equal(["gone"], _pushFailures);
        Assert.Equal(1, log.SubscriberCount);
        _clock.Advance(TimeSpan.FromMinutes(2)); // the steady one's lease has run out
        log.Add(Event("second", _clock.GetUtcNow()));

        Assert.Equal(["first"], steady.Received.Select(e => e.Message));
        var subscription = log.Subscribe(steady, TimeSpan.FromMinutes(1));
        Assert.True(subscription.IsNew); // it must fill its gap from the retained events
        Assert.Equal(2, subscription.LastSequence);
    }

    [Fact]
    public void A_lease_outside_the_allowed_range_is_refused_naming_the_lease()
    {
        var error = Assert.Throws<InvalidInputException>(() => Log().Subscribe(new Observer(), TimeSpan.FromHours(2)));
        Assert.Equal("lease", error.Problems.Single().Field);
    }

    private sealed class Observer : IFleetEventObserver
    {
        public bool Fails { get; init; }

        public List<FleetEvent> Received { get; } = [];

        public Task OnFleetEventsAsync(FleetEvent[] events)
        {
            if (Fails)
            {
                return Task.FromException(new InvalidOperationException("gone"));
            }

            Received.AddRange(events);
            return Task.CompletedTask;
        }
    }
}
