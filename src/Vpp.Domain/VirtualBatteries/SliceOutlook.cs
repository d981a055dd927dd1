using Vpp.Domain.Schedules;

namespace Vpp.Domain.VirtualBatteries;

/// <summary>
/// One quarter hour ahead: the plan's setpoint, the virtual SoC at its start, the power the slice could still hold in it,
/// and the energy it could still deliver (down to 0 %, after losses) and absorb (up to 100 %) from its start.
/// </summary>
public readonly record struct QuarterOutlook(
    PlannedQuarter Quarter, double SocStartPercent, PowerRange AvailableKw, double AvailableDischargeKwh, double AvailableChargeKwh);

/// <summary>
/// What a trader sees ahead of a slice: for each quarter hour of its plan, the virtual SoC the plan leads to and the power
/// the slice could hold for the whole quarter hour from there (none outside its window) within its part of what the
/// fleet can give its slices then (<see cref="SliceAvailability"/>), and the energy its virtual SoC holds each way then
/// (none outside its window), as a time series.
/// </summary>
public static class SliceOutlook
{
    public static IReadOnlyList<QuarterOutlook> Ahead(
        VirtualBatterySpec spec, double roundTripEfficiency, double socNowPercent, SlicePlan plan, DateTimeOffset now, int quarters,
        IReadOnlyDictionary<DateTimeOffset, PowerRange>? shareKw = null)
    {
        var store = spec.Store(roundTripEfficiency);
        var soc = socNowPercent;
        var outlook = new List<QuarterOutlook>(quarters);
        foreach (var quarter in plan.Quarters(now, quarters, until: QuarterHour.Floor(now) + (quarters * QuarterHour.Length)))
        {
            var hours = HoursLeft(quarter, now);
            var covered = spec.Covers(quarter.Start, quarter.End);
            var available = covered ? VirtualSoc.Sustainable(store, soc, hours) : new PowerRange(0, 0);
            if (shareKw is not null && shareKw.TryGetValue(QuarterHour.Floor(quarter.Start), out var share))
            {
                available = SliceAvailability.Within(available, share);
            }

            outlook.Add(new QuarterOutlook(
                quarter, soc, available, covered ? store.DeliverableKwh(soc) : 0, covered ? store.AbsorbableKwh(soc) : 0));
            soc = VirtualSoc.ClampedAfter(store, soc, quarter.Kw, hours);
        }

        return outlook;
    }

    /// <summary>
    /// What the slice delivers from the quarter hour holding <paramref name="now"/> until <paramref name="until"/> (a
    /// quarter-hour start; at most <paramref name="maxQuarters"/> quarter hours) and the virtual SoC it leaves at the end:
    /// what a plan that starts at <paramref name="until"/> starts from. The quarter hour in progress delivers the plan's
    /// current setpoint; at each later quarter hour the slice book holds the plan only as far as the window, the power and
    /// the virtual SoC then allow (<see cref="Deliverability.Limit"/>, as the book does), so a standing setpoint stops
    /// where the SoC runs out. A curtailment for the fleet's capacity (shared by every slice, <c>fleetCapacity</c>) is
    /// not foreseen. No quarter hours, and the SoC now, when <paramref name="until"/> is at or before the current quarter
    /// hour's start.
    /// </summary>
    public static (IReadOnlyList<PlannedQuarter> Quarters, double SocAtUntilPercent) Until(
        VirtualBatterySpec spec, double roundTripEfficiency, double socNowPercent, SlicePlan plan, DateTimeOffset now, DateTimeOffset until,
        int maxQuarters)
    {
        var current = QuarterHour.Floor(now);
        if (until <= current)
        {
            return ([], socNowPercent);
        }

        var count = Math.Min(maxQuarters, (int)Math.Ceiling((until - current) / QuarterHour.Length));
        var store = spec.Store(roundTripEfficiency);
        var soc = socNowPercent;
        var delivered = new List<PlannedQuarter>(count);
        foreach (var quarter in plan.Quarters(now, count, until: current + (count * QuarterHour.Length)))
        {
            var kw = quarter.Start <= now ? quarter.Kw : Deliverability.Limit(spec, roundTripEfficiency, soc, quarter.Start, quarter.Kw).Kw;
            delivered.Add(quarter with { Kw = kw });
            soc = VirtualSoc.ClampedAfter(store, soc, kw, HoursLeft(quarter, now));
        }

        return (delivered, soc);
    }

    /// <summary>The hours of <paramref name="quarter"/> still ahead at <paramref name="now"/>: all of it unless it is in progress.</summary>
    private static double HoursLeft(PlannedQuarter quarter, DateTimeOffset now) =>
        (quarter.End - (quarter.Start > now ? quarter.Start : now)).TotalHours;
}
