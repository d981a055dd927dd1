using Vpp.Domain.GridServices;

namespace Vpp.Abstractions.GridServices;

/// <summary>
/// The grid-service face of a fleet (the same activation as <see cref="Fleets.IFleetGrain"/>, same key): FCR and aFRR
/// are offsets added to the fleet's base target, and the sum is dispatched through the fleet's usual fan-out.
/// </summary>
public interface IFleetGridServicesGrain : IGrainWithStringKey
{
    /// <summary>
    /// Sets the FCR award for one delivery period (a product block or an explicit period; 0 kW withdraws it). It is
    /// due only within its period, where it adds to any other award; the fleet switches at the period's edges.
    /// </summary>
    /// <exception cref="Errors.NotFoundException">No asset ever joined this fleet.</exception>
    /// <exception cref="Errors.InvalidInputException">
    /// Band negative or not finite, or with the awards it overlaps beyond what the fleet's registered assets can hold
    /// (contractedKw); a period that is missing, misaligned or already over (date, block, from, to).
    /// </exception>
    /// <exception cref="Errors.ConflictException">
    /// A stored schedule slot of the period would not leave the band free both ways (contractedKw).
    /// </exception>
    Task<FcrView> SetFcrContractAsync(FcrAwardInput award);

    /// <summary>Withdraws every FCR award at once (the band returns to 0 kW now).</summary>
    /// <exception cref="Errors.NotFoundException">No asset ever joined this fleet.</exception>
    Task<FcrView> EndFcrContractsAsync();

    /// <summary>Sets the aFRR setpoint (added to the target until the next one) and records the step it closes.</summary>
    /// <exception cref="Errors.NotFoundException">No asset ever joined this fleet.</exception>
    /// <exception cref="Errors.InvalidInputException">Setpoint not finite or beyond the fleet's range; timestamp ahead of the clock.</exception>
    /// <exception cref="Errors.ConflictException">The timestamp is older than the last setpoint accepted.</exception>
    Task<AfrrAccepted> SetAfrrSetpointAsync(AfrrSetpoint setpoint);

    /// <summary>Recorded aFRR steps overlapping [from, to), oldest first (bounded retention).</summary>
    /// <exception cref="Errors.NotFoundException">No asset ever joined this fleet.</exception>
    [AlwaysInterleave]
    Task<AfrrStep[]> GetAfrrStepsAsync(DateTimeOffset from, DateTimeOffset to);
}
