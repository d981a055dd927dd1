using Orleans.Runtime;
using Vpp.Abstractions.Assets;
using Vpp.Domain.Assets;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Tests.Fleets;

/// <summary>
/// A status change is stored before the fleet hears of it, and that write can wait long in a loaded storage queue
/// (a fleet-wide outage queues one per asset). A dispatch must still be acknowledged meanwhile.
/// </summary>
[Collection(VppClusterCollection.Name)]
public sealed class HeldStatusWriteTests(VppClusterFixture fixture)
{
    // A bound, not an expectation: a setpoint queued behind the held write would wait forever, an answered one returns
    // however loaded the machine is.
    private static readonly TimeSpan AckBound = Eventually.DefaultBound;

    private static AssetSpec Battery(string fleetId) => new()
    {
        FleetId = fleetId, Kind = AssetKind.Battery, MinPowerKw = -100, MaxPowerKw = 100, EnergyCapacityKwh = 400,
    };

    [Fact]
    public async Task A_setpoint_to_an_asset_whose_offline_status_is_being_stored_is_answered()
    {
        var assetId = VppClusterFixture.NewId("held-offline");
        var asset = fixture.Grains.GetGrain<IAssetMember>(assetId);
        await fixture.AddOnlineBatteryAsync(VppClusterFixture.NewId("fleet"), assetId, maxKw: 100, costEurPerMwh: 10);

        Task<AssetView> report;
        using (var hold = HeldStateWrites.HoldFor(asset.GetGrainId()))
        {
            report = asset.ReportStatusAsync(AssetStatus.Offline, "gateway down");
            await hold.Reached.Task.WaitAsync(AckBound);

            var ack = await asset.ApplySetpointAsync(50).AsTask().WaitAsync(AckBound);

            Assert.False(ack.Accepted); // offline in memory already: the asset refuses rather than the fleet waiting
            Assert.False(report.IsCompleted); // the status is not stored yet, so nobody was told of it
        }

        var stored = await report.WaitAsync(AckBound);
        Assert.Equal(AssetStatus.Offline, stored.Live.Status);
    }

    [Fact]
    public async Task A_setpoint_to_an_asset_whose_online_status_is_being_stored_is_accepted()
    {
        var assetId = VppClusterFixture.NewId("held-online");
        var asset = fixture.Grains.GetGrain<IAssetMember>(assetId);
        await asset.ConfigureAsync(Battery(VppClusterFixture.NewId("fleet")));

        Task telemetry;
        using (var hold = HeldStateWrites.HoldFor(asset.GetGrainId()))
        {
            telemetry = asset.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: 50));
            await hold.Reached.Task.WaitAsync(AckBound);

            var ack = await asset.ApplySetpointAsync(40).AsTask().WaitAsync(AckBound);

            Assert.True(ack.Accepted);
            Assert.Equal(40, ack.AcceptedKw, 3);
        }

        await telemetry.WaitAsync(AckBound);
        var view = await asset.GetAsync();
        Assert.Equal(AssetStatus.Online, view!.Live.Status);
        Assert.Equal(40, view.Live.SetpointKw!.Value, 3);
    }
}
