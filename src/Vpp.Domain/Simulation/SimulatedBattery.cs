using Vpp.Domain.Assets;

namespace Vpp.Domain.Simulation;

/// <summary>
/// A battery: E(t+Δt) = E + η_c·P_ch·Δt − P_dis·Δt/η_d with η_c = η_d = √(round-trip efficiency).
/// It follows the setpoint within its ramp rate (idles at 0 without one), and clips power so that a step never
/// carries the state of charge past its limits: no discharge at or below min SoC, no charge at or above max SoC.
/// </summary>
public sealed class SimulatedBattery : SimulatedAsset
{
    public SimulatedBattery(AssetSpec spec, Random random, double? initialSocPercent = null)
        : base(spec, AssetKind.Battery, random)
    {
        EnergyCapacityKwh = spec.EnergyCapacityKwh!.Value; // required for a battery: validated by the base
        ChargeEfficiency = Math.Sqrt(spec.EffectiveRoundTripEfficiencyPercent / 100);
        DischargeEfficiency = ChargeEfficiency;
        MinEnergyKwh = EnergyCapacityKwh * spec.EffectiveMinSocPercent / 100;
        MaxEnergyKwh = EnergyCapacityKwh * spec.EffectiveMaxSocPercent / 100;

        if (initialSocPercent is { } soc && (!double.IsFinite(soc) || soc < 0 || soc > 100))
        {
            throw new ArgumentOutOfRangeException(nameof(initialSocPercent), soc, "must be between 0 and 100");
        }

        // Without a given start, somewhere in the middle of the usable window.
        EnergyKwh = initialSocPercent is { } startPercent
            ? EnergyCapacityKwh * startPercent / 100
            : MinEnergyKwh + (Random.NextUniform(0.3, 0.7) * (MaxEnergyKwh - MinEnergyKwh));
    }

    public double EnergyCapacityKwh { get; }

    /// <summary>Energy stored now (kWh).</summary>
    public double EnergyKwh { get; private set; }

    public double MinEnergyKwh { get; }

    public double MaxEnergyKwh { get; }

    /// <summary>η_c: share of the energy taken from the grid that ends up stored.</summary>
    public double ChargeEfficiency { get; }

    /// <summary>η_d: share of the energy taken from the store that reaches the grid.</summary>
    public double DischargeEfficiency { get; }

    public override double? StateOfChargePercent => EnergyKwh / EnergyCapacityKwh * 100;

    protected override void Advance(double seconds, DateTimeOffset now, double? setpointKw)
    {
        var hours = seconds / 3600;
        var targetKw = Math.Clamp(setpointKw ?? 0, Spec.MinPowerKw, Spec.MaxPowerKw);
        var powerKw = RampToward(targetKw, seconds);

        if (powerKw > 0)
        {
            var storedAboveMinKwh = Math.Max(0, EnergyKwh - MinEnergyKwh);
            powerKw = Math.Min(powerKw, storedAboveMinKwh * DischargeEfficiency / hours);
        }
        else if (powerKw < 0)
        {
            var roomBelowMaxKwh = Math.Max(0, MaxEnergyKwh - EnergyKwh);
            powerKw = Math.Max(powerKw, -roomBelowMaxKwh / (ChargeEfficiency * hours));
        }

        var next = powerKw >= 0
            ? EnergyKwh - (powerKw * hours / DischargeEfficiency)
            : EnergyKwh + (ChargeEfficiency * -powerKw * hours);

        // Rounding must not carry the store past the limit the power was clipped to.
        if (powerKw > 0)
        {
            next = Math.Max(next, Math.Min(MinEnergyKwh, EnergyKwh));
        }
        else if (powerKw < 0)
        {
            next = Math.Min(next, Math.Max(MaxEnergyKwh, EnergyKwh));
        }

        EnergyKwh = next;
        ActivePowerKw = powerKw;
    }
}
