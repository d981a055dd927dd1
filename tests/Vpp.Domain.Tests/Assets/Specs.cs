using Vpp.Domain.Assets;

namespace Vpp.Domain.Tests.Assets;

/// <summary>Valid specs of each kind and live states, for tests to vary one thing at a time.</summary>
internal static class Specs
{
    public const string FleetId = "fleet-north";

    /// <summary>A fixed instant (the night Europe moves to summer time, to keep everyone honest about UTC).</summary>
    public static readonly DateTimeOffset T0 = new(2026, 3, 29, 0, 30, 0, TimeSpan.Zero);

    /// <summary>±100 kW, 200 kWh, SoC window 10–90 %.</summary>
    public static AssetSpec Battery() => new()
    {
        FleetId = FleetId,
        Kind = AssetKind.Battery,
        MinPowerKw = -100,
        MaxPowerKw = 100,
        MarginalCostEurPerMwh = 12,
        EnergyCapacityKwh = 200,
        MinSocPercent = 10,
        MaxSocPercent = 90,
        RoundTripEfficiencyPercent = 90,
    };

    /// <summary>0–100 kW rated.</summary>
    public static AssetSpec Solar() => new()
    {
        FleetId = FleetId,
        Kind = AssetKind.Solar,
        MinPowerKw = 0,
        MaxPowerKw = 100,
        MarginalCostEurPerMwh = -5,
    };

    /// <summary>0–2000 kW rated.</summary>
    public static AssetSpec Wind() => new()
    {
        FleetId = FleetId,
        Kind = AssetKind.Wind,
        MinPowerKw = 0,
        MaxPowerKw = 2000,
        MarginalCostEurPerMwh = 0,
    };

    /// <summary>Off or 40–100 kW; min up time 600 s, min down time 300 s.</summary>
    public static AssetSpec Chp() => new()
    {
        FleetId = FleetId,
        Kind = AssetKind.Chp,
        MinPowerKw = 0,
        MaxPowerKw = 100,
        MarginalCostEurPerMwh = 85,
        MinStablePowerKw = 40,
        MinUpTimeSeconds = 600,
        MinDownTimeSeconds = 300,
    };

    /// <summary>Baseline 200 kW, can go down to 50 kW: net export range [-200, -50].</summary>
    public static AssetSpec FlexibleLoad() => new()
    {
        FleetId = FleetId,
        Kind = AssetKind.FlexibleLoad,
        MinPowerKw = -200,
        MaxPowerKw = -50,
        MarginalCostEurPerMwh = 150,
    };

    public static AssetSpec Valid(AssetKind kind) => kind switch
    {
        AssetKind.Battery => Battery(),
        AssetKind.Solar => Solar(),
        AssetKind.Wind => Wind(),
        AssetKind.Chp => Chp(),
        AssetKind.FlexibleLoad => FlexibleLoad(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>An online asset last heard from at <see cref="T0"/>.</summary>
    public static AssetLiveState Online(
        double? activeKw = null, double? availableKw = null, double? socPercent = null) => new()
    {
        Status = AssetStatus.Online,
        StatusReason = "telemetry received",
        LastSeen = T0,
        ActivePowerKw = activeKw,
        AvailablePowerKw = availableKw,
        StateOfChargePercent = socPercent,
    };
}
