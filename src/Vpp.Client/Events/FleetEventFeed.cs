using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Vpp.Abstractions.Fleets;
using Vpp.Client.Errors;

namespace Vpp.Client.Events;

/// <summary>
/// A live subscription to one fleet's events, delivered in sequence order through <see cref="Reader"/>. It renews
/// itself every refresh interval; when the fleet no longer knows it (the fleet was reactivated after a silo
/// restart) it subscribes again, emits a <see cref="FleetEventKinds.Resubscribed"/> event, logs it, and fills in
/// the events it missed from those the fleet retains. Gaps in a push (lost or reordered messages) are filled the
/// same way, so a subscriber sees every retained event once, in order.
/// </summary>
/// <remarks>Used by <see cref="VppClient.SubscribeAsync(string, CancellationToken)"/> and by the silo's Server-Sent Events endpoint.</remarks>
public sealed partial class FleetEventFeed : IFleetEventObserver, IAsyncDisposable
{
    /// <summary>Most events fetched to fill one gap (what a fleet retains by default).</summary>
    private const int MaxBackfill = 500;

    private readonly IGrainFactory _grains;
    private readonly IFleetGrain _fleet;
    private readonly string _fleetId;
    private readonly TimeSpan _refreshInterval;
    private readonly ILogger _logger;
    private readonly Channel<FleetEvent> _channel = Channel.CreateUnbounded<FleetEvent>(new() { SingleReader = true });
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private IFleetEventObserver? _reference;
    private Task? _refreshLoop;
    private long _lastSequence;

    private FleetEventFeed(IGrainFactory grains, string fleetId, TimeSpan refreshInterval, ILogger logger)
    {
        _grains = grains;
        _fleetId = fleetId;
        _fleet = grains.GetGrain<IFleetGrain>(fleetId);
        _refreshInterval = refreshInterval;
        _logger = logger;
    }

    /// <summary>The events, in sequence order; completes when the feed is disposed.</summary>
    public ChannelReader<FleetEvent> Reader => _channel.Reader;

    /// <summary>How many times the feed had to subscribe again since it started.</summary>
    public int Resubscriptions { get; private set; }

    /// <summary>The lease asked of the fleet: several refresh intervals, so one missed refresh does not end the subscription.</summary>
    private TimeSpan Lease => TimeSpan.FromTicks(Math.Clamp(_refreshInterval.Ticks * 4, TimeSpan.FromSeconds(5).Ticks, TimeSpan.FromHours(1).Ticks));

    /// <summary>
    /// Subscribes to the fleet. Events from now on are delivered; with <paramref name="afterSequence"/>, retained
    /// events after that sequence number come first (as a reconnecting Server-Sent Events client asks with Last-Event-ID).
    /// </summary>
    /// <exception cref="VppNotFoundException">The fleet does not exist.</exception>
    /// <exception cref="VppValidationException">The fleet id is malformed.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public static async Task<FleetEventFeed> StartAsync(
        IGrainFactory grains, string fleetId, TimeSpan refreshInterval, ILogger logger, long? afterSequence = null, CancellationToken cancellationToken = default)
    {
        ErrorTranslation.CheckId("fleetId", fleetId);
        var feed = new FleetEventFeed(grains, fleetId, refreshInterval, logger);
        feed._reference = grains.CreateObjectReference<IFleetEventObserver>(feed);

        // Pushes may arrive as soon as the fleet knows us: they wait until we know where the sequence stands.
        await feed._gate.WaitAsync(cancellationToken);
        try
        {
            var subscription = await ErrorTranslation.CallAsync(() => feed._fleet.SubscribeAsync(feed._reference, feed.Lease), cancellationToken);
            feed._lastSequence = subscription.LastSequence;
            if (afterSequence is { } after && after < subscription.LastSequence)
            {
                feed._lastSequence = Math.Max(0, after);
                await feed.BackfillAsync(subscription.LastSequence, cancellationToken);
            }
        }
        catch
        {
            grains.DeleteObjectReference<IFleetEventObserver>(feed._reference);
            throw;
        }
        finally
        {
            feed._gate.Release();
        }

        feed._refreshLoop = feed.RefreshLoopAsync(feed._stopping.Token);
        return feed;
    }

    /// <inheritdoc />
    async Task IFleetEventObserver.OnFleetEventsAsync(FleetEvent[] events)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _gate.WaitAsync(_stopping.Token);
        try
        {
            foreach (var fleetEvent in events.OrderBy(e => e.Sequence))
            {
                if (fleetEvent.Sequence <= _lastSequence)
                {
                    continue; // already delivered (by a backfill, or a push that overtook this one)
                }

                if (fleetEvent.Sequence > _lastSequence + 1)
                {
                    await BackfillAsync(fleetEvent.Sequence - 1, _stopping.Token);
                }

                Emit(fleetEvent);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RefreshLoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_refreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                await RefreshAsync(stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task RefreshAsync(CancellationToken stopping)
    {
        FleetSubscription subscription;
        try
        {
            subscription = await ErrorTranslation.CallAsync(() => _fleet.SubscribeAsync(_reference!, Lease), stopping);
        }
        catch (VppException ex)
        {
            // The silo holding the fleet may be restarting: keep trying every interval until it answers again.
            LogRefreshFailed(_fleetId, ex.Message);
            return;
        }

        if (!subscription.IsNew)
        {
            return;
        }

        await _gate.WaitAsync(stopping);
        try
        {
            Resubscriptions++;
            var message = $"Resubscribed to fleet '{_fleetId}' (the fleet was reactivated, e.g. after a silo restart)";
            if (subscription.LastSequence < _lastSequence)
            {
                // The fleet came back from storage without its newest events (they are written a moment behind):
                // its numbering restarts below what we delivered, so take its word for where it is.
                message += $"; the fleet lost events {subscription.LastSequence + 1}..{_lastSequence} in the restart";
                _lastSequence = subscription.LastSequence;
            }

            LogResubscribed(_fleetId, _lastSequence, subscription.LastSequence);
            Emit(new ResubscribedEvent(_lastSequence, DateTimeOffset.UtcNow, message), advance: false);
            await BackfillAsync(subscription.LastSequence, stopping);
        }
        catch (VppException ex)
        {
            LogRefreshFailed(_fleetId, ex.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Delivers the retained events after the last delivered one, up to <paramref name="upToSequence"/>.</summary>
    private async Task BackfillAsync(long upToSequence, CancellationToken cancellationToken)
    {
        var missing = upToSequence - _lastSequence;
        if (missing <= 0)
        {
            return;
        }

        // The fleet answers its newest events, and by now it may have more than upToSequence (a push that overtook
        // an earlier one is the usual reason for a gap): asking for just the missing count would return those newer
        // ones and lose the gap. Ask for everything it retains (a gap is rare) and pick the range.
        var retained = await ErrorTranslation.CallAsync(() => _fleet.GetEventsAsync(MaxBackfill), cancellationToken);
        var fill = retained.Where(e => e.Sequence > _lastSequence && e.Sequence <= upToSequence).OrderBy(e => e.Sequence).ToList();
        if (fill.Count < missing)
        {
            LogEventsNoLongerRetained(_fleetId, missing - fill.Count);
        }

        fill.ForEach(e => Emit(e));
        _lastSequence = Math.Max(_lastSequence, upToSequence);
    }

    private void Emit(FleetEvent fleetEvent, bool advance = true)
    {
        if (advance)
        {
            _lastSequence = fleetEvent.Sequence;
        }

        _channel.Writer.TryWrite(fleetEvent);
    }

    /// <summary>Ends the subscription: stops renewing, unsubscribes (best effort) and completes <see cref="Reader"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_refreshLoop is not null)
        {
            await _refreshLoop;
        }

        try
        {
            // Best effort: if it fails, the lease runs out on its own.
            await _fleet.UnsubscribeAsync(_reference!).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogUnsubscribeFailed(_fleetId, ex.Message);
        }

        _grains.DeleteObjectReference<IFleetEventObserver>(_reference!);
        _channel.Writer.TryComplete();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet {FleetId}: resubscribed to events (the fleet had been reactivated, e.g. after a silo restart); last delivered event {LastDelivered}, fleet at {FleetSequence}")]
    private partial void LogResubscribed(string fleetId, long lastDelivered, long fleetSequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet {FleetId}: renewing the event subscription failed, retrying: {Error}")]
    private partial void LogRefreshFailed(string fleetId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet {FleetId}: {Count} missed event(s) are no longer retained by the fleet")]
    private partial void LogEventsNoLongerRetained(string fleetId, long count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fleet {FleetId}: unsubscribing failed (the lease will run out): {Error}")]
    private partial void LogUnsubscribeFailed(string fleetId, string error);
}
