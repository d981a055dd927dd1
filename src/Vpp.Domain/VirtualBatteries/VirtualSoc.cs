using Vpp.Domain.Assets;
using Vpp.Domain.Schedules;

namespace Vpp.Domain.VirtualBatteries;

/// <summary>
/// A virtual battery's state of charge, moved by what the slice was asked to deliver (its setpoint after any
/// curtailment), not by what the shared assets measured: E(t+Δt) = E + η_c·P_ch·Δt − P_dis·Δt/η_d, as for a real battery.
/// </summary>
public static class VirtualSoc
{
    /// <summary>SoC within this many percent points of a limit counts as at the limit (floating-point noise).</summary>
    public const double TolerancePercent = 1e-6;

    /// <summary>The SoC after holding <paramref name="kw"/> (positive: delivered to the grid) for <paramref name="hours"/>.</summary>
    public static double After(BatteryEnergy store, double socPercent, double kw, double hours) =>
        kw >= 0
            ? socPercent - store.SocPercentToDeliver(kw * hours)
            : socPercent + store.SocPercentToAbsorb(-kw * hours);

    /// <summary>Like <see cref="After"/>, kept inside [0, 100] %: the ledger never records an impossible charge.</summary>
    public static double ClampedAfter(BatteryEnergy store, double socPercent, double kw, double hours) =>
        Math.Clamp(After(store, socPercent, kw, hours), 0, 100);

    /// <summary>The power the store can hold for <paramref name="hours"/> from <paramref name="socPercent"/>, within its power.</summary>
    public static PowerRange Sustainable(BatteryEnergy store, double socPercent, double hours)
    {
        if (hours <= 0)
        {
            return new PowerRange(-store.MaxChargeKw, store.MaxDischargeKw);
        }

        return new PowerRange(
            -Math.Min(store.MaxChargeKw, store.AbsorbableKwh(socPercent) / hours),
            Math.Min(store.MaxDischargeKw, store.DeliverableKwh(socPercent) / hours));
    }

    public static bool WithinLimits(double socPercent) => socPercent >= -TolerancePercent && socPercent <= 100 + TolerancePercent;
}
