using Vpp.Domain.Assets;

namespace Vpp.Abstractions.Assets;

/// <summary>One physical asset, keyed by its asset id. Holds the asset's live state and accepts setpoints.</summary>
public interface IAssetGrain : IGrainWithStringKey
{
    /// <summary>Registers or updates the asset; joins (or moves to) the fleet named in the spec.</summary>
    /// <exception cref="Errors.InvalidInputException">The spec or id is invalid.</exception>
    /// <exception cref="Errors.ConflictException">The kind of an existing asset would change.</exception>
    Task<AssetView> ConfigureAsync(AssetSpec spec);

    /// <summary>The asset, or null when it was never registered.</summary>
    [AlwaysInterleave]
    Task<AssetView?> GetAsync();

    /// <exception cref="Errors.NotFoundException">The asset is not registered.</exception>
    Task ReportTelemetryAsync(Telemetry telemetry);

    /// <summary>Removes the asset: it leaves its fleet (which re-dispatches what it delivered) and its state is cleared.</summary>
    /// <exception cref="Errors.NotFoundException">The asset is not registered.</exception>
    Task RemoveAsync();

    /// <exception cref="Errors.NotFoundException">The asset is not registered.</exception>
    Task<AssetView> ReportStatusAsync(AssetStatus status, string? reason);
}
