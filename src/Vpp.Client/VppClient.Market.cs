using Vpp.Abstractions.Fleets;
using Vpp.Client.Errors;

namespace Vpp.Client;

public sealed partial class VppClient
{
    /// <summary>
    /// Per 15-minute slot of [<paramref name="from"/>, <paramref name="to"/>): the up and down power the fleet can
    /// guarantee for a product held for <paramref name="productDuration"/> (a battery of E kWh offers at most
    /// E / duration), net of what is committed, and the energy that means.
    /// </summary>
    /// <exception cref="VppNotFoundException">No asset ever joined the fleet.</exception>
    /// <exception cref="VppValidationException">The id, range (to after from, at most 7 days by default) or duration (15 min to 24 h) is invalid.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<FlexibilityView> GetFlexibilityAsync(
        string fleetId, DateTimeOffset from, DateTimeOffset to, TimeSpan? productDuration = null, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("fleetId", fleetId);
        return ErrorTranslation.CallAsync(
            () => _cluster.GetGrain<IFleetQueryGrain>(fleetId).GetFlexibilityAsync(from, to, productDuration ?? TimeSpan.FromMinutes(15)), cancellationToken);
    }

    /// <summary>
    /// Bids for <paramref name="product"/> ("fcr", "afrr" or "intraday") per product block touching the range: the
    /// pooled flexibility rounded down to the market's minimum size and increment; a block below the minimum has
    /// quantity 0 and says why in <see cref="BidView.Problem"/>.
    /// </summary>
    /// <exception cref="VppNotFoundException">No asset ever joined the fleet.</exception>
    /// <exception cref="VppValidationException">The id, product or range is invalid.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<BidsView> GetBidsAsync(
        string fleetId, string product, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("fleetId", fleetId);
        return ErrorTranslation.CallAsync(() => _cluster.GetGrain<IFleetQueryGrain>(fleetId).GetBidsAsync(product, from, to), cancellationToken);
    }

    /// <summary>
    /// Per 15-minute slot of the range: requested energy (the fleet's target integrated), delivered energy (its assets'
    /// telemetry integrated), the deviation in kWh and % (null while any asset's telemetry has a gap in the slot —
    /// unknown, not zero), per asset its share, and who compensated for whom when an asset dropped out.
    /// </summary>
    /// <exception cref="VppNotFoundException">No asset ever joined the fleet.</exception>
    /// <exception cref="VppValidationException">The id or range is invalid.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<SettlementView> GetSettlementAsync(string fleetId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("fleetId", fleetId);
        return ErrorTranslation.CallAsync(() => _cluster.GetGrain<ISettlementQueryGrain>(fleetId).GetSettlementAsync(from, to), cancellationToken);
    }

    /// <summary>
    /// The settlement's fleet figures per slot without the per-asset list (no shares, no compensations): summed where
    /// the meters are kept, so a fleet of 100,000 assets is settled for days in one call. Each slot counts its assets
    /// and those with gaps, and names up to 20 of the latter.
    /// </summary>
    /// <exception cref="VppNotFoundException">No asset ever joined the fleet.</exception>
    /// <exception cref="VppValidationException">The id or range is invalid.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<SettlementView> GetSettlementTotalsAsync(string fleetId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("fleetId", fleetId);
        return ErrorTranslation.CallAsync(() => _cluster.GetGrain<ISettlementQueryGrain>(fleetId).GetSettlementTotalsAsync(from, to), cancellationToken);
    }
}
