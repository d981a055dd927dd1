using Vpp.Abstractions.Assets;
using Vpp.Domain.Assets;
using Vpp.Domain.Forecasts;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Schedules;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Optimisation: folds the online members into groups, so the fleet adds up partitions, not 100,000 assets; and sums
/// the flexible loads' metered history for the similar-day load forecast.
/// </summary>
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
                        (view.Unavailabilities ?? []).Select(u => (u.From, u.Until)), from, slots,
                        OperatingEnvelope.Running(view.Live), view.Live.RunningChangedAt) is { } part)
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

    public async Task<double?[]> GetMeteredLoadAsync(DateTimeOffset from, int slots)
    {
        var to = from + (QuarterHour.Length * slots);
        await ReadBackStoredSlotsAsync(from, to);
        var loads = _members.Values.Where(m => m.Report.Kind == AssetKind.FlexibleLoad).Select(m => m.AssetId).ToHashSet();
        var bySlot = MetersInRange(from, to).Where(m => loads.Contains(m.AssetId)).ToLookup(m => m.SlotStart, m => m.Reading);
        return [.. Enumerable.Range(0, slots).Select(t => FleetForecasts.MeteredLoadKw(bySlot[from + (QuarterHour.Length * t)]))];
    }
}
