using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Optimisation;
using Vpp.Domain.Assets;
using Vpp.Domain.Forecasts;
using Vpp.Domain.Optimisation;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Optimisation input: the partitions' groups added up, the FCR band the awards commit per slot, the aFRR capacity sold, and the flexible loads'
/// metered consumption on the same weekday of earlier weeks (asked only when the fleet has flexible loads).
/// </summary>
public sealed partial class FleetGrain
{
    public async Task<OptimisationInput> GetOptimisationInputAsync(DateTimeOffset from, int slots)
    {
        RequireKnown();
        var parts = await PartitionQueries.AskAsync(
            GrainFactory, S.PartitionKeys, p => p.GetOptimisationGroupsAsync(from, slots),
            (key, ex) => LogPartitionFailed(FleetId, key, ex.GetBaseException().Message)); // what a partition cannot vouch for is not planned
        GroupTotals[] groups = [.. GroupTotals.Fold(parts.OfType<GroupTotals[]>().SelectMany(p => p))];
        var meteredLoad = groups.Any(g => g.Kind == AssetKind.FlexibleLoad)
            ? await Task.WhenAll(Enumerable.Range(1, FleetForecasts.SimilarDayWeeks).Select(k => MeteredLoadAsync(from - TimeSpan.FromDays(7 * k), slots)))
            : [];
        return new OptimisationInput(
            groups, OptimisationProblem.FcrBandFrom(FcrBook, from, slots), GridOptions.FcrActivationTime, meteredLoad, G.AfrrCapacityUpKw, G.AfrrCapacityDownKw);
    }

    /// <summary>The flexible loads' metered consumption per slot from <paramref name="from"/>, added up over the partitions.</summary>
    private async Task<double?[]> MeteredLoadAsync(DateTimeOffset from, int slots) =>
        FleetForecasts.AddUp(
            await PartitionQueries.AskAsync(
                GrainFactory, S.PartitionKeys, p => p.GetMeteredLoadAsync(from, slots),
                (key, ex) => LogPartitionFailed(FleetId, key, ex.GetBaseException().Message)),
            slots);
}
