using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Vpp.Abstractions.Fleets;
using Vpp.Client.Events;

namespace Vpp.Client;

public sealed partial class VppClient
{
    /// <summary>
    /// The fleet's events as they happen, until <paramref name="cancellationToken"/> is cancelled. The subscription
    /// renews itself and survives a silo restart: it then yields a <see cref="FleetEventKinds.Resubscribed"/> event
    /// and the events it missed (as far as the fleet retains them). Enumeration throws the SDK's typed exceptions
    /// when the first subscription fails (unknown fleet, cluster unreachable).
    /// </summary>
    public IAsyncEnumerable<FleetEvent> SubscribeAsync(string fleetId, CancellationToken cancellationToken = default) =>
        ReadFleetFeedAsync(fleetId, afterSequence: null, cancellationToken);

    /// <summary>
    /// As <see cref="SubscribeAsync(string, CancellationToken)"/>, but first delivers the retained events after
    /// <paramref name="afterSequence"/> (a <see cref="FleetEvent.Sequence"/> seen earlier: from
    /// <c>GetFleetEventsAsync</c>, or the last event of a subscription that ended), so nothing between then and the
    /// subscription is missed — like <c>Last-Event-ID</c> on the HTTP event stream. Subscribing happens on the first
    /// <c>MoveNextAsync</c>: a caller that acts right after calling this and must see the resulting event reads the
    /// current sequence first and passes it here.
    /// </summary>
    public IAsyncEnumerable<FleetEvent> SubscribeAsync(string fleetId, long afterSequence, CancellationToken cancellationToken = default) =>
        ReadFleetFeedAsync(fleetId, afterSequence, cancellationToken);

    /// <summary>The whole fleet's feed: the operator's (<see cref="CheckOperatorId"/>), checked when enumeration starts.</summary>
    private async IAsyncEnumerable<FleetEvent> ReadFleetFeedAsync(string fleetId, long? afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CheckOperatorId("fleetId", fleetId);
        await foreach (var fleetEvent in ReadFeedAsync(fleetId, afterSequence, cancellationToken))
        {
            yield return fleetEvent;
        }
    }

    private async IAsyncEnumerable<FleetEvent> ReadFeedAsync(string fleetId, long? afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var feed = await StartFeedAsync(fleetId, cancellationToken, afterSequence);
        await foreach (var fleetEvent in feed.Reader.ReadAllAsync(cancellationToken))
        {
            yield return fleetEvent;
        }
    }

    /// <summary>
    /// Calls <paramref name="onEvent"/> for each of the fleet's events, one at a time in order, until the returned
    /// handle is disposed. Returns once subscribed. An exception from the callback is logged and the next event
    /// is still delivered.
    /// </summary>
    /// <exception cref="Errors.VppNotFoundException">No asset ever joined the fleet.</exception>
    /// <exception cref="Errors.VppValidationException">The id is malformed.</exception>
    /// <exception cref="Errors.VppUnavailableException">The cluster could not be reached.</exception>
    public async Task<IAsyncDisposable> SubscribeAsync(string fleetId, Func<FleetEvent, ValueTask> onEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        CheckOperatorId("fleetId", fleetId);
        var feed = await StartFeedAsync(fleetId, cancellationToken);
        var logger = _loggerFactory.CreateLogger<VppClient>();
        var pump = Task.Run(async () =>
        {
            await foreach (var fleetEvent in feed.Reader.ReadAllAsync(CancellationToken.None))
            {
                try
                {
                    await onEvent(fleetEvent);
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Fleet {FleetId}: the event callback failed on event {Sequence}", fleetId, fleetEvent.Sequence);
                }
            }
        }, CancellationToken.None);
        return new CallbackSubscription(feed, pump);
    }

    private Task<FleetEventFeed> StartFeedAsync(string fleetId, CancellationToken cancellationToken, long? afterSequence = null) =>
        FleetEventFeed.StartAsync(
            _cluster, fleetId, _options.SubscriptionRefreshInterval, _loggerFactory.CreateLogger<FleetEventFeed>(),
            afterSequence, cancellationToken);

    private sealed class CallbackSubscription(FleetEventFeed feed, Task pump) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await feed.DisposeAsync();
            await pump;
        }
    }
}
