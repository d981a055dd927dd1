namespace Vpp.Abstractions.Optimisation;

/// <summary>
/// Proposes a fleet's 15-minute schedule from prices. A stateless worker: each call reads the fleet's groups and runs
/// the solver on its own activation, outside the fleet grain's turn, within <c>Vpp:Optimisation:TimeLimit</c>.
/// Key 0 (any key works; workers are interchangeable).
/// </summary>
public interface IScheduleOptimiserGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// The proposal. With <paramref name="apply"/> it is also stored as the fleet's schedule through
    /// <see cref="Schedules.IFleetScheduleGrain.SubmitAsync"/> (replacing the slots it covers), with that path's checks.
    /// </summary>
    /// <exception cref="Errors.InvalidInputException">Horizon, prices, objective or end SoC invalid (the problem names the field).</exception>
    /// <exception cref="Errors.NotFoundException">No asset ever joined the fleet.</exception>
    /// <exception cref="Errors.InfeasibleScheduleException">No schedule meets the constraints (names the family and slot).</exception>
    /// <exception cref="Errors.OptimisationTimedOutException">No schedule was found within the time limit.</exception>
    Task<OptimisationProposal> OptimiseAsync(string fleetId, OptimiseRequest request, bool apply = false, CancellationToken cancellationToken = default);
}
