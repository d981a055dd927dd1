using Vpp.Abstractions.Assets;

namespace Vpp.Grains.Contracts;

/// <summary>Bulk registration as the silo's HTTP API calls it: <see cref="IAssetRegistrationGrain"/> and a caller's fleet scope.</summary>
public interface IAssetRegistrationInternal : IAssetRegistrationGrain
{
    /// <summary>
    /// <see cref="IAssetRegistrationGrain.RegisterAsync"/> for a key limited to <paramref name="fleetScope"/>: an asset
    /// already registered in a fleet outside it is refused on its own (field <c>assetId</c>, as if it did not exist)
    /// and left as it is. The check needs no read of the new assets, so they are still stored without activation.
    /// </summary>
    Task<AssetRegistrationResult> RegisterInScopeAsync(string fleetId, AssetRegistration[] batch, string[] fleetScope);
}
