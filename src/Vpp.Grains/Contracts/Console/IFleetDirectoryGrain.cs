using Orleans.Concurrency;
namespace Vpp.Grains.Contracts;

/// <summary>
/// Every fleet that ever had an asset (singleton, key <see cref="Key"/>). A fleet registers itself when its first
/// partition reports; the list only grows (a fleet whose assets all left still has its events and target).
/// </summary>
public interface IFleetDirectoryGrain : IGrainWithStringKey
{
    public const string Key = "fleets";

    /// <summary>Idempotent; durable when it returns.</summary>
    Task RegisterAsync(string fleetId);

    /// <summary>Fleet ids in ordinal order.</summary>
    [AlwaysInterleave]
    Task<string[]> GetFleetIdsAsync();
}
