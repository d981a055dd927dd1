using Vpp.Abstractions.Fleets;
using Vpp.Domain.Dispatch;

namespace Vpp.Grains.Fleets;

/// <summary>
/// The fleet's re-dispatches of its standing target since it was last given a new one: when each started, the setpoint
/// moves it made, and which were not recorded as events (drift is paced to one event per interval).
/// A recorded reallocation names who picked up the share: the moves of the re-dispatches that were not recorded since
/// the last event, and, for a status change, the moves of every re-dispatch that started after the change. A partition
/// leaves an asset out of dispatch as soon as it hears of the change, so a re-dispatch for drift that runs before the
/// change reaches the fleet already moves the others for it — recorded as a drift event of its own or not.
/// </summary>
public sealed class RedispatchHistory
{
    /// <summary>A status change reaches the fleet within seconds; this bounds the history between two new targets.</summary>
    private const int MaxKept = 64;

    private readonly List<Redispatch> _kept = [];

    /// <summary>Re-dispatches since the last recorded event that were not recorded as events of their own.</summary>
    public int Unrecorded { get; private set; }

    /// <summary>One more re-dispatch, started at <paramref name="startedAt"/>, that is not recorded as an event.</summary>
    public void AddUnrecorded(DateTimeOffset startedAt, IEnumerable<SetpointChange>? moves)
    {
        Keep(startedAt, moves);
        Unrecorded++;
    }

    /// <summary>A new target: the moves so far no longer explain a later pickup (the count still goes into the next event).</summary>
    public void ForgetMoves() => _kept.Clear();

    /// <summary>
    /// Keeps the re-dispatch that is being recorded and answers how many were not recorded before it and the largest
    /// moves in the direction of <paramref name="pickedUpKw"/>: its own, the unrecorded ones', and, when it answers
    /// status changes (<paramref name="changedSince"/>, the earliest change), those of every re-dispatch since then.
    /// </summary>
    public (int Unrecorded, SetpointChange[] PickedUpBy) Record(
        DateTimeOffset startedAt, IEnumerable<SetpointChange>? moves, DateTimeOffset? changedSince, double pickedUpKw, int maxNamed)
    {
        Keep(startedAt, moves);
        var pickedUpBy = Array.Empty<SetpointChange>();
        if (Math.Abs(pickedUpKw) > Capability.ToleranceKw)
        {
            var movedKwByAsset = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var redispatch in _kept)
            {
                var named = redispatch.SinceLastEvent || (changedSince is { } since && redispatch.StartedAt >= since);
                foreach (var move in named ? redispatch.Moves : [])
                {
                    movedKwByAsset[move.AssetId] = movedKwByAsset.GetValueOrDefault(move.AssetId) + move.ChangeKw;
                }
            }

            var largest = new LargestChanges(maxNamed);
            foreach (var (assetId, kw) in movedKwByAsset)
            {
                largest.Offer(assetId, kw);
            }

            pickedUpBy = largest.InDirection(Math.Sign(pickedUpKw));
        }

        var unrecorded = Unrecorded;
        Unrecorded = 0;
        for (var i = 0; i < _kept.Count; i++)
        {
            _kept[i] = _kept[i] with { SinceLastEvent = false }; // from now on named only for a change before it
        }

        return (unrecorded, pickedUpBy);
    }

    private void Keep(DateTimeOffset startedAt, IEnumerable<SetpointChange>? moves)
    {
        _kept.Add(new Redispatch(startedAt, [.. moves ?? []], SinceLastEvent: true));
        if (_kept.Count > MaxKept)
        {
            _kept.RemoveAt(0);
        }
    }

    private sealed record Redispatch(DateTimeOffset StartedAt, SetpointChange[] Moves, bool SinceLastEvent);
}
