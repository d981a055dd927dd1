using Vpp.Domain.Assets;
using Vpp.Domain.Simulation;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Tests.Simulation;

public sealed class DemoFleetFactoryTests
{
    [Fact]
    public void A_thousand_assets_follow_the_mix()
    {
        var fleet = DemoFleetFactory.Create("demo", 1000, 42);

        var counts = fleet.GroupBy(a => a.Spec.Kind).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(1000, fleet.Count);
        Assert.Equal(400, counts[AssetKind.Battery]);
        Assert.Equal(250, counts[AssetKind.Solar]);
        Assert.Equal(100, counts[AssetKind.Wind]);
        Assert.Equal(150, counts[AssetKind.FlexibleLoad]);
        Assert.Equal(100, counts[AssetKind.Chp]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(333)]
    public void Counts_add_up_for_any_size(int count)
    {
        Assert.Equal(count, DemoFleetFactory.Create("demo", count, 1).Count);
    }

    [Fact]
    public void Ids_are_unique_valid_and_name_the_fleet_and_kind()
    {
        var fleet = DemoFleetFactory.Create("demo", 1000, 42);

        Assert.Equal("demo-battery-0001", fleet[0].AssetId);
        Assert.Contains(fleet, a => a.AssetId == "demo-flexload-0150");
        Assert.Equal(fleet.Count, fleet.Select(a => a.AssetId).Distinct().Count());
        Assert.All(fleet, a => Assert.True(EntityId.IsValid(a.AssetId), a.AssetId));
        Assert.All(fleet, a => Assert.Equal("demo", a.Spec.FleetId));
    }

    [Fact]
    public void Specs_are_valid_small_and_varied()
    {
        var fleet = DemoFleetFactory.Create("demo", 1000, 42);

        Assert.All(fleet, a => Assert.Empty(a.Spec.Validate()));
        Assert.All(fleet, a => Assert.InRange(Math.Max(Math.Abs(a.Spec.MinPowerKw), Math.Abs(a.Spec.MaxPowerKw)), 5, 500));
        foreach (var kind in fleet.Select(a => a.Spec.Kind).Distinct())
        {
            var costs = fleet.Where(a => a.Spec.Kind == kind).Select(a => a.Spec.MarginalCostEurPerMwh).Distinct().Count();
            Assert.True(costs > 5, $"{kind} costs hardly vary");
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_fleet_and_another_seed_a_different_one()
    {
        Assert.Equal(DemoFleetFactory.Create("demo", 200, 42), DemoFleetFactory.Create("demo", 200, 42));
        Assert.NotEqual(DemoFleetFactory.Create("demo", 200, 42), DemoFleetFactory.Create("demo", 200, 43));
    }

    [Fact]
    public void An_invalid_or_too_long_fleet_id_is_refused()
    {
        Assert.Throws<DomainValidationException>(() => DemoFleetFactory.Create("no spaces", 10, 1));
        Assert.Throws<DomainValidationException>(() => DemoFleetFactory.Create(new string('f', 60), 10, 1));
    }
}
