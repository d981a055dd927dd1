using Vpp.Domain.Assets;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Simulation;

/// <summary>One asset of a demo fleet: its id and spec, and the seed its simulated device runs on.</summary>
public sealed record DemoAsset(string AssetId, AssetSpec Spec)
{
    public int SimulationSeed { get; init; }

    /// <summary>The simulated device for this asset; the same seed gives the same device every time.</summary>
    public SimulatedAsset CreateSimulator(SimulationSettings? settings = null) =>
        SimulatedAsset.Create(Spec, new Random(SimulationSeed), settings);
}

/// <summary>
/// Builds a reproducible mixed fleet: the same fleet id, count and seed always give the same assets.
/// Sizes are those of small commercial assets (5–500 kW); marginal costs vary within each kind so merit
/// order has something to sort.
/// </summary>
public static class DemoFleetFactory
{
    /// <summary>Share of each kind in a demo fleet; counts are apportioned by largest remainder, so they add up.</summary>
    public static readonly IReadOnlyList<(AssetKind Kind, double Share)> Mix =
    [
        (AssetKind.Battery, 0.40),
        (AssetKind.Solar, 0.25),
        (AssetKind.Wind, 0.10),
        (AssetKind.FlexibleLoad, 0.15),
        (AssetKind.Chp, 0.10),
    ];

    /// <summary>Asset id "{fleetId}-{kind}-{number:D4}", e.g. "demo-battery-0001"; the kind keeps it from being all digits.</summary>
    public static string AssetIdFor(string fleetId, AssetKind kind, int number) => $"{fleetId}-{IdPart(kind)}-{number:D4}";

    /// <exception cref="DomainValidationException">The fleet id is invalid, or too long to build asset ids from.</exception>
    public static IReadOnlyList<DemoAsset> Create(string fleetId, int count, int seed)
    {
        EntityId.ThrowIfInvalid("fleetId", fleetId);
        ArgumentOutOfRangeException.ThrowIfNegative(count);

        var random = new Random(seed);
        var assets = new List<DemoAsset>(count);
        var counts = Apportion(count);
        for (var k = 0; k < Mix.Count; k++)
        {
            var kind = Mix[k].Kind;
            for (var number = 1; number <= counts[k]; number++)
            {
                var assetId = AssetIdFor(fleetId, kind, number);
                EntityId.ThrowIfInvalid("assetId", assetId);
                var spec = SpecFor(kind, fleetId, random);
                assets.Add(new DemoAsset(assetId, spec) { SimulationSeed = random.Next() });
            }
        }

        return assets;
    }

    private static int[] Apportion(int count)
    {
        var exact = Mix.Select(m => m.Share * count).ToArray();
        var counts = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var byRemainder = Enumerable.Range(0, Mix.Count).OrderByDescending(i => exact[i] - counts[i]).ThenBy(i => i).ToArray();
        for (var i = 0; counts.Sum() < count; i++)
        {
            counts[byRemainder[i % byRemainder.Length]]++;
        }

        return counts;
    }

    private static AssetSpec SpecFor(AssetKind kind, string fleetId, Random random) => kind switch
    {
        AssetKind.Battery => Battery(fleetId, random),
        AssetKind.Solar => Renewable(fleetId, kind, Math.Round(random.NextLogUniform(5, 500)), random),
        AssetKind.Wind => Renewable(fleetId, kind, Math.Round(random.NextLogUniform(50, 500)), random),
        AssetKind.FlexibleLoad => FlexibleLoad(fleetId, random),
        AssetKind.Chp => Chp(fleetId, random),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no demo spec for this kind"),
    };

    private static AssetSpec Battery(string fleetId, Random random)
    {
        var powerKw = Math.Round(random.NextLogUniform(5, 250));
        var hours = Math.Round(random.NextUniform(1, 4) * 2) / 2;
        return new AssetSpec
        {
            FleetId = fleetId,
            Kind = AssetKind.Battery,
            MinPowerKw = -powerKw,
            MaxPowerKw = powerKw,
            RampRateKwPerSecond = Math.Round(powerKw / random.NextUniform(1, 5), 1),
            MarginalCostEurPerMwh = Math.Round(random.NextUniform(8, 30), 1), // cell wear per MWh moved
            EnergyCapacityKwh = powerKw * hours,
            MinSocPercent = random.Next(2) == 0 ? 5 : 10,
            MaxSocPercent = random.Next(2) == 0 ? 90 : 95,
            RoundTripEfficiencyPercent = Math.Round(random.NextUniform(85, 95) * 2) / 2,
        };
    }

    private static AssetSpec Renewable(string fleetId, AssetKind kind, double ratedKw, Random random) => new()
    {
        FleetId = fleetId,
        Kind = kind,
        MinPowerKw = 0,
        MaxPowerKw = ratedKw,
        RampRateKwPerSecond = Math.Round(ratedKw / (kind == AssetKind.Solar ? 5 : 20), 1),
        MarginalCostEurPerMwh = Math.Round(random.NextUniform(0, 5), 1),
    };

    private static AssetSpec FlexibleLoad(string fleetId, Random random)
    {
        var baselineKw = Math.Round(random.NextLogUniform(20, 300));
        var minConsumptionKw = Math.Round(baselineKw * random.NextUniform(0.3, 0.7));
        return new AssetSpec
        {
            FleetId = fleetId,
            Kind = AssetKind.FlexibleLoad,
            MinPowerKw = -baselineKw,
            MaxPowerKw = -minConsumptionKw,
            RampRateKwPerSecond = Math.Round(baselineKw / 30, 1),
            MarginalCostEurPerMwh = Math.Round(random.NextUniform(60, 180), 1), // what the process owner charges to shift
        };
    }

    private static AssetSpec Chp(string fleetId, Random random)
    {
        var maxKw = Math.Round(random.NextLogUniform(50, 500));
        return new AssetSpec
        {
            FleetId = fleetId,
            Kind = AssetKind.Chp,
            MinPowerKw = 0,
            MaxPowerKw = maxKw,
            MinStablePowerKw = Math.Round(maxKw * random.NextUniform(0.4, 0.6)),
            MinUpTimeSeconds = 60 * random.Next(5, 31),
            MinDownTimeSeconds = 60 * random.Next(5, 21),
            RampRateKwPerSecond = Math.Round(maxKw / 60, 1),
            MarginalCostEurPerMwh = Math.Round(random.NextUniform(70, 140), 1), // fuel

            // Warm-up fuel and wear per start, 20 EUR at 50 kW to 60 EUR at 500 kW; from the size, not drawn, so the
            // rest of a seed's fleet stays the same.
            StartUpCostEur = Math.Round(20 + (40 * (maxKw - 50) / 450)),
        };
    }

    private static string IdPart(AssetKind kind) => kind switch
    {
        AssetKind.FlexibleLoad => "flexload",
        _ => kind.ToWire(),
    };
}
