using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Optimisation;
using Vpp.Domain.Optimisation;

namespace Vpp.Grains.Fleets;

/// <summary>Optimisation input: the partitions' groups added up, and the FCR band the awards commit per slot.</summary>
public sealed partial class FleetGrain
{
    public async Task<OptimisationInput> GetOptimisationInputAsync(DateTimeOffset from, int slots)
    {
        RequireKnown();
        var parts = await PartitionQueries.AskAsync(
            GrainFactory, S.PartitionKeys, p => p.GetOptimisationGroupsAsync(from, slots),
            (key, ex) => LogPartitionFailed(FleetId, key, ex.GetBaseException().Message)); // what a partition cannot vouch for is not planned
        return new OptimisationInput(
            [.. GroupTotals.Fold(parts.OfType<GroupTotals[]>().SelectMany(p => p))],
            OptimisationProblem.FcrBandFrom(FcrBook, from, slots),
            GridOptions.FcrActivationTime);
    }
}
