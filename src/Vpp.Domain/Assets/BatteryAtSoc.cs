using Vpp.Domain.Schedules;

namespace Vpp.Domain.Assets;

/// <summary>
/// A battery's energy model with its state of charge: what a battery asset reports to its partition, once. Each use
/// derives its view from it: the store by direction at the grid (<see cref="Storage"/>, for schedules and slices),
/// the usable, stored and power figures and the battery on its usable scale (<see cref="ForFcr"/>, for FCR SoC
/// management). Deriving costs a few multiplications and allocates nothing, so a partition can do it per member per
/// summary.
/// </summary>
public readonly record struct BatteryAtSoc(BatteryEnergy Battery, double SocPercent)
{
    /// <summary>A battery spec at a state of charge; null for other kinds or while the SoC is unknown.</summary>
    public static BatteryAtSoc? Of(AssetSpec spec, double? socPercent) =>
        BatteryEnergy.Of(spec) is { } battery && socPercent is { } soc ? new BatteryAtSoc(battery, soc) : null;

    /// <summary>Its store by direction, counted at the grid.</summary>
    public StoragePool Storage =>
        new(
            Battery.DeliverableKwh(SocPercent),
            Battery.AbsorbableKwh(SocPercent),
            Math.Min(1, Battery.ChargeEfficiency * Battery.DischargeEfficiency),
            Battery.MaxDischargeKw,
            Battery.MaxChargeKw);

    /// <summary>Energy between its min and max SoC (kWh, in the store).</summary>
    public double UsableKwh => Math.Max(0, Battery.StoredKwh(Battery.MaxSocPercent) - Battery.StoredKwh(Battery.MinSocPercent));

    /// <summary>Energy stored above its min SoC, within the usable energy (kWh, in the store).</summary>
    public double StoredKwh => Math.Clamp(Battery.StoredKwh(SocPercent) - Battery.StoredKwh(Battery.MinSocPercent), 0, UsableKwh);

    /// <summary>The power it can hold either way (kW): the smaller of charge and discharge.</summary>
    public double PowerKw => Math.Min(Battery.MaxChargeKw, Battery.MaxDischargeKw);

    /// <summary>
    /// The battery as FCR sees it: its usable energy on a 0–100 % scale, <see cref="PowerKw"/> each way, and its
    /// losses (√ of the round-trip efficiency each way), with its SoC on that scale; null without usable energy or
    /// power.
    /// </summary>
    public (BatteryEnergy Battery, double SocPercent)? ForFcr()
    {
        var usableKwh = UsableKwh;
        var powerKw = PowerKw;
        if (usableKwh <= 0 || powerKw <= 0)
        {
            return null;
        }

        var efficiency = Math.Sqrt(Battery.ChargeEfficiency * Battery.DischargeEfficiency);
        return (new BatteryEnergy(usableKwh, 0, 100, efficiency, efficiency, powerKw, powerKw), StoredKwh / usableKwh * 100);
    }
}
