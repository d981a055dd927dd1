using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Domain.Fleets;

namespace Vpp.Grains.Tests.Fleets;

[Collection(VppClusterCollection.Name)]
public sealed class ReallocationEventTests(VppClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task A_status_change_whose_share_an_unrecorded_drift_re_dispatch_already_moved_still_names_who_picked_it_up()
    {
        var fleetId = VppClusterFixture.NewId("coalesce");
        // The asset going into maintenance sits in a partition of its own, so its report can be held alone.
        var maintained = VppClusterFixture.NewId("maint");
        const int partitions = VppClusterFixture.PartitionsPerFleet;
        string OtherPartitionId(string prefix)
        {
            while (true)
            {
                var id = VppClusterFixture.NewId(prefix);
                if (FleetPartitioning.PartitionIndex(id, partitions) != FleetPartitioning.PartitionIndex(maintained, partitions))
                {
                    return id;
                }
            }
        }

        var drained = OtherPartitionId("drained");
        var helper = OtherPartitionId("helper");
        var reserve = OtherPartitionId("reserve");
        await fixture.AddOnlineBatteryAsync(fleetId, drained, 100, 5);
        await fixture.AddOnlineBatteryAsync(fleetId, maintained, 100, 10);
        await fixture.AddOnlineBatteryAsync(fleetId, helper, 100, 20);
        await fixture.AddOnlineBatteryAsync(fleetId, reserve, 200, 30);
        await fixture.FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 4, "four online");
        var fleet = _grains.GetGrain<IFleetGrain>(fleetId);
        var last = (await fleet.DispatchAsync(new DispatchRequest(150))).DispatchId;

        async Task DrainAsync(string assetId)
        {
            await _grains.GetGrain<IAssetGrain>(assetId).ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: 5));
            last = (await fixture.FleetWhenAsync(fleetId, v => v.Dispatch.LastDispatchId != last, $"re-dispatch after {assetId} ran empty")).Dispatch.LastDispatchId;
        }

        // The first drift is recorded; drift within the next minute is not.
        await DrainAsync(drained);
        Assert.Single(await ReallocationsAsync(fleet));

        // The maintenance reaches the partition (which leaves the asset out of dispatch) but not yet the fleet;
        // meanwhile another battery runs empty and that drift re-dispatch moves the reserve up for both shares.
        using (var hold = HeldStatusReports.HoldFor(maintained))
        {
            await _grains.GetGrain<IAssetGrain>(maintained).ReportStatusAsync(AssetStatus.Maintenance, "planned service");
            await hold.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await DrainAsync(helper);
            Assert.Equal(150, (await _grains.GetGrain<IAssetGrain>(reserve).GetAsync())!.Live.SetpointKw!.Value, 3);
            Assert.Single(await ReallocationsAsync(fleet));
        }

        // The status change arrives: its re-dispatch moves nobody, yet the event names who picked up the share.
        var events = await Eventually.Until(() => ReallocationsAsync(fleet), e => e.Length == 2, "the maintenance's reallocation event");
        var maintenance = events[0];
        Assert.Contains(maintained, maintenance.AssetIds);
        Assert.Equal(100, maintenance.LostKw, 3);
        Assert.Equal(100, maintenance.PickedUpKw, 3);
        Assert.Contains("1 earlier re-dispatch(es)", maintenance.Message);
        var pickedUp = Assert.Single(maintenance.PickedUpBy!);
        Assert.Equal(reserve, pickedUp.AssetId);
        Assert.Equal(150, pickedUp.ChangeKw, 3);
    }

    private async Task<ReallocationEvent[]> ReallocationsAsync(IFleetGrain fleet) =>
        [.. (await fleet.GetEventsAsync(50)).OfType<ReallocationEvent>()];
}
