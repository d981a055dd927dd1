using Orleans.Concurrency;
using Vpp.Abstractions.GridServices;

namespace Vpp.Grains.Contracts;

/// <summary>
/// The grid area as the silo sees it: <see cref="IGridAreaGrain"/> (the SDK's view) and the methods only the silo
/// calls — the fleets' contract changes and the HTTP API's reads.
/// </summary>
public interface IGridAreaInternal : IGridAreaGrain
{
    /// <summary>Adds or removes a fleet from the fan-out; answers the last measurement so a new contract starts from it.</summary>
    Task<FrequencyMeasurement?> SetContractedAsync(string fleetId, bool contracted);

    [AlwaysInterleave]
    Task<string[]> GetContractedFleetsAsync();

    /// <summary>The area's alarms (frequency outside its alarm limits), oldest first; kept in memory, the newest 100.</summary>
    [AlwaysInterleave]
    Task<GridAreaEvent[]> GetEventsAsync();
}
