using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;

namespace Vpp.Grains.Fleets;

/// <summary>The fleet events that say which assets joined, left or changed status, as a partition reported them.</summary>
public static class AssetChangeEvents
{
    /// <summary>
    /// Above this many status changes in one report the fleet records one summary event instead of one per asset, and
    /// an event names at most this many assets: a gateway outage of 100,000 assets must not flood the retained events.
    /// </summary>
    public const int MaxAssetsNamed = 20;

    /// <summary>One event for the assets that joined and left, or none when nothing changed.</summary>
    public static MembershipEvent? Membership(MembershipChange[] changes, DateTimeOffset at)
    {
        if (changes.Length == 0)
        {
            return null;
        }

        var joined = changes.Where(c => c.Joined).Select(c => c.AssetId).ToArray();
        var left = changes.Where(c => !c.Joined).Select(c => c.AssetId).ToArray();
        return new MembershipEvent(
            0, at, $"{joined.Length} asset(s) joined, {left.Length} left",
            AssetIds: [.. joined.Concat(left).Take(MaxAssetsNamed)]);
    }

    /// <summary>One event per status change, or one summary event for a burst.</summary>
    public static IReadOnlyList<AssetStatusEvent> StatusChanges(StatusChange[] changes)
    {
        if (changes.Length == 0)
        {
            return [];
        }

        if (changes.Length <= MaxAssetsNamed)
        {
            return [.. changes.Select(change => new AssetStatusEvent(
                0, change.At,
                $"Asset {change.AssetId} {change.From.ToWire()} → {change.To.ToWire()}" + (change.Reason is null ? "" : $": {change.Reason}"),
                AssetId: change.AssetId, Status: change.To.ToWire(), LostKw: change.To == AssetStatus.Online ? null : change.LostKw))];
        }

        var online = changes.Count(c => c.To == AssetStatus.Online);
        return
        [
            new AssetStatusEvent(
                0, changes[^1].At,
                $"{changes.Length} assets changed status: {online} came online, {changes.Length - online} went offline or into maintenance",
                LostKw: Math.Round(changes.Where(c => c.To != AssetStatus.Online).Sum(c => c.LostKw), 3),
                AssetIds: [.. changes.Select(c => c.AssetId).Take(MaxAssetsNamed)]),
        ];
    }
}
