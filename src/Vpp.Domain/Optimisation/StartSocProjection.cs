using Vpp.Domain.Dispatch;
using Vpp.Domain.Schedules;

namespace Vpp.Domain.Optimisation;

/// <summary>
/// The battery groups' SoC at the start of a plan that begins after now: the fleet runs its stored schedule until
/// then, so the batteries start at what that schedule leaves them, not at their SoC now. The projection runs the
/// quarter hours from now to the plan's start as the fleet will: each slot's target in force (<see cref="TargetsKw"/>)
/// is split over the groups by the dispatch's own allocation (<see cref="DispatchPlan"/> over one
/// <see cref="Capability"/> per group, from the group's range planned for the slot), and each battery group's stored
/// energy moves with its charge and discharge efficiency (<see cref="Assets.BatteryEnergy"/>). A battery group offers
/// in a slot only the power its energy sustains for the rest of the slot, so it stops at its SoC limits and the other
/// groups take what they can of the remainder, as a re-dispatch does; a target the groups cannot meet is cut to what
/// they can do. What the projection leaves out: grid-service activations on top of the target (FCR, aFRR, SoC
/// management), the batteries' power derating near their SoC limits, and the setpoints CHP units hold between
/// dispatches (a CHP group starts each slot at its least: the units held on at min stable power).
/// </summary>
public static class StartSocProjection
{
    /// <summary>
    /// The quarter hours from the one containing <paramref name="now"/> up to <paramref name="from"/>, at most
    /// <see cref="PlannedRanges.MaxSlots"/> (the span the fleet's groups are planned for; a start further ahead takes the
    /// SoC at the end of that span); 0 when <paramref name="from"/> is at or before the current quarter hour's start.
    /// </summary>
    public static int SlotsBefore(DateTimeOffset now, DateTimeOffset from)
    {
        var start = QuarterHour.Floor(now);
        return from <= start ? 0 : Math.Min(PlannedRanges.MaxSlots, (int)Math.Ceiling((from - start) / QuarterHour.Length));
    }

    /// <summary>
    /// The target in force in each of <paramref name="slots"/> quarter hours from <paramref name="windowStart"/>, as
    /// the schedule dispatches it: a stored slot's target; before the window's first stored slot the fleet keeps its
    /// <paramref name="standingKw"/> (null: it has none, and every asset stays where it prefers); after a stored slot
    /// with none stored next, 0 kW (the schedule ran out).
    /// </summary>
    public static double?[] TargetsKw(IReadOnlyList<ScheduledSlot> stored, DateTimeOffset windowStart, int slots, double? standingKw)
    {
        var byStart = stored.GroupBy(s => s.Start.UtcTicks).ToDictionary(g => g.Key, g => g.Last().TargetKw);
        var targets = new double?[slots];
        var held = standingKw;
        for (var t = 0; t < slots; t++)
        {
            if (byStart.TryGetValue((windowStart + (QuarterHour.Length * t)).UtcTicks, out var targetKw))
            {
                targets[t] = targetKw;
                held = 0;
            }
            else
            {
                targets[t] = held;
            }
        }

        return targets;
    }

    /// <summary>
    /// The virtual batteries' net plan in each of <paramref name="slots"/> quarter hours from
    /// <paramref name="windowStart"/>: the sum of every slice's planned setpoint there (each plan's quarter hours start
    /// at its <c>From</c>; none planned counts 0 kW), which the fleet adds to its own target as its slice book nets them.
    /// </summary>
    public static double[] SlicesKw(IEnumerable<(DateTimeOffset From, IReadOnlyList<double> QuartersKw)> plans, DateTimeOffset windowStart, int slots)
    {
        var sum = new double[slots];
        foreach (var (from, quartersKw) in plans)
        {
            var offset = (int)Math.Round((from - windowStart) / QuarterHour.Length);
            for (var q = 0; q < quartersKw.Count; q++)
            {
                if (offset + q is var t && t >= 0 && t < slots)
                {
                    sum[t] += quartersKw[q];
                }
            }
        }

        return sum;
    }

    /// <summary>
    /// <paramref name="planned"/> (the groups planned from <paramref name="from"/>) with each battery group's start SoC
    /// at <paramref name="from"/> as the fleet reaches it. <paramref name="window"/> is the same fleet's groups planned
    /// over <see cref="SlotsBefore"/> quarter hours from the one containing <paramref name="now"/> (matched by name),
    /// <paramref name="stored"/> the stored schedule's slots in that span, <paramref name="standingKw"/> the fleet's own
    /// standing target now (set by dispatch or schedule), <paramref name="slicesKw"/> its virtual batteries' net plan
    /// per quarter hour of the span (<see cref="SlicesKw"/>; null when it has none), added to its own target as the
    /// fleet does, and <paramref name="strategy"/> its dispatch strategy. Unchanged when <paramref name="from"/> is at or
    /// before the current quarter hour's start. Never throws for a target the groups cannot meet.
    /// </summary>
    public static IReadOnlyList<FleetGroup> StartAt(
        IReadOnlyList<FleetGroup> planned, IReadOnlyList<FleetGroup> window, IReadOnlyList<ScheduledSlot> stored, double? standingKw,
        DateTimeOffset now, DateTimeOffset from, DispatchStrategy strategy = DispatchStrategy.MeritOrder, IReadOnlyList<double>? slicesKw = null)
    {
        var slots = SlotsBefore(now, from);
        if (slots == 0)
        {
            return planned;
        }

        var windowStart = QuarterHour.Floor(now);
        var targets = TargetsKw(stored, windowStart, slots, standingKw);
        for (var t = 0; slicesKw is not null && t < slots; t++)
        {
            // With slices the fleet's standing target is its own (0 when it has none) plus theirs: never "none".
            targets[t] = (targets[t] ?? 0) + (t < slicesKw.Count ? slicesKw[t] : 0);
        }

        var socPercent = window.OfType<BatteryGroup>().ToDictionary(b => b.Name, b => b.StartSocPercent, StringComparer.Ordinal);
        for (var t = 0; t < slots; t++)
        {
            var slotStart = windowStart + (QuarterHour.Length * t);
            var hours = (slotStart + QuarterHour.Length - (t == 0 ? now : slotStart)).TotalHours;
            var capabilities = window.Select(g => CapabilityAt(g, t, hours, socPercent)).ToArray();
            var plan = targets[t] is { } targetKw
                ? DispatchPlan.Create(SupplyCurve.Of(capabilities), targetKw, strategy)
                : DispatchPlan.Hold;
            for (var i = 0; i < window.Count; i++)
            {
                if (window[i] is BatteryGroup battery)
                {
                    socPercent[battery.Name] = Moved(battery, socPercent[battery.Name], capabilities[i].Accept(plan.SetpointFor(capabilities[i])), hours);
                }
            }
        }

        return [.. planned.Select(g => g is BatteryGroup b && socPercent.TryGetValue(b.Name, out var soc) ? b with { StartSocPercent = soc } : g)];
    }

    /// <summary>
    /// What a group offers the dispatch in slot <paramref name="t"/>: its planned range, from where its assets sit
    /// without instructions (a battery at 0, PV and wind at what is available, a load at its baseline, a CHP group at
    /// its least); a battery group no more than its stored energy sustains for <paramref name="hours"/>.
    /// </summary>
    private static Capability CapabilityAt(FleetGroup group, int t, double hours, IReadOnlyDictionary<string, double> socPercent)
    {
        var range = group.PlannedRangeAt(t);
        var cost = group.MarginalCostEurPerMwh;
        switch (group)
        {
            case BatteryGroup b:
                var soc = socPercent[b.Name];
                var dischargeKw = Math.Min(range.MaxKw, b.Energy.DeliverableKwh(soc) / hours);
                var chargeKw = Math.Min(-range.MinKw, b.Energy.AbsorbableKwh(soc) / hours);
                return Capability.Create(-Math.Max(0, chargeKw), Math.Max(0, dischargeKw), 0, cost);
            case RenewableGroup:
                return Capability.Create(range.MinKw, range.MaxKw, range.MaxKw, cost);
            case ChpGroup chp:
                var leastKw = Math.Min(range.MaxKw, chp.UnitsHeldOnAt(t) * chp.UnitMinStableKw);
                return Capability.Create(leastKw, range.MaxKw, leastKw, cost);
            default:
                return Capability.Create(range.MinKw, range.MaxKw, range.MinKw, cost);
        }
    }

    /// <summary>The group's SoC after <paramref name="powerKw"/> (+ discharge) for <paramref name="hours"/>, within its SoC limits.</summary>
    private static double Moved(BatteryGroup battery, double socPercent, double powerKw, double hours)
    {
        var energy = battery.Energy;
        var moved = powerKw >= 0
            ? socPercent - energy.SocPercentToDeliver(powerKw * hours)
            : socPercent + energy.SocPercentToAbsorb(-powerKw * hours);
        return Math.Clamp(moved, energy.MinSocPercent, energy.MaxSocPercent);
    }
}
