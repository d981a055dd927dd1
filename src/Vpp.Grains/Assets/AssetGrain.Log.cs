using Microsoft.Extensions.Logging;

namespace Vpp.Grains.Assets;

public sealed partial class AssetGrain
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Asset {AssetId} configured as {Kind} in fleet {FleetId}")]
    private partial void LogConfigured(string assetId, string kind, string fleetId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Asset {AssetId} removed")]
    private partial void LogRemoved(string assetId);

    // Debug: a fleet of a million assets coming online, or a feeder trip, would write one line per asset. Operators
    // read the changes in the fleet's events (one per asset, or one summary per burst, as AssetChangeEvents bounds
    // them), each asset's status through its own GET, and one line per re-dispatch at Information.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Asset {AssetId} went from {From} to {To}: {Reason}")]
    private partial void LogStatusChanged(string assetId, string from, string to, string? reason);
}
