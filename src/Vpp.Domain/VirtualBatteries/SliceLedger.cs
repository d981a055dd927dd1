using Vpp.Domain.Assets;
using Vpp.Domain.Schedules;

namespace Vpp.Domain.VirtualBatteries;

/// <summary>One quarter hour of a slice's ledger (energies in kWh at the grid, positive exported).</summary>
public sealed record SliceQuarter(DateTimeOffset Start, double RequestedKwh, double SetpointKwh, double SocEndPercent, string? CurtailmentReason);

/// <summary>
/// A slice's ledger: what it asked and what it was given, integrated per quarter hour, and its virtual SoC moved by
/// what it was given. Accruing is split at quarter hours so every quarter hour ends with its own SoC.
/// </summary>
public static class SliceLedger
{
    /// <summary>
    /// Adds [<paramref name="from"/>, <paramref name="to"/>) at <paramref name="plannedKw"/> asked and
    /// <paramref name="setpointKw"/> given to <paramref name="quarters"/>; answers the SoC at <paramref name="to"/>.
    /// </summary>
    public static double Accrue(
        IDictionary<DateTimeOffset, SliceQuarter> quarters, BatteryEnergy store, double socPercent,
        DateTimeOffset from, DateTimeOffset to, double plannedKw, double setpointKw, string? reason)
    {
        var soc = socPercent;
        foreach (var start in QuarterHour.Starts(from, to, maxSlots: 100_000))
        {
            var pieceFrom = start > from ? start : from;
            var pieceTo = start + QuarterHour.Length < to ? start + QuarterHour.Length : to;
            var hours = (pieceTo - pieceFrom).TotalHours;
            if (hours <= 0)
            {
                continue;
            }

            soc = VirtualSoc.ClampedAfter(store, soc, setpointKw, hours);
            var before = quarters.TryGetValue(start, out var q) ? q : new SliceQuarter(start, 0, 0, soc, null);
            quarters[start] = new SliceQuarter(
                start, before.RequestedKwh + (plannedKw * hours), before.SetpointKwh + (setpointKw * hours), soc, reason ?? before.CurtailmentReason);
        }

        return soc;
    }

    /// <summary>The SoC at <paramref name="to"/> without recording anything.</summary>
    public static double SocAt(BatteryEnergy store, double socPercent, DateTimeOffset from, DateTimeOffset to, double setpointKw) =>
        to <= from ? socPercent : VirtualSoc.ClampedAfter(store, socPercent, setpointKw, (to - from).TotalHours);
}
