using Vpp.Abstractions.Optimisation;

namespace Vpp.Grains.Contracts;

/// <summary>
/// A fleet's optimisation input, read beside the fleet (<see cref="Fleets.FleetQueryGrain"/>, key: fleet id): one
/// snapshot from the fleet, then the partitions fold their members themselves, so the optimiser and the forecasts never
/// have the fleet's activation wait while partitions pool days of slots.
/// </summary>
public interface IFleetOptimisationInputGrain : IGrainWithStringKey
{
    /// <summary>
    /// The fleet's online assets folded into optimisation groups for <paramref name="slots"/> quarter hours from
    /// <paramref name="from"/> (each partition folds its members in parallel), its FCR band per slot and its aFRR capacity sold.
    /// </summary>
    /// <exception cref="Vpp.Abstractions.Errors.NotFoundException">No asset ever joined this fleet.</exception>
    Task<OptimisationInput> GetOptimisationInputAsync(DateTimeOffset from, int slots);
}
