using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Assets;

/// <summary>
/// The silence watchdog of every online asset active in this silo, on one timer of the grains' clock instead of one
/// grain timer per asset. An asset arms a <see cref="Watch"/> with the instant it would have been silent for
/// <see cref="VppOptions.OfflineAfter"/> and moves it later with each measurement (a field write); the watch calls the
/// asset (<see cref="IAssetMember.CheckSilenceAsync"/>) only when that instant passes with nothing heard. So an asset
/// that keeps reporting costs no grain turn and no timer of its own, which is what a grain timer per asset cost at
/// 1,000,000 assets (a turn per asset every <see cref="VppOptions.OfflineAfter"/>, ~0.45 KB each).
/// </summary>
public sealed partial class SilenceWatch : IDisposable
{
    /// <summary>After a silence check that failed (the asset's silo busy or leaving), asked again this much later.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly PriorityQueue<Watch, long> _queue = new();
    private readonly TimeProvider _clock;
    private readonly IGrainFactory _grains;
    private readonly ILogger<SilenceWatch> _logger;
    private readonly ITimer _timer;
    private long _timerDueTicks = long.MaxValue;
    private bool _disposed;

    public SilenceWatch([FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock, IGrainFactory grains, ILogger<SilenceWatch> logger)
    {
        _clock = clock;
        _grains = grains;
        _logger = logger;
        _timer = clock.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Starts watching an asset that is due at <paramref name="due"/> unless it is heard from before.</summary>
    public Watch Arm(string assetId, DateTimeOffset due)
    {
        var watch = new Watch(this, assetId, due.UtcTicks);
        Enqueue(watch, due.UtcTicks);
        return watch;
    }

    private void Enqueue(Watch watch, long dueTicks)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return; // the silo is stopping: its activations go with it
            }

            watch.QueuedTicks = dueTicks;
            _queue.Enqueue(watch, dueTicks);
            if (dueTicks < _timerDueTicks)
            {
                SetTimer(dueTicks);
            }
        }
    }

    /// <summary>Under the lock: the timer fires at the earliest queued instant.</summary>
    private void SetTimer(long dueTicks)
    {
        _timerDueTicks = dueTicks;
        var wait = TimeSpan.FromTicks(Math.Max(0, dueTicks - _clock.GetUtcNow().UtcTicks));
        _timer.Change(wait, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        List<Watch>? due = null;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            var now = _clock.GetUtcNow().UtcTicks;
            while (_queue.TryPeek(out var watch, out var queuedTicks) && queuedTicks <= now)
            {
                _queue.Dequeue();
                if (watch.Disarmed || queuedTicks != watch.QueuedTicks)
                {
                    continue; // disarmed, or queued again at another instant: that entry speaks for it
                }

                var dueTicks = Volatile.Read(ref watch.DueTicks);
                if (dueTicks > now)
                {
                    // Heard from since it was queued: wait for the new instant, no call.
                    watch.QueuedTicks = dueTicks;
                    _queue.Enqueue(watch, dueTicks);
                    continue;
                }

                watch.QueuedTicks = long.MaxValue;
                (due ??= []).Add(watch);
            }

            _timerDueTicks = long.MaxValue;
            if (_queue.TryPeek(out _, out var next))
            {
                SetTimer(next);
            }
        }

        foreach (var watch in due ?? [])
        {
            _ = CheckAsync(watch);
        }
    }

    /// <summary>Asks the asset to check its silence; it re-arms (or disarms) the watch itself.</summary>
    private async Task CheckAsync(Watch watch)
    {
        try
        {
            await _grains.GetGrain<IAssetMember>(watch.AssetId).CheckSilenceAsync();
        }
        catch (Exception ex)
        {
            LogCheckFailed(watch.AssetId, ex.GetBaseException().Message);
            if (!watch.Disarmed)
            {
                watch.MoveTo(_clock.GetUtcNow() + RetryAfterFailure);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _queue.Clear();
        }

        _timer.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silence check of asset {AssetId} failed, asked again shortly: {Error}")]
    private partial void LogCheckFailed(string assetId, string error);

    /// <summary>One asset's watch: moved later by each measurement, disarmed when the asset goes offline or deactivates.</summary>
    public sealed class Watch
    {
        private readonly SilenceWatch _owner;

        internal Watch(SilenceWatch owner, string assetId, long dueTicks)
        {
            _owner = owner;
            AssetId = assetId;
            DueTicks = dueTicks;
        }

        internal string AssetId { get; }

        /// <summary>When the asset will have been silent too long (UTC ticks); written by the asset, read by the timer.</summary>
        internal long DueTicks;

        /// <summary>The instant of its queue entry (under the owner's lock); long.MaxValue when not queued.</summary>
        internal long QueuedTicks = long.MaxValue;

        internal volatile bool Disarmed;

        /// <summary>
        /// The asset is due at <paramref name="due"/> now. Later than its queue entry: only remembered (the entry, when it
        /// comes up, waits again); earlier, or not queued: queued at once.
        /// </summary>
        public void MoveTo(DateTimeOffset due)
        {
            var ticks = due.UtcTicks;
            Volatile.Write(ref DueTicks, ticks);
            if (ticks < Volatile.Read(ref QueuedTicks))
            {
                _owner.Enqueue(this, ticks);
            }
        }

        public void Disarm() => Disarmed = true;
    }
}
