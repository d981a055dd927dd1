namespace Vpp.Abstractions.GridServices;

/// <summary>
/// A synchronous area (key e.g. <see cref="GridAreas.ContinentalEurope"/>): the durable list of fleets holding an FCR
/// contract there, and the fan-out of each frequency measurement to all of them in parallel.
/// </summary>
public interface IGridAreaGrain : IGrainWithStringKey
{
    /// <summary>
    /// Feeds a measurement to every contracted fleet and answers once each has sent setpoints that include it (or a
    /// newer one). Interleaves: a measurement never waits behind the fan-out of the one before.
    /// </summary>
    /// <exception cref="Errors.InvalidInputException">Frequency outside 47.5–52.5 Hz or not finite; timestamp too far ahead or already stale.</exception>
    /// <exception cref="Errors.ConflictException">The timestamp is older than the last measurement accepted.</exception>
    [AlwaysInterleave]
    Task<FrequencyApplied> ReportFrequencyAsync(FrequencyMeasurement measurement);

    /// <summary>Adds or removes a fleet from the fan-out; answers the last measurement so a new contract starts from it.</summary>
    Task<FrequencyMeasurement?> SetContractedAsync(string fleetId, bool contracted);

    [AlwaysInterleave]
    Task<string[]> GetContractedFleetsAsync();

    /// <summary>The area's alarms (frequency outside its alarm limits), oldest first; kept in memory, the newest 100.</summary>
    [AlwaysInterleave]
    Task<GridAreaEvent[]> GetEventsAsync();
}
