namespace Vpp.Domain.GridServices;

/// <summary>
/// How large an FCR band a fleet can hold. Power alone gives the symmetric free power around its base
/// (<see cref="FcrBand.SymmetricFreeKw"/>); a battery also needs the energy to deliver its reserve for the activation
/// time each way (15 min in continental Europe: SOGL Art. 156(9)–(10) and the CE TSOs' LER methodology), so each
/// battery only counts with its energy-limited reserve (<see cref="FcrSocWindow.MaxReserveKw"/>, with its
/// efficiency) instead of its full power.
/// </summary>
public static class FcrReserves
{
    /// <summary>
    /// The band the fleet can hold: its symmetric free power less what its batteries have in power but cannot sustain
    /// in energy (<paramref name="batteryPowerKw"/> − <paramref name="batteryReserveKw"/>, summed over batteries).
    /// </summary>
    public static double MaxBandKw(double symmetricFreeKw, double batteryPowerKw, double batteryReserveKw) =>
        Math.Max(0, symmetricFreeKw - Math.Max(0, batteryPowerKw - batteryReserveKw));

    /// <summary>The part of the contracted band the fleet cannot deliver now (0 when it can).</summary>
    public static double ShortfallKw(double contractedKw, double deliverableKw) =>
        contractedKw - deliverableKw <= Dispatch.Capability.ToleranceKw ? 0 : contractedKw - deliverableKw;
}
