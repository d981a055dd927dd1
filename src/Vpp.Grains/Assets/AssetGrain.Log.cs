using Microsoft.Extensions.Logging;

namespace Vpp.Grains.Assets;

public sealed partial class AssetGrain
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Asset {AssetId} configured as {Kind} in fleet {FleetId}")]
    private partial void LogConfigured(string assetId, string kind, string fleetId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Asset {AssetId} removed")]
    private partial void LogRemoved(string assetId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Asset {AssetId} went from {From} to {To}: {Reason}")]
    private partial void LogStatusChanged(string assetId, string from, string to, string? reason);
}
