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
            var hours = (quarter.End - (quarter.Start > now ? quarter.Start : now)).TotalHours;
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
    /// The slice's plan from the quarter hour holding <paramref name="now"/> until <paramref name="until"/> (a quarter-hour
    /// start; at most <paramref name="maxQuarters"/> quarter hours) and the virtual SoC it leaves at the end, if it is
    /// delivered as planned: what a plan that starts at <paramref name="until"/> starts from. No quarter hours, and the
    /// SoC now, when <paramref name="until"/> is at or before the current quarter hour's start.
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

        // One quarter hour more than the span: the SoC at the start of the one beginning at until is the SoC at until.
        var quarters = Math.Min(maxQuarters, (int)Math.Ceiling((until - current) / QuarterHour.Length));
        var outlook = Ahead(spec, roundTripEfficiency, socNowPercent, plan, now, quarters + 1);
        return ([.. outlook.Take(quarters).Select(o => o.Quarter)], outlook[quarters].SocStartPercent);
    }
}
