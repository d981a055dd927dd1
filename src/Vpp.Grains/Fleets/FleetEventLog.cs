using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;

namespace Vpp.Grains.Fleets;

/// <summary>
/// A fleet's event log: numbers each event, keeps the newest <c>retained</c> in the fleet's stored state, remembers
/// which were added since the last successful write (to re-apply after a concurrent change) and pushes each to the
/// subscribers whose lease still runs. Owned by the fleet grain and called only in its turns.
/// </summary>
/// <param name="state">The fleet's current state object (it is replaced when a write re-reads the stored state).</param>
/// <param name="clock">The grains' clock: leases and event times.</param>
/// <param name="retained">How many events the fleet keeps.</param>
/// <param name="pushFailed">Told when a subscriber is dropped because a push to it failed.</param>
public sealed class FleetEventLog(Func<FleetState> state, TimeProvider clock, int retained, Action<string?> pushFailed)
{
    private readonly FleetSubscribers _subscribers = new();
    private readonly List<FleetEvent> _unstored = [];

    public int SubscriberCount => _subscribers.Count;

    /// <summary>Numbers, keeps and publishes the event; it is stored with the fleet's next state write.</summary>
    public FleetEvent Add(FleetEvent fleetEvent)
    {
        var s = state();
        var numbered = fleetEvent with { Sequence = s.NextSequence++ };
        s.Events.Add(numbered);
        _unstored.Add(numbered);
        Publish(numbered);
        var excess = s.Events.Count - Math.Max(1, retained);
        if (excess > 0)
        {
            s.Events.RemoveRange(0, excess);
        }

        return numbered;
    }

    /// <summary>The newest events, newest first.</summary>
    public FleetEvent[] Newest(int limit) => Page(long.MaxValue, limit);

    /// <summary>The events older than <paramref name="beforeSequence"/>, newest first.</summary>
    public FleetEvent[] Before(long beforeSequence, int limit) => Page(beforeSequence, limit);

    /// <summary>Removes events older than <paramref name="cutoff"/>; how many went.</summary>
    public int Prune(DateTimeOffset cutoff) => state().Events.RemoveAll(e => e.At < cutoff);

    /// <summary>Sets the subscriber's lease; the answer tells a subscriber this activation did not know to fill its gap.</summary>
    public FleetSubscription Subscribe(IFleetEventObserver observer, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (lease < FleetSubscribers.MinLease || lease > FleetSubscribers.MaxLease)
        {
            throw new InvalidInputException("lease", $"must be between {FleetSubscribers.MinLease} and {FleetSubscribers.MaxLease}");
        }

        var expiresAt = clock.GetUtcNow() + lease;
        var isNew = _subscribers.Renew(observer, expiresAt);
        return new FleetSubscription(isNew, state().NextSequence - 1, expiresAt);
    }

    public void Unsubscribe(IFleetEventObserver observer) => _subscribers.Remove(observer);

    /// <summary>The events added since the last successful write, for <see cref="FleetStateMerge.Reapply"/>.</summary>
    public FleetEvent[] Unstored() => [.. _unstored];

    /// <summary>The first <paramref name="count"/> unstored events are stored now.</summary>
    public void Stored(int count) => _unstored.RemoveRange(0, Math.Min(count, _unstored.Count));

    private FleetEvent[] Page(long beforeSequence, int limit)
    {
        if (limit < 1)
        {
            throw new InvalidInputException("limit", "must be at least 1");
        }

        return state().Events.AsEnumerable().Reverse().SkipWhile(e => e.Sequence >= beforeSequence).Take(limit).ToArray();
    }

    /// <summary>
    /// Pushes without awaiting: the fleet must never wait on a slow or vanished subscriber. A push that fails drops
    /// the subscriber; its next refresh then answers IsNew and it fills the gap from the retained events.
    /// </summary>
    private void Publish(FleetEvent fleetEvent)
    {
        if (_subscribers.Count == 0)
        {
            return;
        }

        FleetEvent[] events = [fleetEvent];
        foreach (var observer in _subscribers.Current(clock.GetUtcNow()))
        {
            _ = observer.OnFleetEventsAsync(events).ContinueWith(
                t =>
                {
                    _subscribers.Remove(observer);
                    pushFailed(t.Exception?.GetBaseException().Message);
                },
                TaskContinuationOptions.OnlyOnFaulted);
        }
    }
}
