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
        var f = await FourBatteriesAsync("coalesce");

        // The first drift is recorded; drift within the next minute is not.
        await f.DrainAsync(f.Drained);
        Assert.Single(await ReallocationsAsync(f.Fleet));
        fixture.Clock.Advance(TimeSpan.FromSeconds(1)); // the maintenance comes after that re-dispatch

        // The maintenance reaches the partition (which leaves the asset out of dispatch) but not yet the fleet;
        // meanwhile another battery runs empty and that drift re-dispatch moves the reserve up for both shares.
        using (var hold = HeldStatusReports.HoldFor(f.Maintained))
        {
            await _grains.GetGrain<IAssetGrain>(f.Maintained).ReportStatusAsync(AssetStatus.Maintenance, "planned service");
            await hold.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await f.DrainAsync(f.Helper);
            Assert.Equal(150, (await _grains.GetGrain<IAssetGrain>(f.Reserve).GetAsync())!.Live.SetpointKw!.Value, 3);
            Assert.Single(await ReallocationsAsync(f.Fleet));
        }

        // The status change arrives: its re-dispatch moves nobody, yet the event names who picked up the share.
        var events = await Eventually.Until(() => ReallocationsAsync(f.Fleet), e => e.Length == 2, "the maintenance's reallocation event");
        var maintenance = events[0];
        Assert.Contains(f.Maintained, maintenance.AssetIds);
        Assert.Equal(100, maintenance.LostKw, 3);
        Assert.Equal(100, maintenance.PickedUpKw, 3);
        Assert.Contains("1 earlier re-dispatch(es)", maintenance.Message);
        var pickedUp = Assert.Single(maintenance.PickedUpBy!);
        Assert.Equal(f.Reserve, pickedUp.AssetId);
        Assert.Equal(150, pickedUp.ChangeKw, 3);
    }

    [Fact]
    public async Task A_status_change_whose_share_a_recorded_drift_re_dispatch_already_moved_still_names_who_picked_it_up()
    {
        var f = await FourBatteriesAsync("recorded");

        // The maintenance reaches the partition but not yet the fleet; meanwhile the cheapest battery runs empty, and
        // that drift re-dispatch (the fleet's first, so recorded as a drift event) moves the others up for both shares.
        using (var hold = HeldStatusReports.HoldFor(f.Maintained))
        {
            await _grains.GetGrain<IAssetGrain>(f.Maintained).ReportStatusAsync(AssetStatus.Maintenance, "planned service");
            await hold.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await f.DrainAsync(f.Drained);
            var drift = Assert.Single(await ReallocationsAsync(f.Fleet));
            Assert.Empty(drift.AssetIds!);
            Assert.Equal([f.Helper, f.Reserve], drift.PickedUpBy!.Select(p => p.AssetId));
        }

        // The status change arrives: its re-dispatch moves nobody; the event names the moves made since the change.
        var events = await Eventually.Until(() => ReallocationsAsync(f.Fleet), e => e.Length == 2, "the maintenance's reallocation event");
        var maintenance = events[0];
        Assert.Contains(f.Maintained, maintenance.AssetIds);
        Assert.Equal(50, maintenance.LostKw, 3);
        Assert.Equal(50, maintenance.PickedUpKw, 3);
        Assert.Equal([(f.Helper, 100.0), (f.Reserve, 50.0)], maintenance.PickedUpBy!.Select(p => (p.AssetId, Math.Round(p.ChangeKw, 3))));
    }

    /// <summary>
    /// Four online batteries dispatched to 150 kW in merit order (cheapest first: drained 100 kW, maintained 50 kW);
    /// the one going into maintenance sits in a partition of its own, so its report can be held alone.
    /// </summary>
    private async Task<FourBatteries> FourBatteriesAsync(string prefix)
    {
        var fleetId = VppClusterFixture.NewId(prefix);
        var maintained = VppClusterFixture.NewId("maint");
        const int partitions = VppClusterFixture.PartitionsPerFleet;
        string OtherPartitionId(string idPrefix)
        {
            while (true)
            {
                var id = VppClusterFixture.NewId(idPrefix);
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
        var dispatchId = (await fleet.DispatchAsync(new DispatchRequest(150))).DispatchId;
        return new FourBatteries(fixture, fleetId, fleet, dispatchId, drained, maintained, helper, reserve);
    }

    private sealed class FourBatteries(
        VppClusterFixture fixture, string fleetId, IFleetGrain fleet, string lastDispatchId,
        string drained, string maintained, string helper, string reserve)
    {
        public IFleetGrain Fleet => fleet;
        public string Drained => drained;
        public string Maintained => maintained;
        public string Helper => helper;
        public string Reserve => reserve;

        /// <summary>The battery reports an empty store; returns once the fleet has re-dispatched for it.</summary>
        public async Task DrainAsync(string assetId)
        {
            await fixture.Grains.GetGrain<IAssetGrain>(assetId).ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: 5));
            lastDispatchId = (await fixture.FleetWhenAsync(fleetId, v => v.Dispatch.LastDispatchId != lastDispatchId, $"re-dispatch after {assetId} ran empty")).Dispatch.LastDispatchId!;
        }
    }

    private async Task<ReallocationEvent[]> ReallocationsAsync(IFleetGrain fleet) =>
        [.. (await fleet.GetEventsAsync(50)).OfType<ReallocationEvent>()];
}
