using Orleans.Concurrency;
using Vpp.Abstractions.GridServices;

namespace Vpp.Grains.Contracts;

/// <summary>
/// The fleet's grid-service face as the silo sees it: <see cref="IFleetGridServicesGrain"/> (the SDK's view) and the
/// methods only the silo calls — the grid area's frequency fan-out, the fleet's own service-target self-call and the
/// HTTP API's aFRR capacity.
/// </summary>
public interface IFleetGridServicesInternal : IFleetGridServicesGrain
{
    /// <summary>
    /// Applies a measurement (sent by the grid area). Interleaves so measurements that arrive while a dispatch runs
    /// only replace the pending one: the newest is applied after the running dispatch, never a backlog.
    /// </summary>
    [AlwaysInterleave]
    Task<FleetFrequencyResult> ApplyFrequencyAsync(FrequencyMeasurement measurement);

    /// <summary>Sets the aFRR capacity sold per direction (0 for none); flexibility and bids offer only what is left.</summary>
    /// <exception cref="Vpp.Abstractions.Errors.NotFoundException">No asset ever joined this fleet.</exception>
    /// <exception cref="Vpp.Abstractions.Errors.InvalidInputException">Negative, not finite, or beyond what the fleet can move from its target.</exception>
    Task<AfrrCapacity> SetAfrrCapacityAsync(AfrrCapacity capacity);

    /// <summary>Sends the composed target (base + FCR + aFRR + SoC management) to the assets; the fleet sends this to itself.</summary>
    Task ApplyServiceTargetAsync();
}
