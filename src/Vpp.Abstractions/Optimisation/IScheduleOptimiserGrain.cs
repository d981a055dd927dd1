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
    /// <remarks>
    /// The call waits up to 11 minutes, longer than the largest allowed <c>Vpp:Optimisation:TimeLimit</c> (10 min) plus
    /// reading the fleet's plan: the solver's own limit ends a solve, not the messaging layer's default 30 s.
    /// </remarks>
    [ResponseTimeout("00:11:00")]
    Task<OptimisationProposal> OptimiseAsync(string fleetId, OptimiseRequest request, bool apply = false, CancellationToken cancellationToken = default);
}
