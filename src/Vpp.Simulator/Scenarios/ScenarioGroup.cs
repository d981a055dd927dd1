using Vpp.Domain.Assets;

namespace Vpp.Simulator.Scenarios;

/// <summary>
/// A number of alike assets in a scenario: their kind, how many, and their size. Fields left out take the defaults
/// documented on each property, derived from the size, so a one-line group is a sensible fleet.
/// </summary>
public sealed record ScenarioGroup
{
    public required AssetKind Kind { get; init; }

    public required int Count { get; init; }

    /// <summary>Rated output (battery: discharge power). For a flexible load use <see cref="BaselineKw"/> instead.</summary>
    public double? MaxPowerKw { get; init; }

    /// <summary>Battery: minus its charge power; defaults to −<see cref="MaxPowerKw"/>.</summary>
    public double? MinPowerKw { get; init; }

    /// <summary>Defaults: battery max/2 per second, solar max/5, wind max/20, CHP max/60, flexible load baseline/30.</summary>
    public double? RampRateKwPerSecond { get; init; }

    public double? MarginalCostEurPerMwh { get; init; }

    /// <summary>Each asset's size is drawn uniformly within ± this percentage of the group's size (0: all equal).</summary>
    public double SizeSpreadPercent { get; init; }

    /// <summary>Battery: defaults to two hours at max power.</summary>
    public double? EnergyCapacityKwh { get; init; }

    public double? MinSocPercent { get; init; }

    public double? MaxSocPercent { get; init; }

    public double? RoundTripEfficiencyPercent { get; init; }

    /// <summary>CHP: defaults to half of max power.</summary>
    public double? MinStablePowerKw { get; init; }

    /// <summary>CHP: defaults to 15 minutes.</summary>
    public double? MinUpTimeSeconds { get; init; }

    /// <summary>CHP: defaults to 10 minutes.</summary>
    public double? MinDownTimeSeconds { get; init; }

    /// <summary>CHP: EUR per start of one unit, whatever its size; none (starts are free) unless given.</summary>
    public double? StartUpCostEur { get; init; }

    /// <summary>Flexible load: what it draws uncurtailed (kW, positive).</summary>
    public double? BaselineKw { get; init; }

    /// <summary>Flexible load: the least it can draw (kW, positive); defaults to half the baseline.</summary>
    public double? MinConsumptionKw { get; init; }

    /// <summary>The spec of one asset of this group, its size scaled by <paramref name="sizeFactor"/>.</summary>
    public AssetSpec SpecFor(string fleetId, double sizeFactor)
    {
        double Scaled(double kw) => Math.Round(kw * sizeFactor, 3);
        return Kind switch
        {
            AssetKind.Battery => Battery(fleetId, Scaled),
            AssetKind.Solar or AssetKind.Wind => Common(fleetId, 0, Scaled(MaxPowerKw ?? 0), Kind == AssetKind.Solar ? 5 : 20, Scaled),
            AssetKind.Chp => Common(fleetId, 0, Scaled(MaxPowerKw ?? 0), 60, Scaled) with
            {
                MinStablePowerKw = Scaled(MinStablePowerKw ?? ((MaxPowerKw ?? 0) / 2)),
                MinUpTimeSeconds = MinUpTimeSeconds ?? 900,
                MinDownTimeSeconds = MinDownTimeSeconds ?? 600,
                StartUpCostEur = StartUpCostEur,
            },
            AssetKind.FlexibleLoad => FlexibleLoad(fleetId, Scaled),
            _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "no scenario defaults for this kind"),
        };
    }

    private AssetSpec Battery(string fleetId, Func<double, double> scaled)
    {
        var maxKw = MaxPowerKw ?? 0;
        return Common(fleetId, scaled(MinPowerKw ?? -maxKw), scaled(maxKw), 2, scaled) with
        {
            EnergyCapacityKwh = scaled(EnergyCapacityKwh ?? (2 * maxKw)),
            MinSocPercent = MinSocPercent,
            MaxSocPercent = MaxSocPercent,
            RoundTripEfficiencyPercent = RoundTripEfficiencyPercent,
        };
    }

    private AssetSpec FlexibleLoad(string fleetId, Func<double, double> scaled)
    {
        var baselineKw = BaselineKw ?? 0;
        var spec = Common(fleetId, -scaled(baselineKw), -scaled(MinConsumptionKw ?? (baselineKw / 2)), 30, scaled);

        // The ramp default scales with the baseline, not with the (negative) max power.
        return RampRateKwPerSecond is null ? spec with { RampRateKwPerSecond = Math.Round(scaled(baselineKw) / 30, 3) } : spec;
    }

    private AssetSpec Common(string fleetId, double minKw, double maxKw, double rampDivisor, Func<double, double> scaled) => new()
    {
        FleetId = fleetId,
        Kind = Kind,
        MinPowerKw = minKw,
        MaxPowerKw = maxKw,
        RampRateKwPerSecond = RampRateKwPerSecond is { } ramp ? scaled(ramp) : Math.Round(Math.Abs(maxKw) / rampDivisor, 3),
        MarginalCostEurPerMwh = MarginalCostEurPerMwh ?? DefaultCost(Kind),
    };

    /// <summary>Typical marginal costs (EUR/MWh), so merit order has something to sort when a scenario names none.</summary>
    private static double DefaultCost(AssetKind kind) => kind switch
    {
        AssetKind.Battery => 15,
        AssetKind.Solar or AssetKind.Wind => 1,
        AssetKind.Chp => 100,
        AssetKind.FlexibleLoad => 120,
        _ => 0,
    };
}
