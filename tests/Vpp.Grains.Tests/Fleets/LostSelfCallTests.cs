using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Tests.Fleets;

/// <summary>
/// The fleet re-dispatches through a message it sends itself. That message can be lost (the fleet busy past the
/// response timeout, a silo handing grains over): the re-dispatch must still happen, and later outages must still
/// be re-dispatched.
/// </summary>
[Collection(VppClusterCollection.Name)]
public sealed class LostSelfCallTests(VppClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private async Task<string> AddOnlineBatteryAsync(string fleetId, string prefix)
    {
        var assetId = VppClusterFixture.NewId(prefix);
        var asset = _grains.GetGrain<IAssetGrain>(assetId);
        await asset.ConfigureAsync(new AssetSpec
        {
            FleetId = fleetId, Kind = AssetKind.Battery, MinPowerKw = -100, MaxPowerKw = 100, EnergyCapacityKwh = 400,
        });
        await asset.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: 50));
        return assetId;
    }

    private Task<FleetView> FleetWhenAsync(string fleetId, Func<FleetView, bool> condition, string what) =>
        RetryClock.FleetWhileRetryingAsync(fixture, fleetId, condition, what);

    [Fact]
    public async Task A_lost_redispatch_is_sent_again_and_later_outages_are_still_redispatched()
    {
        var fleetId = VppClusterFixture.NewId("fleet");
        var first = await AddOnlineBatteryAsync(fleetId, "bat0");
        var second = await AddOnlineBatteryAsync(fleetId, "bat1");
        await AddOnlineBatteryAsync(fleetId, "bat2");
        await AddOnlineBatteryAsync(fleetId, "bat3");
        await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 4, "four assets online");
        var fleet = _grains.GetGrain<IFleetGrain>(fleetId);
        var dispatched = await fleet.DispatchAsync(new DispatchRequest(200, DispatchStrategy.ProRata));
        Assert.Equal(200, dispatched.AllocatedKw, 3);

        FleetView lost;
        using (CallFaults.Fail(fleetId, nameof(IFleetInternal.ReallocateAsync)))
        {
            await _grains.GetGrain<IAssetGrain>(first).ReportStatusAsync(AssetStatus.Offline, "inverter fault");
            lost = await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 3, "the outage counted");
            Assert.Equal(dispatched.DispatchId, lost.Dispatch.LastDispatchId); // the re-dispatch did not get through
        }

        // Nobody reports the outage again: the fleet itself sends the lost re-dispatch once more.
        var redispatched = await FleetWhenAsync(fleetId, v => v.Dispatch.LastDispatchId != dispatched.DispatchId, "the outage re-dispatched");
        Assert.Equal(200, redispatched.Dispatch.AllocatedKw, 3);

        // And the next outage is re-dispatched as usual.
        await _grains.GetGrain<IAssetGrain>(second).ReportStatusAsync(AssetStatus.Offline, "inverter fault");
        var again = await FleetWhenAsync(
            fleetId, v => v.Counts.OnlineCount == 2 && v.Dispatch.LastDispatchId != redispatched.Dispatch.LastDispatchId, "the second outage re-dispatched");
        Assert.Equal(200, again.Dispatch.AllocatedKw, 3);
    }
}
