using Vpp.Domain.Assets;
using Vpp.Simulator.Scenarios;

namespace Vpp.Simulator.Tests.Scenarios;

public sealed class ScenarioFileTests
{
    private const string Mixed = """
        // a hand-edited scenario: comments and trailing commas are fine
        {
          "fleetId": "sim",
          "assets": [
            { "kind": "battery", "count": 200, "maxPowerKw": 10, "energyCapacityKwh": 20, "sizeSpreadPercent": 20 },
            { "kind": "solar", "count": 50, "maxPowerKw": 100 },
            { "kind": "wind", "count": 5, "maxPowerKw": 2000, "rampRateKwPerSecond": 50 },
            { "kind": "chp", "count": 3, "maxPowerKw": 400, "minUpTimeSeconds": 1800, "startUpCostEur": 50 },
            { "kind": "flexibleLoad", "count": 20, "baselineKw": 60, "minConsumptionKw": 15 },
            { "kind": "battery", "count": 2, "maxPowerKw": 500, "minPowerKw": -250, "roundTripEfficiencyPercent": 92 },
          ],
        }
        """;

    [Fact]
    public void A_mixed_scenario_gives_valid_assets_with_the_documented_defaults()
    {
        var scenario = ScenarioFile.Parse(Mixed);
        var assets = scenario.CreateAssets(seed: 1);

        Assert.Equal("sim", scenario.FleetId);
        Assert.Equal(280, assets.Count);
        Assert.All(assets, a => Assert.Empty(a.Spec.Validate()));
        Assert.Equal(assets.Count, assets.Select(a => a.AssetId).Distinct().Count());
        Assert.Equal(202, assets.Count(a => a.Spec.Kind == AssetKind.Battery));
        Assert.Equal("sim-battery-0202", assets.Last(a => a.Spec.Kind == AssetKind.Battery).AssetId); // numbered per kind across groups

        var chp = assets.First(a => a.Spec.Kind == AssetKind.Chp).Spec;
        Assert.Equal((200, 1800, 600, 50), (chp.MinStablePowerKw!.Value, chp.MinUpTimeSeconds!.Value, chp.MinDownTimeSeconds!.Value, chp.StartUpCostEur!.Value));
        Assert.Null(assets.First(a => a.Spec.Kind == AssetKind.Battery).Spec.StartUpCostEur);
        var load = assets.First(a => a.Spec.Kind == AssetKind.FlexibleLoad).Spec;
        Assert.Equal((-60, -15, 2), (load.MinPowerKw, load.MaxPowerKw, load.RampRateKwPerSecond!.Value));
        var bigBattery = assets.Last().Spec;
        Assert.Equal((-250, 500, 1000, 92), (bigBattery.MinPowerKw, bigBattery.MaxPowerKw, bigBattery.EnergyCapacityKwh!.Value, bigBattery.RoundTripEfficiencyPercent!.Value));
    }

    [Fact]
    public void Sizes_spread_within_the_group_and_the_same_seed_gives_the_same_fleet()
    {
        var scenario = ScenarioFile.Parse(Mixed);
        var batteries = scenario.CreateAssets(seed: 5).Take(200).ToArray();

        Assert.All(batteries, b => Assert.InRange(b.Spec.MaxPowerKw, 8, 12));
        Assert.All(batteries, b => Assert.Equal(2 * b.Spec.MaxPowerKw, b.Spec.EnergyCapacityKwh!.Value, tolerance: 0.01)); // the whole asset scales
        Assert.True(batteries.Select(b => b.Spec.MaxPowerKw).Distinct().Count() > 100);
        Assert.Equal(scenario.CreateAssets(seed: 5), scenario.CreateAssets(seed: 5));
        Assert.NotEqual(scenario.CreateAssets(seed: 5), scenario.CreateAssets(seed: 6));
    }

    [Theory]
    [InlineData("""{"fleetId": "sim", "assets": [{"kind": "battery", "count": 2, "maxPowerKw": 10, "capacityKwh": 20}]}""", "assets[0].capacityKwh: unknown field for a battery")]
    [InlineData("""{"fleetId": "sim", "assets": [{"kind": "solar", "count": 2, "maxPowerKw": 10, "energyCapacityKwh": 20}]}""", "assets[0].energyCapacityKwh: unknown field for a solar")]
    [InlineData("""{"fleetId": "sim", "assets": [{"kind": "battery", "count": "2", "maxPowerKw": 10}]}""", "assets[0].count: must be a whole number")]
    [InlineData("""{"fleetId": "sim", "assets": [{"kind": "battery", "count": 0, "maxPowerKw": 10}]}""", "assets[0].count: must be a whole number from 1")]
    [InlineData("""{"fleetId": "sim", "assets": [{"kind": "battery", "count": 2, "maxPowerKw": "10"}]}""", "assets[0].maxPowerKw: must be a finite number, not a string")]
    [InlineData("""{"fleetId": "sim", "assets": [{"kind": "battery", "count": 2}]}""", "assets[0].maxPowerKw: is required")]
    [InlineData("""{"fleetId": "sim", "assets": [{"kind": "flexibleLoad", "count": 2, "maxPowerKw": 10}]}""", "assets[0].baselineKw: is required")]
    [InlineData("""{"fleetId": "sim", "assets": [{"kind": "nuclear", "count": 2, "maxPowerKw": 10}]}""", "assets[0].kind: 'nuclear' is not a known kind")]
    [InlineData("""{"fleetId": "sim", "assets": [{"count": 2, "maxPowerKw": 10}]}""", "assets[0].kind: is required")]
    [InlineData("""{"fleetId": "sim", "assets": [{"kind": "battery", "count": 2, "maxPowerKw": 10, "minSocPercent": 90, "maxSocPercent": 20}]}""", "assets[0].minSocPercent: must be below maxSocPercent")]
    [InlineData("""{"fleetId": "sim", "assets": [{"kind": "chp", "count": 2, "maxPowerKw": 100, "minStablePowerKw": 150}]}""", "assets[0].minStablePowerKw: must not exceed maxPowerKw")]
    [InlineData("""{"fleetId": "sim", "assets": [{"kind": "chp", "count": 2, "maxPowerKw": 100, "startUpCostEur": -5}]}""", "assets[0].startUpCostEur: must be between 0 and 100000")]
    [InlineData("""{"fleetId": "sim", "assets": [{"kind": "battery", "count": 2, "maxPowerKw": 10, "startUpCostEur": 5}]}""", "assets[0].startUpCostEur: unknown field for a battery")]
    [InlineData("""{"fleetId": "sim", "assets": [{"kind": "flexibleLoad", "count": 2, "baselineKw": 10, "minConsumptionKw": 10}]}""", "assets[0].baselineKw: must be below maxPowerKw")]
    [InlineData("""{"fleetId": "sim", "assets": [{"kind": "wind", "count": 2, "maxPowerKw": 10, "sizeSpreadPercent": 95}]}""", "assets[0].sizeSpreadPercent: must be between 0 and 90")]
    [InlineData("""{"fleetId": "12345", "assets": [{"kind": "wind", "count": 2, "maxPowerKw": 10}]}""", "fleetId: must contain at least one non-digit")]
    [InlineData("""{"assets": [{"kind": "wind", "count": 2, "maxPowerKw": 10}]}""", "fleetId: is required")]
    [InlineData("""{"fleetId": "sim", "assets": []}""", "assets: must be a non-empty array")]
    [InlineData("""{"fleetId": "sim", "fleet": []}""", "fleet: unknown field")]
    [InlineData("""[{"kind": "wind"}]""", "$: must be an object")]
    [InlineData("""{"fleetId": "sim", "assets": [{"kind": "wind", "count": 600000, "maxPowerKw": 10}, {"kind": "solar", "count": 600000, "maxPowerKw": 10}]}""", "assets: 1200000 assets in all")]
    public void A_bad_scenario_is_refused_naming_the_json_path(string json, string expected)
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioFile.Parse(json, "bad.json"));

        Assert.Contains(error.Problems, p => p.StartsWith(expected, StringComparison.Ordinal));
        Assert.Equal("bad.json", error.ScenarioSource);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioFile.Parse("""
            {"fleetId": "sim", "assets": [
              {"kind": "battery", "count": -1, "maxPowerKw": 10},
              {"kind": "solar", "count": 1, "maxPowerKw": -5},
              {"kind": "wind", "count": 1, "maxPowerKw": 10, "colour": "white"}]}
            """));

        Assert.Contains(error.Problems, p => p.StartsWith("assets[0].count", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("assets[1].maxPowerKw", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("assets[2].colour", StringComparison.Ordinal));
        Assert.DoesNotContain(error.Problems, p => p.StartsWith("assets[0].maxPowerKw", StringComparison.Ordinal));
    }

    [Fact]
    public void Broken_json_is_refused_with_its_line()
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioFile.Parse("{\n  \"fleetId\": \"sim\",\n  \"assets\": [ { \"kind\": \"wind\" \n}"));

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith("is not valid JSON at line 4", problem);
    }

    [Fact]
    public async Task A_missing_file_is_refused_naming_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-scenario-{Guid.NewGuid():N}.json");

        var error = await Assert.ThrowsAsync<ScenarioException>(() => ScenarioFile.LoadAsync(path));

        Assert.Equal(path, error.ScenarioSource);
        Assert.StartsWith("cannot be read", Assert.Single(error.Problems));
    }

    [Fact]
    public async Task The_sample_scenario_in_the_repository_is_valid()
    {
        var path = Path.Combine(RepositoryRoot.Path, "samples", "scenarios", "mixed-fleet.json");

        var scenario = await ScenarioFile.LoadAsync(path);

        Assert.NotEmpty(scenario.CreateAssets(seed: 42));
    }
}
