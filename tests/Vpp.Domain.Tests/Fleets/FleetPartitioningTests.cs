using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vpp.Domain.Assets;
using Vpp.Domain.Fleets;

namespace Vpp.Domain.Tests.Fleets;

public sealed class FleetPartitioningTests
{
    [Theory]
    [InlineData("asset-1", 16, 3)]
    [InlineData("battery-001", 16, 1)]
    [InlineData("a", 16, 6)]
    [InlineData("asset-1", 1000, 347)]
    [InlineData("fleet.x_y-z", 1000, 353)]
    public void Partition_index_is_a_fixed_function_of_the_asset_id_across_processes_and_releases(string assetId, int partitions, int expected)
    {
        // Pinned values (xxHash32 of the UTF-8 id, seed 0): a process-randomised hash such as string.GetHashCode
        // would move assets between partitions on every silo restart.
        Assert.Equal(expected, FleetPartitioning.PartitionIndex(assetId, partitions));
    }

    [Property(Arbitrary = new[] { typeof(PartitioningArbitraries) })]
    public void Partition_index_is_within_range_and_deterministic(AssetIdAndCount input)
    {
        var index = FleetPartitioning.PartitionIndex(input.AssetId, input.PartitionCount);

        Assert.InRange(index, 0, input.PartitionCount - 1);
        Assert.Equal(index, FleetPartitioning.PartitionIndex(input.AssetId, input.PartitionCount));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-4)]
    [InlineData(1)]
    public void Fewer_than_two_partitions_put_every_asset_in_partition_zero(int partitionCount)
    {
        Assert.Equal(0, FleetPartitioning.PartitionIndex("asset-1", partitionCount));
        Assert.Equal(0, FleetPartitioning.PartitionIndex("battery-999", partitionCount));
    }

    [Fact]
    public void Assets_spread_evenly_over_partitions()
    {
        const int partitions = 16;
        const int assets = 16_000;
        var counts = new int[partitions];
        for (var i = 0; i < assets; i++)
        {
            counts[FleetPartitioning.PartitionIndex($"asset-{i}", partitions)]++;
        }

        // Expected 1000 each; a uniform hash stays within ±15 % with overwhelming probability.
        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
    }

    [Theory]
    [InlineData("fleet-north", 0, "fleet-north~p000")]
    [InlineData("fleet-north", 7, "fleet-north~p007")]
    [InlineData("f", 123, "f~p123")]
    [InlineData("f", 1234, "f~p1234")]
    public void Partition_key_is_the_fleet_id_a_tilde_and_the_padded_index(string fleetId, int index, string expected)
    {
        Assert.Equal(expected, FleetPartitioning.PartitionKey(fleetId, index));
    }

    [Fact]
    public void Partition_key_for_an_asset_uses_its_partition_index()
    {
        var index = FleetPartitioning.PartitionIndex("battery-001", 16);

        Assert.Equal(FleetPartitioning.PartitionKey("fleet-north", index), FleetPartitioning.PartitionKeyFor("fleet-north", "battery-001", 16));
    }

    [Property(Arbitrary = new[] { typeof(PartitioningArbitraries) })]
    public void The_fleet_id_is_recovered_from_any_of_its_partition_keys(FleetIdAndIndex input)
    {
        Assert.True(EntityId.IsValid(input.FleetId));

        Assert.Equal(input.FleetId, FleetPartitioning.FleetIdOf(FleetPartitioning.PartitionKey(input.FleetId, input.Index)));
    }

    [Fact]
    public void A_key_without_a_separator_is_taken_as_the_fleet_id_itself()
    {
        Assert.Equal("fleet-north", FleetPartitioning.FleetIdOf("fleet-north"));
    }
}

public sealed record AssetIdAndCount(string AssetId, int PartitionCount);

public sealed record FleetIdAndIndex(string FleetId, int Index);

public static class PartitioningArbitraries
{
    private static readonly Gen<string> Id =
        from length in Gen.Choose(1, 64)
        from chars in Gen.ArrayOf(Gen.Elements("abcXYZ019._-".ToCharArray()), length)
        select "x" + new string(chars)[..Math.Min(length, 63)];

    public static Arbitrary<AssetIdAndCount> AssetIdsAndCounts() => Arb.From(
        from id in Id
        from count in Gen.Frequency((3, Gen.Choose(1, 64)), (1, Gen.Choose(65, 100_000)))
        select new AssetIdAndCount(id, count));

    public static Arbitrary<FleetIdAndIndex> FleetIdsAndIndices() => Arb.From(
        from id in Id
        from index in Gen.Choose(0, 5000)
        select new FleetIdAndIndex(id, index));
}
