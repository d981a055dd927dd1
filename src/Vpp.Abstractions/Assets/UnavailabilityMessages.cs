namespace Vpp.Abstractions.Assets;

/// <summary><c>POST /assets/{id}/unavailabilities</c> as sent; every field optional so validation can name what is missing.</summary>
[GenerateSerializer, Immutable]
public sealed record UnavailabilityRequest(
    [property: Id(0)] DateTimeOffset? From,
    [property: Id(1)] DateTimeOffset? Until,
    [property: Id(2)] string? Kind,
    [property: Id(3)] string? Reason);

/// <summary>A reported window [From, Until) in which the asset is out of service; kind "planned" or "unplanned".</summary>
[GenerateSerializer, Immutable]
public sealed record UnavailabilityView(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset From,
    [property: Id(2)] DateTimeOffset Until,
    [property: Id(3)] string Kind,
    [property: Id(4)] string? Reason);

/// <summary>
/// A continuous time the asset is out, overlapping windows merged, as its partition sees it (for flexibility and
/// bids): <see cref="Planned"/> only when every window in it was planned.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OutageView(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] DateTimeOffset Until,
    [property: Id(2)] bool Planned);

/// <summary>
/// An asset's unavailability windows (same key and activation as <see cref="IAssetGrain"/>). During a window the
/// asset is in maintenance, so its fleet leaves it out and reallocates; afterwards it returns to its previous status.
/// </summary>
public interface IAssetAvailabilityGrain : IGrainWithStringKey
{
    /// <summary>Adds a window; answers it with its id. Overlapping windows are kept apart here and merged for planning.</summary>
    /// <exception cref="Errors.InvalidInputException">Missing or reversed times (<c>until</c>), unknown kind, too long a reason.</exception>
    /// <exception cref="Errors.NotFoundException">The asset is not registered.</exception>
    Task<UnavailabilityView> AddUnavailabilityAsync(UnavailabilityRequest request);

    /// <summary>The windows that have not ended yet, and those that ended within the retention, ordered by start.</summary>
    /// <exception cref="Errors.NotFoundException">The asset is not registered.</exception>
    [AlwaysInterleave]
    Task<UnavailabilityView[]> GetUnavailabilitiesAsync();

    /// <summary>Removes a window; an asset in the middle of it returns to its previous status.</summary>
    /// <exception cref="Errors.NotFoundException">The asset is not registered, or has no window with this id.</exception>
    Task RemoveUnavailabilityAsync(string unavailabilityId);
}
