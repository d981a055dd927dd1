using Vpp.Abstractions.Fleets;
using Vpp.Domain.Dispatch;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Keeps the <c>n</c> largest setpoint moves up and the <c>n</c> largest down while members are offered one by one:
/// a reallocation event then names who picked up the lost share, without the dispatch carrying every setpoint of a
/// 100,000-asset fleet.
/// </summary>
public sealed class LargestChanges(int perDirection)
{
    private readonly List<SetpointChange> _up = [];
    private readonly List<SetpointChange> _down = [];

    public void Offer(string assetId, double changeKw)
    {
        if (Math.Abs(changeKw) <= Capability.ToleranceKw)
        {
            return;
        }

        var side = changeKw > 0 ? _up : _down;
        if (side.Count < perDirection)
        {
            side.Add(new SetpointChange(assetId, Math.Round(changeKw, 3)));
            return;
        }

        var smallest = 0;
        for (var i = 1; i < side.Count; i++)
        {
            if (Math.Abs(side[i].ChangeKw) < Math.Abs(side[smallest].ChangeKw))
            {
                smallest = i;
            }
        }

        if (Math.Abs(changeKw) > Math.Abs(side[smallest].ChangeKw))
        {
            side[smallest] = new SetpointChange(assetId, Math.Round(changeKw, 3));
        }
    }

    public void OfferAll(IEnumerable<SetpointChange> changes)
    {
        foreach (var change in changes)
        {
            Offer(change.AssetId, change.ChangeKw);
        }
    }

    /// <summary>Largest first, ups then downs.</summary>
    public SetpointChange[] ToArray() =>
        [.. _up.OrderByDescending(c => c.ChangeKw), .. _down.OrderBy(c => c.ChangeKw)];

    /// <summary>The moves in one direction (+1 up, −1 down), largest first.</summary>
    public SetpointChange[] InDirection(double sign) =>
        [.. (sign >= 0 ? _up.OrderByDescending(c => c.ChangeKw) : _down.OrderBy(c => c.ChangeKw))];
}
