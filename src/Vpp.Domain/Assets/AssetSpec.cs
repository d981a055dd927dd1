using System.Runtime.Serialization;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Assets;

/// <summary>
/// What an asset can do, as its owner declares it. Power is net export (positive = to the grid):
/// a battery spans [-maxChargeKw, +maxDischargeKw], a flexible load [-baselineKw, -minConsumptionKw].
/// </summary>
public sealed record AssetSpec
{
    public required string FleetId { get; init; }
    public required AssetKind Kind { get; init; }
    public required double MinPowerKw { get; init; }
    public required double MaxPowerKw { get; init; }

    /// <summary>How fast the output may change; null means the asset can step instantly.</summary>
    public double? RampRateKwPerSecond { get; init; }

    public double MarginalCostEurPerMwh { get; init; }

    // Battery
    public double? EnergyCapacityKwh { get; init; }
    public double? MinSocPercent { get; init; }
    public double? MaxSocPercent { get; init; }
    public double? RoundTripEfficiencyPercent { get; init; }

    // CHP
    public double? MinStablePowerKw { get; init; }
    public double? MinUpTimeSeconds { get; init; }
    public double? MinDownTimeSeconds { get; init; }

    /// <summary>What one start of the unit costs (EUR: fuel to warm up, wear); null: nothing.</summary>
    public double? StartUpCostEur { get; init; }

    /// <summary>Largest power any field may name (1 TW): beyond it the number is a typo, and sums could overflow.</summary>
    public const double MaxAbsPowerKw = 1e9;

    /// <summary>Longest CHP minimum up or down time accepted (one week).</summary>
    public const double MaxRunTimeSeconds = 7 * 24 * 3600;

    /// <summary>Largest CHP start-up cost accepted (EUR per start): a large gas engine's start costs some hundreds.</summary>
    public const double MaxStartUpCostEur = 100_000;

    public const double DefaultMinSocPercent = 5;
    public const double DefaultMaxSocPercent = 95;
    public const double DefaultRoundTripEfficiencyPercent = 90;

    // The derived values below are [IgnoreDataMember]: the stored state's JSON (Newtonsoft) keeps what was declared,
    // not what follows from it — a fifth of every asset row otherwise.
    [IgnoreDataMember]
    public double EffectiveMinSocPercent => MinSocPercent ?? DefaultMinSocPercent;

    [IgnoreDataMember]
    public double EffectiveMaxSocPercent => MaxSocPercent ?? DefaultMaxSocPercent;

    [IgnoreDataMember]
    public double EffectiveRoundTripEfficiencyPercent => RoundTripEfficiencyPercent ?? DefaultRoundTripEfficiencyPercent;

    /// <summary>
    /// How fast the asset's output can follow a new setpoint (kW/s): its ramp rate, or — for an asset that can step
    /// instantly — its whole range per second, so it counts as stepping within a second (well inside the aFRR setpoint
    /// cycle of about 4 s) and adds up with the ramps of the others.
    /// </summary>
    [IgnoreDataMember]
    public double FollowRateKwPerSecond => RampRateKwPerSecond ?? Math.Max(0, MaxPowerKw - MinPowerKw);

    /// <summary>Baseline consumption of a flexible load (kW, positive number).</summary>
    [IgnoreDataMember]
    public double BaselineKw => -MinPowerKw;

    /// <summary>The consumption a flexible load cannot go below (kW, positive number).</summary>
    [IgnoreDataMember]
    public double MinConsumptionKw => -MaxPowerKw;

    public IReadOnlyList<FieldError> Validate()
    {
        var e = new FieldErrors();
        EntityId.Check(e, "fleetId", FleetId);
        var powerFinite = e.Finite("minPowerKw", MinPowerKw) & e.Finite("maxPowerKw", MaxPowerKw);
        powerFinite &= e.Magnitude("minPowerKw", MinPowerKw, MaxAbsPowerKw) & e.Magnitude("maxPowerKw", MaxPowerKw, MaxAbsPowerKw);
        if (powerFinite && MinPowerKw > MaxPowerKw)
        {
            e.Add("minPowerKw", $"must not exceed maxPowerKw ({MinPowerKw} > {MaxPowerKw})");
        }

        e.Positive("rampRateKwPerSecond", RampRateKwPerSecond);
        e.Magnitude("rampRateKwPerSecond", RampRateKwPerSecond, MaxAbsPowerKw);
        e.Finite("marginalCostEurPerMwh", MarginalCostEurPerMwh);
        e.Magnitude("marginalCostEurPerMwh", MarginalCostEurPerMwh, 1e6);

        var kind = Kind.ToWire();
        if (Kind != AssetKind.Battery)
        {
            e.NotApplicable("energyCapacityKwh", EnergyCapacityKwh, kind);
            e.NotApplicable("minSocPercent", MinSocPercent, kind);
            e.NotApplicable("maxSocPercent", MaxSocPercent, kind);
            e.NotApplicable("roundTripEfficiencyPercent", RoundTripEfficiencyPercent, kind);
        }

        if (Kind != AssetKind.Chp)
        {
            e.NotApplicable("minStablePowerKw", MinStablePowerKw, kind);
            e.NotApplicable("minUpTimeSeconds", MinUpTimeSeconds, kind);
            e.NotApplicable("minDownTimeSeconds", MinDownTimeSeconds, kind);
            e.NotApplicable("startUpCostEur", StartUpCostEur, kind);
        }

        switch (Kind)
        {
            case AssetKind.Battery:
                ValidateBattery(e, powerFinite);
                break;
            case AssetKind.Solar or AssetKind.Wind:
                if (powerFinite && MinPowerKw < 0)
                {
                    e.Add("minPowerKw", $"a {kind} asset cannot take power from the grid: must be 0 or more");
                }

                if (powerFinite && MaxPowerKw <= 0)
                {
                    e.Add("maxPowerKw", $"the rated power of a {kind} asset must be greater than 0");
                }

                break;
            case AssetKind.Chp:
                ValidateChp(e, powerFinite);
                break;
            case AssetKind.FlexibleLoad:
                if (powerFinite && MaxPowerKw > 0)
                {
                    e.Add("maxPowerKw", "a flexible load never exports: must be 0 or less (it is minus the minimum consumption)");
                }

                if (powerFinite && MinPowerKw == MaxPowerKw)
                {
                    e.Add("minPowerKw", "must be below maxPowerKw: baseline and minimum consumption are equal, so there is no flexibility");
                }

                break;
        }

        return e.Errors;
    }

    private void ValidateBattery(FieldErrors e, bool powerFinite)
    {
        if (powerFinite && MinPowerKw > 0)
        {
            e.Add("minPowerKw", "a battery's minimum is minus its maximum charge power: must be 0 or less");
        }

        if (powerFinite && MaxPowerKw < 0)
        {
            e.Add("maxPowerKw", "a battery's maximum is its maximum discharge power: must be 0 or more");
        }

        e.Required("energyCapacityKwh", EnergyCapacityKwh, "for a battery");
        e.Positive("energyCapacityKwh", EnergyCapacityKwh);
        e.Magnitude("energyCapacityKwh", EnergyCapacityKwh, MaxAbsPowerKw * 1000);
        e.Range("minSocPercent", MinSocPercent, 0, 100);
        e.Range("maxSocPercent", MaxSocPercent, 0, 100);
        if (double.IsFinite(EffectiveMinSocPercent) && double.IsFinite(EffectiveMaxSocPercent)
            && EffectiveMinSocPercent >= EffectiveMaxSocPercent)
        {
            e.Add("minSocPercent", $"must be below maxSocPercent ({EffectiveMinSocPercent} >= {EffectiveMaxSocPercent})");
        }

        if (RoundTripEfficiencyPercent is { } rte && e.Finite("roundTripEfficiencyPercent", rte) && (rte <= 0 || rte > 100))
        {
            e.Add("roundTripEfficiencyPercent", "must be greater than 0 and at most 100");
        }
    }

    private void ValidateChp(FieldErrors e, bool powerFinite)
    {
        if (powerFinite && MinPowerKw != 0)
        {
            e.Add("minPowerKw", "a CHP plant is either off (0 kW) or between minStablePowerKw and maxPowerKw: minPowerKw must be 0");
        }

        if (powerFinite && MaxPowerKw <= 0)
        {
            e.Add("maxPowerKw", "must be greater than 0");
        }

        e.Required("minStablePowerKw", MinStablePowerKw, "for a CHP plant");
        e.Positive("minStablePowerKw", MinStablePowerKw);
        e.Magnitude("minStablePowerKw", MinStablePowerKw, MaxAbsPowerKw);
        if (MinStablePowerKw is { } stable && double.IsFinite(stable) && powerFinite && stable > MaxPowerKw)
        {
            e.Add("minStablePowerKw", $"must not exceed maxPowerKw ({stable} > {MaxPowerKw})");
        }

        e.Range("minUpTimeSeconds", MinUpTimeSeconds, 0, MaxRunTimeSeconds);
        e.Range("minDownTimeSeconds", MinDownTimeSeconds, 0, MaxRunTimeSeconds);
        e.Range("startUpCostEur", StartUpCostEur, 0, MaxStartUpCostEur);
    }
}
