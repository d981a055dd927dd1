using Vpp.Abstractions.Fleets;
using Vpp.Domain.Dispatch;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Re-dispatches that were not recorded as events of their own (drift is paced to one event per interval): how many,
/// and the setpoint moves they made, summed per asset. The next recorded reallocation names those moves too: when an
/// unrecorded re-dispatch already moved the others (the asset's partition had left it out of dispatch before its
/// status change reached the fleet), the event that says "picked up 270 kW" still says who picked it up.
/// </summary>
public sealed class UnrecordedRedispatches
{
    /// <summary>Each re-dispatch names at most a few dozen moves; this bounds the sums between two recorded events.</summary>
    private const int MaxAssetsKept = 400;

    private readonly Dictionary<string, double> _movedKwByAsset = new(StringComparer.Ordinal);

    public int Count { get; private set; }

    /// <summary>One more re-dispatch that is not recorded as an event; <paramref name="moves"/> are its largest setpoint moves.</summary>
    public void Add(IEnumerable<SetpointChange>? moves)
    {
        Count++;
        AddMoves(moves);
    }

    /// <summary>A new target: the moves so far no longer explain a later pickup (the count still goes into the next event).</summary>
    public void ForgetMoves() => _movedKwByAsset.Clear();

    /// <summary>
    /// The count of unrecorded re-dispatches and the largest moves in the direction of <paramref name="pickedUpKw"/>,
    /// this re-dispatch's <paramref name="latestMoves"/> included; then starts over.
    /// </summary>
    public (int Unrecorded, SetpointChange[] PickedUpBy) Take(IEnumerable<SetpointChange>? latestMoves, double pickedUpKw, int maxNamed)
    {
        AddMoves(latestMoves);
        var pickedUpBy = Array.Empty<SetpointChange>();
        if (Math.Abs(pickedUpKw) > Capability.ToleranceKw)
        {
            var largest = new LargestChanges(maxNamed);
            foreach (var (assetId, kw) in _movedKwByAsset)
            {
                largest.Offer(assetId, kw);
            }

            pickedUpBy = largest.InDirection(Math.Sign(pickedUpKw));
        }

        var unrecorded = Count;
        Count = 0;
        _movedKwByAsset.Clear();
        return (unrecorded, pickedUpBy);
    }

    private void AddMoves(IEnumerable<SetpointChange>? moves)
    {
        foreach (var move in moves ?? [])
        {
            _movedKwByAsset[move.AssetId] = _movedKwByAsset.GetValueOrDefault(move.AssetId) + move.ChangeKw;
        }

        if (_movedKwByAsset.Count > MaxAssetsKept)
        {
            // Keep the larger half: a recorded event names the largest moves only.
            var keep = _movedKwByAsset.OrderByDescending(m => Math.Abs(m.Value)).Take(MaxAssetsKept / 2).ToArray();
            _movedKwByAsset.Clear();
            foreach (var (assetId, kw) in keep)
            {
                _movedKwByAsset[assetId] = kw;
            }
        }
    }
}
