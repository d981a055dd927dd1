using Vpp.Domain.Schedules;

namespace Vpp.Domain.VirtualBatteries;

/// <summary>
/// The capacity a fleet has sold as slices, as its flexibility and bids must hold it back: in the slots of each slice's
/// window (a slice without one is sold for all time) its trader may use its full power and energy either way at any
/// moment, so neither may be offered again.
/// <para>
/// Held back is what the slices take out of the online batteries' offer, per direction: the batteries offer
/// min(P, E / h) for a product of h hours, and with the slices sold min(P − p, (E − e) / h), where p is the slices' power
/// that way less (or plus) their net setpoint now, which the fleet's baseline already holds, and e their energy. Power is
/// held back where power limits the product, energy where energy does.
/// </para>
/// </summary>
public sealed record SoldSlices(IReadOnlyList<VirtualBatterySpec> Slices, StoragePool Batteries, double NetNowKw)
{
    public static readonly SoldSlices None = new([], StoragePool.None, 0);

    /// <summary>What the slices hold back in [<paramref name="start"/>, <paramref name="end"/>) for a product of <paramref name="productDuration"/>, up and down.</summary>
    public (double UpKw, double DownKw) HeldKw(DateTimeOffset start, DateTimeOffset end, TimeSpan productDuration)
    {
        double powerKw = 0, energyKwh = 0;
        var any = false;
        foreach (var slice in Slices)
        {
            if ((slice.From ?? DateTimeOffset.MinValue) < end && start < (slice.To ?? DateTimeOffset.MaxValue))
            {
                (powerKw, energyKwh, any) = (powerKw + slice.PowerKw, energyKwh + slice.EnergyKwh, true);
            }
        }

        if (!any)
        {
            return (0, 0);
        }

        var hours = Math.Max(productDuration.TotalHours, QuarterHour.Hours);
        return (
            Held(Batteries.MaxDischargeKw, Batteries.DeliverableKwh, Math.Max(0, powerKw - NetNowKw), energyKwh, hours),
            Held(Batteries.MaxChargeKw, Batteries.AbsorbableKwh, Math.Max(0, powerKw + NetNowKw), energyKwh, hours));
    }

    private static double Held(double batteryKw, double batteryKwh, double soldKw, double soldKwh, double hours)
    {
        var offeredKw = Math.Min(Math.Max(0, batteryKw), Math.Max(0, batteryKwh) / hours);
        var leftKw = Math.Min(Math.Max(0, batteryKw - soldKw), Math.Max(0, batteryKwh - soldKwh) / hours);
        return Math.Max(0, offeredKw - leftKw);
    }
}
