using Vpp.Domain.Assets;
using Vpp.Domain.Simulation;

namespace Vpp.Simulator.Scenarios;

/// <summary>One asset the simulator will run: its id, its spec, and the seed its physics runs on.</summary>
public sealed record PlannedAsset(string AssetId, AssetSpec Spec, int SimulationSeed);

/// <summary>A fleet mix: the fleet id and groups of alike assets (from a scenario file, or the demo mix).</summary>
public sealed record Scenario(string FleetId, IReadOnlyList<ScenarioGroup> Groups)
{
    public int AssetCount => Groups.Sum(g => g.Count);

    /// <summary>
    /// The assets of this scenario. Ids are "{fleetId}-{kind}-{n}" numbered per kind across groups; sizes (within each
    /// group's spread) and physics seeds come from <paramref name="seed"/>, so the same seed gives the same fleet.
    /// </summary>
    public IReadOnlyList<PlannedAsset> CreateAssets(int seed)
    {
        var random = new Random(seed);
        var numbers = new Dictionary<AssetKind, int>();
        var assets = new List<PlannedAsset>(AssetCount);
        foreach (var group in Groups)
        {
            for (var i = 0; i < group.Count; i++)
            {
                var number = numbers[group.Kind] = numbers.GetValueOrDefault(group.Kind) + 1;
                var spread = group.SizeSpreadPercent / 100;
                var sizeFactor = spread > 0 ? 1 + (spread * ((2 * random.NextDouble()) - 1)) : 1;
                assets.Add(new PlannedAsset(
                    DemoFleetFactory.AssetIdFor(FleetId, group.Kind, number),
                    group.SpecFor(FleetId, sizeFactor),
                    random.Next()));
            }
        }

        return assets;
    }
}

/// <summary>The fleet the simulator runs when no scenario file is given: the silo's demo mix, sized by --assets.</summary>
public sealed record DemoMix(string FleetId, int Count)
{
    public IReadOnlyList<PlannedAsset> CreateAssets(int seed) =>
        DemoFleetFactory.Create(FleetId, Count, seed).Select(a => new PlannedAsset(a.AssetId, a.Spec, a.SimulationSeed)).ToArray();
}
