using Microsoft.Extensions.Logging;
using Vpp.Abstractions.GridServices;
using Vpp.Abstractions.Optimisation;
using Vpp.Domain.Assets;
using Vpp.Domain.Forecasts;
using Vpp.Domain.Optimisation;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Optimisation input: the partitions' groups added up, the FCR band the awards commit per slot, the aFRR capacity sold,
/// and the flexible loads' metered consumption on the same weekday of earlier weeks (asked only when the fleet has
/// flexible loads). The fleet answers only its snapshot (<see cref="MarketSnapshot"/>); the partitions are asked from here.
/// </summary>
public sealed partial class FleetQueryGrain : IFleetOptimisationInputGrain
{
    public async Task<OptimisationInput> GetOptimisationInputAsync(DateTimeOffset from, int slots)
    {
        var fleet = await Fleet.GetMarketSnapshotAsync();
        var parts = await PartitionQueries.AskAsync(
            GrainFactory, fleet.PartitionKeys, p => p.GetOptimisationGroupsAsync(from, slots), OptimisationPartitionFailed); // what a partition cannot vouch for is not planned
        GroupTotals[] groups = [.. GroupTotals.Fold(parts.OfType<GroupTotals[]>().SelectMany(p => p))];
        var meteredLoad = groups.Any(g => g.Kind == AssetKind.FlexibleLoad)
            ? await Task.WhenAll(Enumerable.Range(1, FleetForecasts.SimilarDayWeeks).Select(k => MeteredLoadAsync(fleet.PartitionKeys, from - TimeSpan.FromDays(7 * k), slots)))
            : [];
        return new OptimisationInput(
            groups, OptimisationProblem.FcrBandFrom(FcrAwardView.Book(fleet.FcrAwards), from, slots), _options.GridServices.FcrActivationTime,
            meteredLoad, fleet.AfrrCapacityUpKw, fleet.AfrrCapacityDownKw);
    }

    /// <summary>The flexible loads' metered consumption per slot from <paramref name="from"/>, added up over the partitions.</summary>
    private async Task<double?[]> MeteredLoadAsync(string[] partitionKeys, DateTimeOffset from, int slots) =>
        FleetForecasts.AddUp(
            await PartitionQueries.AskAsync(GrainFactory, partitionKeys, p => p.GetMeteredLoadAsync(from, slots), OptimisationPartitionFailed),
            slots);

    private void OptimisationPartitionFailed(string partition, Exception ex) =>
        LogOptimisationPartitionFailed(FleetId, partition, ex.GetBaseException().Message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Optimisation input of fleet {FleetId}: partition {Partition} did not answer (its members are not planned): {Error}")]
    private partial void LogOptimisationPartitionFailed(string fleetId, string partition, string error);
}
