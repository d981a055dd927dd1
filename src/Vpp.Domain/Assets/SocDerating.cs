namespace Vpp.Domain.Assets;

/// <summary>
/// Battery power near the SoC limits: the share of its rated discharge (charge) power a battery offers falls linearly
/// from 1 to 0 over the last <c>bandPercent</c> SoC percentage points before its min (max) SoC, so its power tapers off
/// as the store nears a limit instead of stopping dead at it, as battery management systems taper the current near
/// empty and full. The operating envelope derates every setpoint at the SoC measured; the optimiser plans each quarter
/// hour within the derating at the SoC the quarter hour starts from, where the schedule dispatches its setpoint.
/// </summary>
public static class SocDerating
{
    /// <summary>The shares (0–1) of the rated charge and discharge power offered at <paramref name="socPercent"/>.</summary>
    public static (double Charge, double Discharge) Factors(double socPercent, double minSocPercent, double maxSocPercent, double bandPercent)
    {
        var band = Math.Max(bandPercent, 1e-9);
        return (Math.Clamp((maxSocPercent - socPercent) / band, 0, 1), Math.Clamp((socPercent - minSocPercent) / band, 0, 1));
    }
}
