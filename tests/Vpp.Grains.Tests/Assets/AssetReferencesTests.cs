using Vpp.Abstractions.Assets;
using Vpp.Domain.Assets;
using Vpp.Grains.Assets;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Tests.Assets;

/// <summary>The references made from the resolved types are the ones Orleans' own lookup makes, and reach the grain.</summary>
[Collection(VppClusterCollection.Name)]
public sealed class AssetReferencesTests(VppClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task A_member_reference_made_from_the_resolved_types_is_the_asset_grain_and_reaches_it()
    {
        var fleetId = VppClusterFixture.NewId("refs");
        var assetId = VppClusterFixture.NewId("bat");
        await _grains.GetGrain<IAssetGrain>(assetId).ConfigureAsync(TestSpecs.LosslessBattery(fleetId, 100, 1000));

        var made = (GrainReference)_grains.AssetMember(assetId);
        var looked = (GrainReference)_grains.GetGrain<IAssetMember>(assetId);
        Assert.Equal(looked.GrainId, made.GrainId);
        Assert.Equal(looked.InterfaceType, made.InterfaceType);
        Assert.Equal(_grains.GetGrain<IAssetGrain>(assetId).GetGrainId(), _grains.AssetGrainId(assetId));

        var report = await _grains.AssetMember(assetId).GetMemberReportAsync();
        Assert.Equal(AssetStatus.Offline, report!.Value.Status);
        Assert.Equal(100, report.Value.RegisteredMaxKw);
    }
}
