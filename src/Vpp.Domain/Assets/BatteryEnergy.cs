namespace Vpp.Domain.Assets;

/// <summary>
/// The energy side of a battery spec, in the same model as the simulator: E(t+Δt) = E + η_c·P_ch·Δt − P_dis·Δt/η_d
/// with η_c = η_d = √(round-trip efficiency). Energies "at the grid" are what the grid sees (after losses),
/// energies "in the store" are what the cells hold.
/// </summary>
public readonly record struct BatteryEnergy(
    double CapacityKwh,
    double MinSocPercent,
    double MaxSocPercent,
    double ChargeEfficiency,
    double DischargeEfficiency,
    double MaxChargeKw,
    double MaxDischargeKw)
{
    /// <summary>The energy model of a battery spec; null for any other kind (or a battery without a capacity).</summary>
    public static BatteryEnergy? Of(AssetSpec spec)
    {
        if (spec.Kind != AssetKind.Battery || spec.EnergyCapacityKwh is not { } capacityKwh)
        {
            return null;
        }

        var efficiency = Math.Sqrt(spec.EffectiveRoundTripEfficiencyPercent / 100);
        return new BatteryEnergy(
            capacityKwh,
            spec.EffectiveMinSocPercent,
            spec.EffectiveMaxSocPercent,
            efficiency,
            efficiency,
            Math.Max(0, -spec.MinPowerKw),
            Math.Max(0, spec.MaxPowerKw));
    }

    /// <summary>Energy in the store at a state of charge (kWh).</summary>
    public double StoredKwh(double socPercent) => CapacityKwh * socPercent / 100;

    /// <summary>Energy the grid can still receive from the store before it reaches min SoC (kWh, after losses).</summary>
    public double DeliverableKwh(double socPercent) =>
        Math.Max(0, StoredKwh(socPercent) - StoredKwh(MinSocPercent)) * DischargeEfficiency;

    /// <summary>Energy the grid can still put into the store before it reaches max SoC (kWh, before losses).</summary>
    public double AbsorbableKwh(double socPercent) =>
        Math.Max(0, StoredKwh(MaxSocPercent) - StoredKwh(socPercent)) / ChargeEfficiency;

    /// <summary>SoC points (percent) the store loses when the grid receives <paramref name="gridKwh"/> from it.</summary>
    public double SocPercentToDeliver(double gridKwh) => gridKwh / DischargeEfficiency / CapacityKwh * 100;

    /// <summary>SoC points (percent) the store gains when the grid puts <paramref name="gridKwh"/> into it.</summary>
    public double SocPercentToAbsorb(double gridKwh) => gridKwh * ChargeEfficiency / CapacityKwh * 100;
}
