using Vpp.Abstractions.Assets;
using Vpp.Domain.Assets;
using Vpp.Domain.Optimisation;

namespace Vpp.Grains.Fleets;

/// <summary>Optimisation: folds the online members into groups, so the fleet adds up partitions, not 100,000 assets.</summary>
public sealed partial class FleetPartitionGrain
{
    public async Task<GroupTotals[]> GetOptimisationGroupsAsync(DateTimeOffset from, int slots)
    {
        // Offline members are not planned (their return is not guaranteed), as for flexibility.
        var asked = new List<(string AssetId, Task<AssetView?> View)>(_members.Count);
        foreach (var member in _members.Values)
        {
            if (member.Report.Status == AssetStatus.Online)
            {
                asked.Add((member.AssetId, member.Asset.GetAsync())); // all issued first, then read
            }
        }

        var parts = new List<GroupTotals>(asked.Count);
        foreach (var (assetId, pending) in asked)
        {
            try
            {
                if (await pending is { } view
                    && GroupTotals.Of(
                        view.Spec, view.Live.StateOfChargePercent, view.Live.AvailablePowerKw,
                        (view.Unavailabilities ?? []).Select(u => (u.From, u.Until)), from, slots) is { } part)
                {
                    parts.Add(part);
                }
            }
            catch (Exception ex)
            {
                // An asset that cannot answer cannot be planned.
                LogMemberUnreadable(this.GetPrimaryKeyString(), assetId, ex.GetBaseException().Message);
            }
        }

        return [.. GroupTotals.Fold(parts)];
    }
}
