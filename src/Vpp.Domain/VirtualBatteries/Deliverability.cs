using Vpp.Domain.Schedules;

namespace Vpp.Domain.VirtualBatteries;

/// <summary>Why a request for a virtual battery cannot be delivered; the API shows it as the problem's <c>reason</c>.</summary>
public enum UndeliverableReason
{
    /// <summary>More power than the slice has.</summary>
    Power,

    /// <summary>One quarter hour asks more energy than the whole slice could deliver from full (or absorb from empty).</summary>
    Energy,

    /// <summary>The virtual SoC would leave [0, 100] % within the schedule.</summary>
    Soc,

    /// <summary>Power asked outside the slice's from/to window.</summary>
    Window,
}

/// <summary>A refused request: the reason, the wire field at fault and what is wrong.</summary>
public sealed record Undeliverable(UndeliverableReason Reason, string Field, string Message)
{
    public string ReasonName => Reason.ToString().ToLowerInvariant();
}

/// <summary>One quarter hour of a slice's plan; <see cref="SlotIndex"/> is the scheduled slot it comes from, if any.</summary>
public readonly record struct PlannedQuarter(DateTimeOffset Start, double Kw, int? SlotIndex)
{
    public DateTimeOffset End => Start + QuarterHour.Length;
}

/// <summary>
/// What a virtual battery is asked to do from now on: the setpoint in force now, the standing setpoint a dispatch left
/// (it holds from quarter hour to quarter hour until a scheduled slot replaces it), and the scheduled slots. Like a
/// fleet's schedule, a slice returns to 0 kW when a scheduled slot ends with no slot after it.
/// </summary>
public sealed record SlicePlan(double CurrentKw, double StandingKw, IReadOnlyList<ScheduledSlot> Slots)
{
    /// <summary>The setpoint from the quarter-hour <paramref name="boundary"/> on, and whether a scheduled slot sets it.</summary>
    public (double Kw, int? SlotIndex) KwFrom(DateTimeOffset boundary)
    {
        var index = IndexAt(boundary);
        if (index is { } i)
        {
            return (Slots[i].TargetKw, i);
        }

        return (IndexAt(boundary - QuarterHour.Length) is null ? StandingKw : 0, null);
    }

    /// <summary>
    /// The setpoint of each quarter hour from the one holding <paramref name="now"/> (at <see cref="CurrentKw"/>) to the
    /// end of the last scheduled slot, or to <paramref name="until"/> if later; at most <paramref name="maxQuarters"/>.
    /// </summary>
    public IEnumerable<PlannedQuarter> Quarters(DateTimeOffset now, int maxQuarters = 31 * 100, DateTimeOffset? until = null)
    {
        var current = QuarterHour.Floor(now);
        yield return new PlannedQuarter(current, CurrentKw, IndexAt(current));
        var lastEnd = Slots.Select(s => s.End).Append(until ?? current).Max();
        var plan = this;
        var start = current + QuarterHour.Length;
        for (var n = 1; n < maxQuarters && start < lastEnd; n++, start += QuarterHour.Length)
        {
            var (kw, index) = plan.KwFrom(start);
            plan = index is null ? plan with { StandingKw = kw } : plan;
            yield return new PlannedQuarter(start, kw, index);
        }
    }

    private int? IndexAt(DateTimeOffset start)
    {
        for (var i = 0; i < Slots.Count; i++)
        {
            if (Slots[i].Start == start)
            {
                return i;
            }
        }

        return null;
    }
}

/// <summary>
/// The check at submission: a dispatch or schedule is refused when, anywhere in the slice's plan from now on, it asks
/// more power than the slice has, more energy in one quarter hour than the slice holds, power outside the slice's
/// window, or would take the virtual SoC outside [0, 100] %. An accepted plan therefore keeps the virtual SoC inside
/// its limits as long as it is delivered as asked.
/// </summary>
public static class Deliverability
{
    public static Undeliverable? Check(
        VirtualBatterySpec spec, double roundTripEfficiency, double socNowPercent, SlicePlan plan, DateTimeOffset now,
        Func<PlannedQuarter, string> fieldOf)
    {
        var store = spec.Store(roundTripEfficiency);
        var soc = socNowPercent;
        var toleranceKw = Dispatch.Capability.ToleranceKw;
        foreach (var quarter in plan.Quarters(now))
        {
            var from = quarter.Start > now ? quarter.Start : now;
            var hours = (quarter.End - from).TotalHours;
            var kw = quarter.Kw;
            if (kw == 0 || hours <= 0)
            {
                continue;
            }

            var field = fieldOf(quarter);
            if (!spec.Covers(quarter.Start, quarter.End))
            {
                return new Undeliverable(UndeliverableReason.Window, field,
                    $"asks {kw:0.###} kW in {quarter.Start:O}–{quarter.End:O}, outside the virtual battery's window ({Window(spec)})");
            }

            if (Math.Abs(kw) > spec.PowerKw + toleranceKw)
            {
                return new Undeliverable(UndeliverableReason.Power, field,
                    $"asks {kw:0.###} kW; the virtual battery has {spec.PowerKw:0.###} kW each way");
            }

            var fullSlotKwh = Math.Abs(kw) * QuarterHour.Hours;
            var holdsKwh = kw > 0 ? store.DeliverableKwh(100) : store.AbsorbableKwh(0);
            if (fullSlotKwh > holdsKwh + ScheduleEnergyCheck.ToleranceKwh)
            {
                return new Undeliverable(UndeliverableReason.Energy, field,
                    $"asks {fullSlotKwh:0.###} kWh in one quarter hour; the virtual battery can {(kw > 0 ? "deliver" : "absorb")} at most {holdsKwh:0.###} kWh");
            }

            var after = VirtualSoc.After(store, soc, kw, hours);
            if (!VirtualSoc.WithinLimits(after))
            {
                return new Undeliverable(UndeliverableReason.Soc, field,
                    $"would take the virtual SoC from {soc:0.###} % to {after:0.###} % by {quarter.End:O}; it must stay within 0–100 %");
            }

            soc = Math.Clamp(after, 0, 100);
        }

        return null;
    }

    /// <summary>
    /// What a slice can be given of <paramref name="plannedKw"/> in the quarter hour from <paramref name="boundary"/>:
    /// nothing outside its window, within its power, and no more than its virtual SoC sustains for the quarter hour
    /// (a standing dispatch holds only as long as the SoC allows). The reason names the limit that cut it.
    /// </summary>
    public static (double Kw, UndeliverableReason? Reason) Limit(
        VirtualBatterySpec spec, double roundTripEfficiency, double socPercent, DateTimeOffset boundary, double plannedKw)
    {
        if (plannedKw == 0)
        {
            return (0, null);
        }

        if (!spec.Covers(boundary, boundary + QuarterHour.Length))
        {
            return (0, UndeliverableReason.Window);
        }

        var powerKw = Math.Clamp(plannedKw, -spec.PowerKw, spec.PowerKw);
        var sustainable = VirtualSoc.Sustainable(spec.Store(roundTripEfficiency), socPercent, QuarterHour.Hours);
        var kw = sustainable.Clamp(powerKw);
        return Math.Abs(kw - plannedKw) <= Dispatch.Capability.ToleranceKw
            ? (plannedKw, null)
            : (kw, Math.Abs(powerKw - plannedKw) > Dispatch.Capability.ToleranceKw && kw == powerKw ? UndeliverableReason.Power : UndeliverableReason.Soc);
    }

    private static string Window(VirtualBatterySpec spec) =>
        $"{(spec.From is { } f ? f.ToString("O") : "open")} to {(spec.To is { } t ? t.ToString("O") : "open")}";
}
