using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Domain.Fleets;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Tests.Fleets;

/// <summary>
/// An asset moved to another fleet joins the new partition and then leaves the old one. When the leave fails, the
/// old fleet must not keep dispatching it, and the leave must be finished later without anyone asking.
/// </summary>
[Collection(VppClusterCollection.Name)]
public sealed class MovedAssetTests(VppClusterFixture fixture)
{
    private const int PartitionsPerFleet = 4; // as configured in VppClusterFixture
    private readonly IGrainFactory _grains = fixture.Grains;

    private static AssetSpec Battery(string fleetId) => new()
    {
        FleetId = fleetId, Kind = AssetKind.Battery, MinPowerKw = -100, MaxPowerKw = 100, EnergyCapacityKwh = 400,
    };

    private async Task<string> AddOnlineBatteryAsync(string fleetId, string prefix)
    {
        var assetId = VppClusterFixture.NewId(prefix);
        var asset = _grains.GetGrain<IAssetGrain>(assetId);
        await asset.ConfigureAsync(Battery(fleetId));
        await asset.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: 50));
        return assetId;
    }

    private Task<FleetView> FleetWhenAsync(string fleetId, Func<FleetView, bool> condition, string what, bool advanceClock = false) =>
        RetryClock.FleetWhileRetryingAsync(fixture, fleetId, condition, what, advanceClock);

    [Fact]
    public async Task An_asset_whose_leave_failed_refuses_the_old_fleet_and_leaves_it_later()
    {
        var oldFleet = VppClusterFixture.NewId("fleet");
        var newFleet = VppClusterFixture.NewId("fleet");
        var moving = await AddOnlineBatteryAsync(oldFleet, "moving");
        await AddOnlineBatteryAsync(oldFleet, "staying");
        await AddOnlineBatteryAsync(newFleet, "other");
        await FleetWhenAsync(oldFleet, v => v.Counts.OnlineCount == 2, "two assets online in the old fleet");
        var oldPartition = FleetPartitioning.PartitionKeyFor(oldFleet, moving, PartitionsPerFleet);
        var asset = _grains.GetGrain<IAssetGrain>(moving);

        using (CallFaults.Fail(oldPartition, nameof(IFleetPartitionGrain.LeaveAsync)))
        {
            var moved = await asset.ConfigureAsync(Battery(newFleet));
            Assert.Equal(newFleet, moved.Spec.FleetId);
            await FleetWhenAsync(newFleet, v => v.Counts.OnlineCount == 2, "the moved asset online in the new fleet");
            var newDispatch = await _grains.GetGrain<IFleetGrain>(newFleet).DispatchAsync(new DispatchRequest(-100, DispatchStrategy.ProRata));
            Assert.Equal(-100, newDispatch.AllocatedKw, 3);

            // The old partition still lists the asset, but the asset is no longer its to dispatch.
            Assert.Equal(2, (await _grains.GetGrain<IFleetGrain>(oldFleet).GetAsync())!.Counts.AssetCount);
            var oldDispatch = await _grains.GetGrain<IFleetGrain>(oldFleet).DispatchAsync(new DispatchRequest(200, DispatchStrategy.ProRata, IncludeSetpoints: true));
            Assert.Equal(100, oldDispatch.AllocatedKw, 3);
            Assert.DoesNotContain(oldDispatch.Setpoints, s => s.AssetId == moving && s.SetpointKw != 0);
            Assert.Equal(-50, (await asset.GetAsync())!.Live.SetpointKw!.Value, 3);
        }

        // Nobody configures the asset again: it finishes leaving by itself.
        await FleetWhenAsync(oldFleet, v => v.Counts.AssetCount == 1, "the moved asset gone from the old fleet", advanceClock: true);
    }
}
