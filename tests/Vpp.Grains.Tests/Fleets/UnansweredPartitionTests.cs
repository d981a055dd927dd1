using Orleans.Core.Internal;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Domain.Fleets;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Tests.Fleets;

/// <summary>
/// A rolling update makes grains answer "silo unavailable" for a moment. The fleet must not lose a partition's
/// capacity (or count it while its assets hold stale setpoints) because one call failed at the wrong time: it
/// asks the partition again until it answers and then spreads the standing target again.
/// </summary>
[Collection(VppClusterCollection.Name)]
public sealed class UnansweredPartitionTests(VppClusterFixture fixture)
{
    private const int Assets = 4;
    private const int PartitionsPerFleet = 4; // as configured in VppClusterFixture
    private readonly IGrainFactory _grains = fixture.Grains;

    /// <summary>Four online 100 kW batteries, of which the first shares its partition with at most one other.</summary>
    private async Task<(string FleetId, string[] AssetIds, string Partition, string[] InPartition)> FleetAsync()
    {
        var fleetId = VppClusterFixture.NewId("fleet");
        string[] ids;
        string partition;
        do
        {
            ids = Enumerable.Range(0, Assets).Select(i => VppClusterFixture.NewId($"bat{i}")).ToArray();
            partition = FleetPartitioning.PartitionKeyFor(fleetId, ids[0], PartitionsPerFleet);
        }
        while (ids.Count(id => FleetPartitioning.PartitionKeyFor(fleetId, id, PartitionsPerFleet) == partition) > 2);

        foreach (var id in ids)
        {
            var asset = _grains.GetGrain<IAssetGrain>(id);
            await asset.ConfigureAsync(new AssetSpec
            {
                FleetId = fleetId, Kind = AssetKind.Battery, MinPowerKw = -100, MaxPowerKw = 100, EnergyCapacityKwh = 400,
            });
            await asset.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: 50));
        }

        await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == Assets, "every asset online");
        var inPartition = ids.Where(id => FleetPartitioning.PartitionKeyFor(fleetId, id, PartitionsPerFleet) == partition).ToArray();
        return (fleetId, ids, partition, inPartition);
    }

    private Task<FleetView> FleetWhenAsync(string fleetId, Func<FleetView, bool> condition, string what) =>
        Eventually.Until(
            async () => await _grains.GetGrain<IFleetGrain>(fleetId).GetAsync() ?? throw new Xunit.Sdk.XunitException("fleet unknown"),
            condition,
            what,
            TimeSpan.FromSeconds(30),
            v => v.ToString());

    /// <summary>
    /// Grain timers (the retry among them) run on the grain clock: move it on by the retry interval a few times while
    /// waiting — 2 s in all, well inside the 15 s after which silent assets count as offline.
    /// </summary>
    private Func<Task<T>> WhileRetrying<T>(Func<Task<T>> read)
    {
        var advances = 0;
        return async () =>
        {
            if (advances++ < 10)
            {
                fixture.Clock.Advance(VppClusterFixture.UnansweredRetryInterval);
            }

            return await read();
        };
    }

    private async Task<double> SetpointSumKwAsync(IEnumerable<string> assetIds)
    {
        var sum = 0d;
        foreach (var id in assetIds)
        {
            sum += (await _grains.GetGrain<IAssetGrain>(id).GetAsync())!.Live.SetpointKw ?? 0;
        }

        return Math.Round(sum, 3);
    }

    [Fact]
    public async Task A_partition_that_could_not_be_read_when_the_fleet_reactivated_is_read_again_and_dispatched()
    {
        var (fleetId, assets, partition, inPartition) = await FleetAsync();
        var fleet = _grains.GetGrain<IFleetGrain>(fleetId);
        await fleet.DispatchAsync(new DispatchRequest(200, DispatchStrategy.ProRata));

        using (CallFaults.Fail(partition, nameof(IFleetPartitionGrain.GetSummaryAsync)))
        {
            // The fleet moves (a silo leaves); its new activation cannot read one partition.
            await fleet.Cast<IGrainManagementExtension>().DeactivateOnIdle();
            var missing = await FleetWhenAsync(fleetId, v => v.Counts.AssetCount == Assets - inPartition.Length, "the reactivated fleet without the unreadable partition");
            Assert.Equal(100 * (Assets - inPartition.Length), missing.Capacity.MaxKw, 3);
        }

        // Nothing changes in that partition, so it has nothing to report by itself: the fleet must ask again.
        var view = await Eventually.Until(WhileRetrying(() => fleet.GetAsync()), v => v!.Counts.AssetCount == Assets && v.Counts.OnlineCount == Assets,
            "every asset counted again", TimeSpan.FromSeconds(30), v => v!.ToString());
        Assert.Equal(400, view!.Capacity.MaxKw, 3);
        await FleetWhenAsync(fleetId, v => Math.Abs(v.Dispatch.AllocatedKw - 200) < 1e-3, "the standing target allocated");
        await Eventually.Until(() => SetpointSumKwAsync(assets), sum => Math.Abs(sum - 200) < 1e-3, "the asset setpoints add up to the standing target");
        var dispatch = await fleet.DispatchAsync(new DispatchRequest(400, DispatchStrategy.ProRata));
        Assert.Equal(400, dispatch.AllocatedKw, 3);
    }

    [Fact]
    public async Task A_partition_that_failed_a_dispatch_round_gets_the_target_again_once_it_answers()
    {
        var (fleetId, assets, partition, inPartition) = await FleetAsync();
        var fleet = _grains.GetGrain<IFleetGrain>(fleetId);
        Assert.Equal(400, (await fleet.DispatchAsync(new DispatchRequest(400, DispatchStrategy.ProRata))).AllocatedKw, 3);

        using (CallFaults.Fail(partition, nameof(IFleetPartitionGrain.DispatchRoundAsync)))
        {
            // The others take the unreachable partition's share; its assets still hold 100 kW each meanwhile.
            var result = await fleet.DispatchAsync(new DispatchRequest(200, DispatchStrategy.ProRata));
            Assert.Equal(200, result.AllocatedKw, 3);
            Assert.Equal(100 * inPartition.Length, await SetpointSumKwAsync(inPartition), 3);
            Assert.Equal(200, await SetpointSumKwAsync(assets.Except(inPartition)), 3);
        }

        // Once it answers, the target is spread again over everyone: the setpoints add up to 200 kW, not 200 + 100 × n.
        await Eventually.Until(WhileRetrying(() => SetpointSumKwAsync(assets)), sum => Math.Abs(sum - 200) < 1e-3,
            "the asset setpoints add up to the standing target", TimeSpan.FromSeconds(30));
        // The fleet records the re-dispatch once the round is answered, which can be after the assets took their setpoints.
        await Eventually.Until(
            WhileRetrying(() => fleet.GetEventsAsync(50)),
            events => events.Any(e => e.Kind == FleetEventKinds.Reallocation && e.Message.Contains("not answered", StringComparison.Ordinal)),
            "the re-dispatch of the partition that had not answered recorded", TimeSpan.FromSeconds(30));
        var view = await fleet.GetAsync();
        Assert.Equal(200, view!.Dispatch.AllocatedKw, 3);
    }

    [Fact]
    public async Task A_member_that_could_not_report_when_its_partition_reactivated_is_asked_again()
    {
        var (fleetId, _, partition, inPartition) = await FleetAsync();
        var partitionGrain = _grains.GetGrain<IFleetPartitionGrain>(partition);

        using (CallFaults.Fail(inPartition[0], nameof(IAssetMember.GetMemberReportAsync)))
        {
            await partitionGrain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
            await Eventually.Until(() => partitionGrain.GetSummaryAsync(), s => s.OnlineCount == inPartition.Length - 1,
                "the reactivated partition counting its unreadable member offline", TimeSpan.FromSeconds(30), s => s.ToString());
            await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == Assets - 1, "the fleet without the unreadable member");
        }

        // The member is steady and online: it has nothing to report by itself, so the partition must ask again.
        await Eventually.Until(WhileRetrying(() => _grains.GetGrain<IFleetGrain>(fleetId).GetAsync()), v => v!.Counts.OnlineCount == Assets,
            "the member counted online again", TimeSpan.FromSeconds(30), v => v!.ToString());
    }
}
