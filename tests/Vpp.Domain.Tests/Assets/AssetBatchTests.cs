using Vpp.Domain.Assets;

namespace Vpp.Domain.Tests.Assets;

public sealed class AssetBatchTests
{
    private static (string, AssetSpec) Battery(string assetId, string fleetId = "fleet-a", double maxKw = 100) =>
        (assetId, new AssetSpec { FleetId = fleetId, Kind = AssetKind.Battery, MinPowerKw = -maxKw, MaxPowerKw = maxKw, EnergyCapacityKwh = 200 });

    [Fact]
    public void A_valid_batch_has_no_errors()
    {
        Assert.Empty(AssetBatch.Validate("fleet-a", [Battery("b-1"), Battery("b-2")]));
    }

    [Fact]
    public void Every_bad_item_is_named_by_its_position()
    {
        var errors = AssetBatch.Validate("fleet-a", [Battery("b-1"), Battery("b-2", maxKw: double.NaN), Battery("b-3", "fleet-b"), Battery("b-1"), Battery("1")]);

        Assert.Equal(["[1].minPowerKw", "[1].maxPowerKw", "[2].fleetId", "[3].assetId", "[4].assetId"], errors.Select(e => e.Field).Distinct());
        Assert.Contains("item 0", errors.Single(e => e.Field == "[3].assetId").Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(AssetBatch.MaxSize + 1)]
    public void A_batch_holds_1_to_MaxSize_items(int count)
    {
        var items = Enumerable.Range(0, count).Select(i => Battery($"b-{i}")).ToList();

        Assert.Equal("body", Assert.Single(AssetBatch.Validate("fleet-a", items)).Field);
        Assert.Empty(AssetBatch.ValidateItems("fleet-a", items));
    }
}
