using Vpp.Abstractions.Fleets;
using Vpp.Domain.Market;

namespace Vpp.Grains.Assets;

/// <summary>Flexibility: what this asset can offer the market, from its spec and live state.</summary>
public sealed partial class AssetGrain
{
    public ValueTask<FlexOffer?> GetFlexOfferAsync()
    {
        if (Spec is not { } spec)
        {
            return ValueTask.FromResult<FlexOffer?>(null);
        }

        // The asset's reported unavailability windows (AssetGrain.Unavailabilities), merged into outages.
        var calendar = Calendar();
        var flex = FlexAsset.Of(AssetId, spec, Live, calendar, Now);
        return ValueTask.FromResult<FlexOffer?>(new FlexOffer(
            flex.MinKw, flex.MaxKw, flex.BaselineKw, flex.DeliverableKwh, flex.AbsorbableKwh, flex.CountsUntil,
            [.. calendar.Outages.Select(o => new OutageWindow(o.From, o.Until, o.Planned))]));
    }
}
