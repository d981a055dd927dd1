using Vpp.Domain.Assets;

namespace Vpp.Domain.GridServices;

/// <summary>SoC band (percent) inside which a battery can deliver its full FCR reserve for the activation time each way.</summary>
public readonly record struct SocWindow(double MinSocPercent, double MaxSocPercent)
{
    /// <summary>False when the battery is too small for the reserve: no SoC satisfies both directions.</summary>
    public bool IsFeasible => MinSocPercent <= MaxSocPercent;

    public double MiddlePercent => (MinSocPercent + MaxSocPercent) / 2;

    public bool Contains(double socPercent) => IsFeasible && socPercent >= MinSocPercent && socPercent <= MaxSocPercent;
}

/// <summary>
/// Energy rules for a battery holding an FCR reserve of P kW: it must be able to export P for the activation time T
/// (needs P·T/η_d above min SoC) and to absorb P for T (needs P·T·η_c below max SoC).
/// </summary>
public static class FcrSocWindow
{
    public static SocWindow For(BatteryEnergy battery, double reserveKw, TimeSpan activationTime)
    {
        var gridKwh = Math.Max(0, reserveKw) * activationTime.TotalHours;
        return new SocWindow(
            battery.MinSocPercent + battery.SocPercentToDeliver(gridKwh),
            battery.MaxSocPercent - battery.SocPercentToAbsorb(gridKwh));
    }

    /// <summary>
    /// The largest reserve the battery could ever hold (with perfect SoC management): limited by its power each way
    /// and by a usable window wide enough for both directions.
    /// </summary>
    public static double MaxReserveKw(BatteryEnergy battery, TimeSpan activationTime)
    {
        var powerKw = Math.Min(battery.MaxChargeKw, battery.MaxDischargeKw);
        var hours = activationTime.TotalHours;
        if (hours <= 0)
        {
            return powerKw;
        }

        var usableSocPercent = Math.Max(0, battery.MaxSocPercent - battery.MinSocPercent);
        var socPercentPerKw = battery.SocPercentToDeliver(hours) + battery.SocPercentToAbsorb(hours);
        return Math.Min(powerKw, usableSocPercent / socPercentPerKw);
    }

    /// <summary>The largest reserve the battery can hold right now, at its current SoC.</summary>
    public static double MaxReserveKwAt(BatteryEnergy battery, double socPercent, TimeSpan activationTime)
    {
        var hours = activationTime.TotalHours;
        var powerKw = Math.Min(battery.MaxChargeKw, battery.MaxDischargeKw);
        if (hours <= 0)
        {
            return powerKw;
        }

        return Math.Max(0, Math.Min(powerKw, Math.Min(battery.DeliverableKwh(socPercent), battery.AbsorbableKwh(socPercent)) / hours));
    }
}
