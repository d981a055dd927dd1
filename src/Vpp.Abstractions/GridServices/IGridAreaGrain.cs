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
}
