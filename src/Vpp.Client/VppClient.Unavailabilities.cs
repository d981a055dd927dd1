using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Client.Errors;

namespace Vpp.Client;

public sealed partial class VppClient
{
    /// <summary>
    /// Reports a window [<paramref name="fromUtc"/>, <paramref name="untilUtc"/>) in which the asset is out of service.
    /// At its start the asset goes into maintenance and its fleet reallocates its standing target to the others; at
    /// its end the asset returns to its previous status. Overlapping windows are merged for planning. Answers the
    /// window with its id (for <see cref="RemoveUnavailabilityAsync"/>). <paramref name="planned"/> is true for planned
    /// maintenance (known ahead), false for an unplanned outage.
    /// </summary>
    /// <exception cref="VppValidationException"><paramref name="untilUtc"/> is not after <paramref name="fromUtc"/> (field <c>until</c>), the window is too long or too far ahead, or the reason is too long.</exception>
    /// <exception cref="VppNotFoundException">The asset is not registered.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<UnavailabilityView> AddUnavailabilityAsync(
        string assetId, DateTimeOffset fromUtc, DateTimeOffset untilUtc, bool planned, string? reason = null, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("assetId", assetId);
        var request = new UnavailabilityRequest(fromUtc, untilUtc, planned ? "planned" : "unplanned", reason);
        return ErrorTranslation.CallAsync(() => Availability(assetId).AddUnavailabilityAsync(request), cancellationToken);
    }

    /// <summary>The asset's windows with their ids, ordered by start (ended ones are kept for a week).</summary>
    /// <exception cref="VppValidationException">The id is malformed.</exception>
    /// <exception cref="VppNotFoundException">The asset is not registered.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<UnavailabilityView[]> GetUnavailabilitiesAsync(string assetId, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("assetId", assetId);
        return ErrorTranslation.CallAsync(() => Availability(assetId).GetUnavailabilitiesAsync(), cancellationToken);
    }

    /// <summary>Removes a window; an asset in the middle of it returns to its previous status.</summary>
    /// <exception cref="VppValidationException">An id is malformed.</exception>
    /// <exception cref="VppNotFoundException">The asset is not registered, or has no window with this id.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task RemoveUnavailabilityAsync(string assetId, string unavailabilityId, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("assetId", assetId);
        if (string.IsNullOrWhiteSpace(unavailabilityId))
        {
            throw new VppValidationException([new FieldProblem("unavailabilityId", "is required")]);
        }

        return ErrorTranslation.CallAsync(() => Availability(assetId).RemoveUnavailabilityAsync(unavailabilityId), cancellationToken);
    }

    private IAssetAvailabilityGrain Availability(string assetId) => _cluster.GetGrain<IAssetAvailabilityGrain>(assetId);
}
