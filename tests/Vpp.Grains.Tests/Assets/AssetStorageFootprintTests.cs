using Orleans.Core.Internal;
using Vpp.Abstractions.Assets;
using Vpp.Domain.Assets;
using Vpp.Grains.Assets;

namespace Vpp.Grains.Tests.Assets;

/// <summary>
/// What an asset reads from storage: a registration reads only the asset's own state (its unavailability windows are
/// read when it may have some), and an asset that got a window reads it back in every later activation.
/// </summary>
[Collection(VppClusterCollection.Name)]
public sealed class AssetStorageFootprintTests(VppClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private IReadOnlyList<string> ReadsOf(string assetId) =>
        [.. fixture.StorageCalls.Of(GrainId.Create("asset", assetId)).Where(c => c.Kind == StorageCalls.Kind.Read).Select(c => c.StateName)];

    [Fact]
    public async Task Registering_a_new_asset_reads_only_its_own_state()
    {
        var fleetId = VppClusterFixture.NewId("foot");
        var assetId = VppClusterFixture.NewId("bat");

        await _grains.GetGrain<IAssetGrain>(assetId).ConfigureAsync(TestSpecs.LosslessBattery(fleetId, 100, 1000));

        Assert.Equal(["asset"], ReadsOf(assetId));
        await _grains.GetGrain<IAssetGrain>(assetId).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Eventually.Until(
            async () => (await _grains.GetGrain<IAssetGrain>(assetId).GetAsync(), ReadsOf(assetId)),
            r => r.Item2.Count >= 2,
            "the asset activated again");
        Assert.All(ReadsOf(assetId), name => Assert.Equal("asset", name)); // stored without windows: one state per activation
    }

    [Fact]
    public async Task An_asset_that_got_a_window_reads_it_back_in_its_next_activation()
    {
        var fleetId = VppClusterFixture.NewId("foot");
        var assetId = VppClusterFixture.NewId("bat");
        var asset = _grains.GetGrain<IAssetGrain>(assetId);
        await asset.ConfigureAsync(TestSpecs.LosslessBattery(fleetId, 100, 1000));
        var now = fixture.Clock.GetUtcNow();
        var window = await _grains.GetGrain<IAssetAvailabilityGrain>(assetId)
            .AddUnavailabilityAsync(new UnavailabilityRequest(now.AddHours(2), now.AddHours(3), "planned", "inverter service"));

        await asset.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var view = await Eventually.Until(
            async () => (await asset.GetAsync(), ReadsOf(assetId)),
            r => r.Item2.Count(name => name == "asset") >= 2,
            "the asset activated again");

        Assert.Equal(window, Assert.Single(view.Item1!.Unavailabilities!));
        Assert.Equal(["asset", "assetUnavailability", "asset", "assetUnavailability"], ReadsOf(assetId).Take(4));
    }
}
