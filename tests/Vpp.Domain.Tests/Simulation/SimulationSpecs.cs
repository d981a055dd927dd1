using Vpp.Domain.Assets;

namespace Vpp.Domain.Tests.Simulation;

/// <summary>Small specs for the physics tests; no ramp unless a test asks for one, so numbers stay hand-checkable.</summary>
internal static class SimulationSpecs
{
    public static readonly DateTimeOffset Midnight = new(2026, 3, 20, 0, 0, 0, TimeSpan.Zero);

    public static AssetSpec Battery(double maxKw = 50, double capacityKwh = 100, double roundTripPercent = 81, double minSoc = 10, double maxSoc = 90) => new()
    {
        FleetId = "sim",
        Kind = AssetKind.Battery,
        MinPowerKw = -maxKw,
        MaxPowerKw = maxKw,
        EnergyCapacityKwh = capacityKwh,
        RoundTripEfficiencyPercent = roundTripPercent,
        MinSocPercent = minSoc,
        MaxSocPercent = maxSoc,
    };

    public static AssetSpec Solar(double ratedKw = 100) => new() { FleetId = "sim", Kind = AssetKind.Solar, MinPowerKw = 0, MaxPowerKw = ratedKw };

    public static AssetSpec Wind(double ratedKw = 200) => new() { FleetId = "sim", Kind = AssetKind.Wind, MinPowerKw = 0, MaxPowerKw = ratedKw };

    public static AssetSpec Chp(double maxKw = 200, double minStableKw = 100, double minUpSeconds = 60, double minDownSeconds = 120, double? rampKwPerSecond = null) => new()
    {
        FleetId = "sim",
        Kind = AssetKind.Chp,
        MinPowerKw = 0,
        MaxPowerKw = maxKw,
        MinStablePowerKw = minStableKw,
        MinUpTimeSeconds = minUpSeconds,
        MinDownTimeSeconds = minDownSeconds,
        RampRateKwPerSecond = rampKwPerSecond,
    };

    public static AssetSpec FlexibleLoad(double baselineKw = 100, double minConsumptionKw = 40, double? rampKwPerSecond = null) => new()
    {
        FleetId = "sim",
        Kind = AssetKind.FlexibleLoad,
        MinPowerKw = -baselineKw,
        MaxPowerKw = -minConsumptionKw,
        RampRateKwPerSecond = rampKwPerSecond,
    };
}
