using Vpp.Domain.Assets;

namespace Vpp.Domain.GridServices;

/// <summary>
/// Keeps an FCR battery's SoC near the middle of its <see cref="SocWindow"/>: a small extra setpoint
/// (positive = discharge) that only runs while the frequency is inside the deadband, where no response is due,
/// so it never dilutes or opposes a required response. Outside the deadband it is always zero.
/// <para>
/// The power grows linearly from 0 at the edge of a quiet zone around the middle to the maximum
/// (<see cref="FcrSettings.SocManagementMaxShare"/> of the reserve) at the window edge and beyond: proportional,
/// so it does not chatter at a threshold, and with a quiet zone, so a battery near the middle is left alone.
/// </para>
/// </summary>
public static class FcrSocManagement
{
    public static double SetpointKw(
        BatteryEnergy battery, double reserveKw, double socPercent, double frequencyHz, FcrSettings? settings = null)
    {
        settings ??= FcrSettings.Default;
        return FcrDroop.IsInsideDeadband(frequencyHz, settings) ? CorrectionKw(battery, reserveKw, socPercent, settings) : 0;
    }

    /// <summary>
    /// Each battery's reserve when a band of <paramref name="contractedKw"/> is spread over batteries of
    /// <paramref name="batteryPowerKw"/> in all, pro rata to their power: the share of its power a battery holds
    /// (0..1). A band larger than the batteries' power is held by them in full (share 1) and the rest by others.
    /// </summary>
    public static double ReserveShare(double contractedKw, double batteryPowerKw) =>
        contractedKw <= 0 || batteryPowerKw <= 0 ? 0 : Math.Min(1, contractedKw / batteryPowerKw);

    /// <summary>
    /// <see cref="SetpointKw"/> without looking at the frequency: what the battery would do whenever the frequency is
    /// inside the deadband. A fleet decides the deadband once for all its batteries and lets each apply this.
    /// </summary>
    public static double CorrectionKw(BatteryEnergy battery, double reserveKw, double socPercent, FcrSettings? settings = null)
    {
        settings ??= FcrSettings.Default;
        if (reserveKw <= 0)
        {
            return 0;
        }

        var window = FcrSocWindow.For(battery, reserveKw, settings.ActivationTime);
        var middle = window.IsFeasible ? window.MiddlePercent : (battery.MinSocPercent + battery.MaxSocPercent) / 2;
        var halfWidth = window.IsFeasible ? (window.MaxSocPercent - window.MinSocPercent) / 2 : 0;
        var quiet = halfWidth * settings.SocManagementQuietShare;
        var offset = socPercent - middle;
        if (Math.Abs(offset) <= quiet)
        {
            return 0;
        }

        var share = halfWidth - quiet <= 0 ? 1 : Math.Min(1, (Math.Abs(offset) - quiet) / (halfWidth - quiet));
        var powerKw = share * settings.SocManagementMaxShare * reserveKw;

        // Too full: discharge (export); too empty: charge (import). Never beyond the battery's own power.
        return offset > 0 ? Math.Min(powerKw, battery.MaxDischargeKw) : -Math.Min(powerKw, battery.MaxChargeKw);
    }
}
