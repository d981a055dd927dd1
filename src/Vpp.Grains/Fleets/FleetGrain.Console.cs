using Microsoft.Extensions.Logging;

namespace Vpp.Grains.Fleets;

/// <summary>What the operator console needs from a fleet: its place in the fleet directory and its partitions.</summary>
public sealed partial class FleetGrain : IFleetPartitionListGrain
{
    public Task<string[]> GetPartitionKeysAsync() => Task.FromResult(S.PartitionKeys.Order(StringComparer.Ordinal).ToArray());

    /// <summary>
    /// Idempotent, so it runs on every activation of a known fleet (fleets stored before the directory existed get
    /// listed too) and whenever the fleet stores a new partition. A directory that cannot be reached only delays the
    /// listing until the next activation; it must never stop the fleet from working.
    /// </summary>
    private async Task RegisterInDirectoryAsync()
    {
        try
        {
            await GrainFactory.GetGrain<IFleetDirectoryGrain>(IFleetDirectoryGrain.Key).RegisterAsync(FleetId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogDirectoryRegistrationFailed(FleetId, ex.GetBaseException().Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet {FleetId} could not register in the fleet directory: {Error}")]
    private partial void LogDirectoryRegistrationFailed(string fleetId, string error);
}
