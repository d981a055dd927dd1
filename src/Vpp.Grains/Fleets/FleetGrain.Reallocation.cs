using Microsoft.Extensions.Logging;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Re-dispatch of the standing target when assets drop out, come back or drift: the causes collect in
/// <see cref="PendingReallocation"/>, one <see cref="ReallocateAsync"/> the fleet sends itself serves them all, and
/// its event says what was lost and who picked it up (drift-only re-dispatches get one event per interval).
/// </summary>
public sealed partial class FleetGrain
{
    private readonly PendingReallocation _pending = new();
    private DateTimeOffset? _lastDriftEventAt;

    /// <summary>How far the assets could move beyond their setpoints right after the last dispatch (<see cref="FleetPartitions.Headroom"/>).</summary>
    private (double UpKw, double DownKw) _headroomAtDispatch;
    private readonly RedispatchHistory _redispatches = new();

    public async Task ReallocateAsync()
    {
        _reallocation.Running();
        var causes = _pending.Take();
        await SendSocShareIfChangedAsync();
        if (TargetToDispatch(BaseKw) is not { } targetKw)
        {
            return;
        }

        var before = S.AllocatedKw;
        var startedAt = clock.GetUtcNow();
        var result = await RunDispatchAsync(targetKw, S.Strategy, includeSetpoints: false);

        // What the rest took over: the new total minus what was left after the lost assets' share fell away.
        var lostKw = RoundKw(causes.LostKw);
        var pickedUpKw = RoundKw(result.AllocatedKw - (before - lostKw));
        LogReallocated(FleetId, causes.AssetIds.Length, lostKw, pickedUpKw, result.ShortfallKw);
        // Drift-only re-dispatches (clouds and SoC limits, or a partition that answers reads but keeps failing rounds)
        // get one event per interval, instead of hundreds pushing the dispatches and outages out of the retained events.
        var driftOnly = causes.DriftOnly;
        if (driftOnly && _lastDriftEventAt is { } lastDriftEvent && result.At - lastDriftEvent < _options.DriftEventInterval)
        {
            _redispatches.AddUnrecorded(startedAt, result.LargestChanges);
            WriteEventsBehind();
            return;
        }

        var (unrecorded, pickedUpBy) = _redispatches.Record(startedAt, result.LargestChanges, causes.ChangedSince, pickedUpKw, MaxPickedUpByReported);
        _lastDriftEventAt = driftOnly ? result.At : _lastDriftEventAt;
        AddEvent(new ReallocationEvent(
            0, result.At,
            $"Re-dispatched {targetKw:0.###} kW after {causes.Describe()}: lost {lostKw:0.###} kW, "
            + $"picked up {pickedUpKw:0.###} kW, shortfall {result.ShortfallKw:0.###} kW"
            + (unrecorded > 0 ? $" ({unrecorded} earlier re-dispatch(es) for drift or unanswered partitions not recorded as events)" : ""),
            DispatchId: result.DispatchId, TargetKw: targetKw, AllocatedKw: result.AllocatedKw, ShortfallKw: result.ShortfallKw,
            LostKw: lostKw, PickedUpKw: pickedUpKw, AssetIds: causes.AssetIds.Take(AssetChangeEvents.MaxAssetsNamed).ToArray(),
            PickedUpBy: pickedUpBy));
        await WriteStateAsync();
    }

    /// <summary>How many of the assets that picked up a share a reallocation event names (the largest moves).</summary>
    public const int MaxPickedUpByReported = 10;

    private bool RecordMembership(MembershipChange[] changes)
    {
        if (AssetChangeEvents.Membership(changes, clock.GetUtcNow()) is not { } fleetEvent)
        {
            return false;
        }

        AddEvent(fleetEvent);
        foreach (var leaving in changes.Where(c => !c.Joined && c.LostKw != 0))
        {
            QueueReallocation(leaving.AssetId, leaving.LostKw, leaving.At);
        }

        return true;
    }

    private bool RecordStatusChanges(StatusChange[] changes)
    {
        if (changes.Length == 0)
        {
            return false;
        }

        foreach (var fleetEvent in AssetChangeEvents.StatusChanges(changes))
        {
            AddEvent(fleetEvent);
        }

        foreach (var change in changes.Where(c => (c.From == AssetStatus.Online) != (c.To == AssetStatus.Online)))
        {
            QueueReallocation(change.AssetId, change.To == AssetStatus.Online ? 0 : change.LostKw, change.At);
        }

        return true;
    }

    /// <summary>
    /// Queues a re-dispatch when the assets together no longer hold enough of the standing target, or can give more of
    /// a target they fell short of.
    /// </summary>
    private void CheckDrift()
    {
        if ((BaseKw ?? _composed?.EffectiveKw) is not { } targetKw || _reallocation.IsQueued)
        {
            return;
        }

        var thresholdKw = Math.Max(1, Math.Abs(targetKw) * _options.RedispatchDriftPercent / 100);
        var driftKw = _partitions.Values.Sum(p => p.InfeasibleKw);
        if (driftKw > thresholdKw)
        {
            _pending.Drift(driftKw);
            QueueReallocation();
            return;
        }

        // A target the assets fell short of is dispatched again once they can give more of it than at its last dispatch
        // (ramping assets that moved, a rising sun), not only when the next target comes: the gain is counted against
        // the headroom left right after that dispatch, so headroom a dispatch cannot use does not repeat it.
        if (S.ShortfallKw == 0)
        {
            return;
        }

        var (upKw, downKw) = _partitions.Headroom();
        var gainKw = S.ShortfallKw > 0 ? Math.Min(S.ShortfallKw, upKw - _headroomAtDispatch.UpKw) : Math.Min(-S.ShortfallKw, downKw - _headroomAtDispatch.DownKw);
        if (gainKw > thresholdKw)
        {
            _pending.Headroom(gainKw);
            QueueReallocation();
        }
    }

    /// <summary>
    /// Re-dispatch runs as a message the fleet sends itself: it queues behind the current call instead of
    /// running inside it, and any number of changes that arrive before it runs share one re-dispatch.
    /// </summary>
    private void QueueReallocation()
    {
        if (BaseKw is not null || ServicesActive)
        {
            _reallocation.Queue();
        }
    }

    /// <summary>Queues a re-dispatch for an asset that left (<paramref name="lostKw"/> of its share fell away) or came back at <paramref name="at"/>.</summary>
    private void QueueReallocation(string assetId, double lostKw, DateTimeOffset at)
    {
        if (BaseKw is not null || ServicesActive)
        {
            _pending.Asset(assetId, lostKw, at);
            _reallocation.Queue();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet {FleetId} re-dispatched after {Count} status change(s): lost {LostKw} kW, picked up {PickedUpKw} kW, shortfall {ShortfallKw} kW")]
    private partial void LogReallocated(string fleetId, int count, double lostKw, double pickedUpKw, double shortfallKw);
}
