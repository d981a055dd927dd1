namespace Vpp.Abstractions.Fleets;

/// <summary>Receives a fleet's events as they happen (see <see cref="IFleetGrain.SubscribeAsync"/>).</summary>
public interface IFleetEventObserver : IGrainObserver
{
    /// <summary>
    /// Events in sequence order. Delivery is best effort (the fleet does not wait for slow subscribers):
    /// a subscriber that sees a gap in <see cref="FleetEvent.Sequence"/> fills it from <see cref="IFleetGrain.GetEventsAsync"/>.
    /// </summary>
    Task OnFleetEventsAsync(FleetEvent[] events);
}

/// <summary>
/// The fleet's answer to a subscription: <see cref="IsNew"/> is true when this activation did not know the
/// subscriber (first call, or the fleet was reactivated — after a silo restart — and lost its subscribers), and
/// <see cref="LastSequence"/> is the newest event so far, from which a subscriber fills any gap.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FleetSubscription(
    [property: Id(0)] bool IsNew,
    [property: Id(1)] long LastSequence,
    [property: Id(2)] DateTimeOffset ExpiresAt);
