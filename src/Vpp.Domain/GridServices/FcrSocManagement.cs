using Vpp.Domain.Assets;

namespace Vpp.Domain.GridServices;

/// <summary>
/// Keeps an FCR battery's SoC inside its <see cref="SocWindow"/> with only the freedom the German TSOs grant FCR
/// providers (regelleistung.net, "Eckpunkte und Freiheitsgrade bei Erbringung von Primärregelleistung"; PQ conditions
/// for FCR): inside the ±10 mHz deadband a unit may deliver in the droop's direction up to the droop power at the
/// deadband's edge (<see cref="FcrSettings.DeadbandUseShare"/>, 5 % of its reserve), and at any deviation it may
/// over-fulfil the requested power by up to <see cref="FcrSettings.OverFulfilmentShare"/> (20 %) in the droop's
/// direction; it never under-delivers. Whatever these cannot restore is a scheduled energy trade (<see cref="Trade"/>).
/// <para>
/// How hard a battery pushes is its <see cref="Urgency"/>: 0 near the window's middle (a quiet zone, so it does not
/// chatter), growing linearly to 1 at the window's edge and beyond. The correction is urgency × the allowed share of
/// its reserve in the permitted direction; a battery that would have to move against the droop waits (or trades).
/// </para>
/// </summary>
public static class FcrSocManagement
{
    /// <summary>
    /// Each battery's reserve when a band of <paramref name="contractedKw"/> is spread over batteries of
    /// <paramref name="batteryPowerKw"/> in all, pro rata to their power: the share of its power a battery holds
    /// (0..1). A band larger than the batteries' power is held by them in full (share 1) and the rest by others.
    /// </summary>
    public static double ReserveShare(double contractedKw, double batteryPowerKw) =>
        contractedKw <= 0 || batteryPowerKw <= 0 ? 0 : Math.Min(1, contractedKw / batteryPowerKw);

    /// <summary>
    /// How far the battery's SoC calls for a correction, in [−1, 1]: positive when too full (it should discharge),
    /// negative when too empty; 0 inside the quiet zone around the window's middle, ±1 at the window's edge and beyond.
    /// </summary>
    public static double Urgency(BatteryEnergy battery, double reserveKw, double socPercent, FcrSettings? settings = null)
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

        var urgency = halfWidth - quiet <= 0 ? 1 : Math.Min(1, (Math.Abs(offset) - quiet) / (halfWidth - quiet));
        return Math.Sign(offset) * urgency;
    }

    /// <summary>
    /// The largest correction allowed at <paramref name="frequencyHz"/> each way, as a share of the reserve. Inside the
    /// deadband: discharging (more export) while f ≤ 50 Hz and charging while f ≥ 50 Hz, each up to the droop at the
    /// deadband's edge. Outside: over-fulfilment of the requested response, in its direction only.
    /// </summary>
    public static SocCorrectionLimits Limits(double frequencyHz, FcrSettings? settings = null)
    {
        settings ??= FcrSettings.Default;
        if (FcrDroop.IsInsideDeadband(frequencyHz, settings))
        {
            var deviationHz = frequencyHz - settings.NominalFrequencyHz;
            var tolerance = FcrDroop.FrequencyToleranceHz;
            return new SocCorrectionLimits(
                deviationHz <= tolerance ? settings.DeadbandUseShare : 0,
                deviationHz >= -tolerance ? settings.DeadbandUseShare : 0);
        }

        var response = FcrDroop.ResponseShare(frequencyHz, settings);
        return new SocCorrectionLimits(
            Math.Max(0, response) * settings.OverFulfilmentShare, Math.Max(0, -response) * settings.OverFulfilmentShare);
    }

    /// <summary>
    /// The battery's SoC correction at <paramref name="frequencyHz"/> (kW, positive = discharge): its urgency times the
    /// allowed share of its reserve in that direction, never beyond its own power.
    /// </summary>
    public static double CorrectionKw(
        BatteryEnergy battery, double reserveKw, double socPercent, double frequencyHz, FcrSettings? settings = null) =>
        CorrectionKw(battery, reserveKw, Urgency(battery, reserveKw, socPercent, settings), Limits(frequencyHz, settings));

    /// <summary><see cref="CorrectionKw(BatteryEnergy, double, double, double, FcrSettings?)"/> from an urgency and the limits already worked out.</summary>
    public static double CorrectionKw(BatteryEnergy battery, double reserveKw, double urgency, SocCorrectionLimits limits) =>
        urgency > 0 ? Math.Min(urgency * limits.DischargeShare * reserveKw, battery.MaxDischargeKw)
        : urgency < 0 ? -Math.Min(-urgency * limits.ChargeShare * reserveKw, battery.MaxChargeKw)
        : 0;

    /// <summary>
    /// The energy a scheduled trade must move to bring the battery back into its window (none while it is inside):
    /// a battery above it sells what lies above the window's top, one below it buys what is missing to its bottom.
    /// A battery too small for its reserve (no feasible window) is traded to the middle of its SoC range.
    /// </summary>
    public static SocTrade Trade(BatteryEnergy battery, double reserveKw, double socPercent, FcrSettings? settings = null)
    {
        settings ??= FcrSettings.Default;
        if (reserveKw <= 0)
        {
            return default;
        }

        var window = FcrSocWindow.For(battery, reserveKw, settings.ActivationTime);
        var (bottom, top) = window.IsFeasible
            ? (window.MinSocPercent, window.MaxSocPercent)
            : ((battery.MinSocPercent + battery.MaxSocPercent) / 2, (battery.MinSocPercent + battery.MaxSocPercent) / 2);
        var sellKwh = Math.Max(0, socPercent - top) / 100 * battery.CapacityKwh * battery.DischargeEfficiency;
        var buyKwh = Math.Max(0, bottom - socPercent) / 100 * battery.CapacityKwh / battery.ChargeEfficiency;
        return new SocTrade(sellKwh, buyKwh);
    }

    /// <summary>
    /// Which way the battery cannot sustain its full reserve for the activation time at this SoC: up (export) below its
    /// window, down (absorb) above it — the limited-energy-reservoir alert of SOGL Art. 156(9).
    /// </summary>
    public static FcrReserveAlert Alert(BatteryEnergy battery, double reserveKw, double socPercent, FcrSettings? settings = null)
    {
        settings ??= FcrSettings.Default;
        if (reserveKw <= 0)
        {
            return FcrReserveAlert.None;
        }

        var window = FcrSocWindow.For(battery, reserveKw, settings.ActivationTime);
        var alert = FcrReserveAlert.None;
        if (socPercent < window.MinSocPercent - SocTolerancePercent)
        {
            alert |= FcrReserveAlert.Up;
        }

        if (socPercent > window.MaxSocPercent + SocTolerancePercent)
        {
            alert |= FcrReserveAlert.Down;
        }

        return alert;
    }

    /// <summary>SoC reports are rounded: a battery exactly at its window's edge still holds its reserve.</summary>
    private const double SocTolerancePercent = 1e-6;
}

/// <summary>The largest SoC correction each way, as a share of the battery's reserve.</summary>
public readonly record struct SocCorrectionLimits(double DischargeShare, double ChargeShare);

/// <summary>Energy (kWh at the grid) a battery must sell or buy by schedule to be back inside its SoC window.</summary>
public readonly record struct SocTrade(double SellKwh, double BuyKwh);

/// <summary>Directions in which an FCR battery can no longer hold its reserve for the activation time.</summary>
[Flags]
public enum FcrReserveAlert
{
    None = 0,

    /// <summary>Too empty to export the reserve for the activation time.</summary>
    Up = 1,

    /// <summary>Too full to absorb the reserve for the activation time.</summary>
    Down = 2,

    Both = Up | Down,
}
