using Vpp.Abstractions.Assets;
using Vpp.Domain.Assets;

namespace Vpp.Grains.Tests.Assets;

/// <summary>
/// The silence watchdog (one <see cref="Grains.Assets.SilenceWatch"/> per silo): an asset heard from within every
/// OfflineAfter stays online however long it runs, one silent for OfflineAfter goes offline, and one that comes back
/// online is watched again.
/// </summary>
[Collection(VppClusterCollection.Name)]
public sealed class SilenceWatchTests(VppClusterFixture fixture)
{
    private static readonly TimeSpan JustUnder = VppClusterFixture.OfflineAfter - TimeSpan.FromSeconds(1);

    private async Task<AssetLiveState> LiveAsync(string assetId) =>
        (await fixture.Grains.GetGrain<IAssetGrain>(assetId).GetAsync())!.Live;

    private Task<AssetView?> OfflineAsync(string assetId, string what) => Eventually.Until(
        () => fixture.Grains.GetGrain<IAssetGrain>(assetId).GetAsync(),
        v => v!.Live.Status == AssetStatus.Offline,
        what);

    [Fact]
    public async Task An_asset_heard_from_within_every_OfflineAfter_stays_online_over_many_periods_and_goes_offline_once_silent()
    {
        var fleetId = VppClusterFixture.NewId("watched");
        var assetId = VppClusterFixture.NewId("steady");
        await fixture.AddOnlineBatteryAsync(fleetId, assetId, 100, 10);

        // Four times its first deadline: each measurement moves the watch later.
        for (var period = 0; period < 4; period++)
        {
            fixture.Clock.Advance(JustUnder);
            await fixture.MeasureAsync(assetId, 0);
            Assert.Equal(AssetStatus.Online, (await LiveAsync(assetId)).Status);
        }

        var lastSeen = (await LiveAsync(assetId)).LastSeen;
        fixture.Clock.Advance(JustUnder);
        Assert.Equal(AssetStatus.Online, (await LiveAsync(assetId)).Status);

        fixture.Clock.Advance(TimeSpan.FromSeconds(2));
        var view = await OfflineAsync(assetId, "the asset to go offline once silent for OfflineAfter");
        Assert.Contains("no telemetry", view!.Live.StatusReason);
        Assert.Equal(lastSeen, view.Live.LastSeen);
    }

    [Fact]
    public async Task An_asset_back_online_after_an_offline_report_is_watched_again()
    {
        var fleetId = VppClusterFixture.NewId("watched");
        var assetId = VppClusterFixture.NewId("returning");
        await fixture.AddOnlineBatteryAsync(fleetId, assetId, 100, 10);
        var asset = fixture.Grains.GetGrain<IAssetGrain>(assetId);

        // Reported offline: no watch, so silence changes nothing (it stays offline for the reported reason).
        await asset.ReportStatusAsync(AssetStatus.Offline, "inverter fault");
        fixture.Clock.Advance(VppClusterFixture.OfflineAfter + TimeSpan.FromSeconds(1));
        Assert.Equal("inverter fault", (await LiveAsync(assetId)).StatusReason);

        // Back online: watched again from the report.
        await asset.ReportStatusAsync(AssetStatus.Online, "repaired");
        fixture.Clock.Advance(JustUnder);
        Assert.Equal(AssetStatus.Online, (await LiveAsync(assetId)).Status);
        fixture.Clock.Advance(TimeSpan.FromSeconds(2));
        var view = await OfflineAsync(assetId, "the asset to go offline again once silent");
        Assert.Contains("no telemetry", view!.Live.StatusReason);
    }
}
