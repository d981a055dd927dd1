using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Availability;
using Vpp.Domain.Market;
using Vpp.Domain.Schedules;

namespace Vpp.Grains.Fleets;

/// <summary>Flexibility: pools the members' offers per slot, so the fleet adds up partitions, not 100,000 assets.</summary>
public sealed partial class FleetPartitionGrain
{
    public async Task<PooledFlexSlot[]> PoolFlexibilityAsync(DateTimeOffset from, DateTimeOffset to, TimeSpan productDuration)
    {
        // Offline members offer nothing (their return is not guaranteed) and are not asked; they still count as assets.
        var nothing = new FlexAsset("", 0, 0, 0, null, null, UnavailabilityCalendar.Empty);
        var asked = new List<(string AssetId, ValueTask<FlexOffer?> Offer)>(_members.Count);
        var assets = new List<FlexAsset>(_members.Count);
        foreach (var member in _members.Values)
        {
            if (member.Report.Status == AssetStatus.Online)
            {
                asked.Add((member.AssetId, member.Asset.GetFlexOfferAsync())); // all issued first, then read
            }
            else
            {
                assets.Add(nothing);
            }
        }

        foreach (var (assetId, pending) in asked)
        {
            try
            {
                assets.Add(await pending is { } offer ? ToFlexAsset(assetId, offer) : nothing);
            }
            catch (Exception ex)
            {
                // An asset that cannot answer cannot be counted on.
                LogMemberUnreadable(this.GetPrimaryKeyString(), assetId, ex.GetBaseException().Message);
                assets.Add(nothing);
            }
        }

        return [.. Flexibility.Pool(assets, new SlotRange(from, to), productDuration)
            .Select(s => new PooledFlexSlot(s.Start, s.UpKw, s.DownKw, s.BaselineKw, s.Counted, s.NotCounted))];
    }

    private static FlexAsset ToFlexAsset(string assetId, FlexOffer offer) => new(
        assetId, offer.MinKw, offer.MaxKw, offer.BaselineKw, offer.DeliverableKwh, offer.AbsorbableKwh,
        UnavailabilityCalendar.Of(offer.Outages.Select((o, i) => new UnavailabilityWindow(
            $"{assetId}-{i}", o.From, o.Until, o.Planned ? UnavailabilityKind.Planned : UnavailabilityKind.Unplanned, null))),
        offer.CountsUntil);
}
