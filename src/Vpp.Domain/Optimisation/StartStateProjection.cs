using Vpp.Domain.Dispatch;
using Vpp.Domain.Schedules;

namespace Vpp.Domain.Optimisation;

/// <summary>
/// The state a plan that begins after now starts from: the fleet runs its stored schedule until then, so the battery
/// groups start at the SoC that schedule leaves them and the CHP groups with the units it leaves running (and held
/// by their min up and down times), not at their state now. The projection runs the quarter hours from now to the
/// plan's start as the fleet will: each slot's target in force (<see cref="TargetsKw"/>) is split over the groups by
/// the dispatch's own allocation (<see cref="DispatchPlan"/> over one <see cref="Capability"/> per group, from the
/// group's range planned for the slot), and each battery group's stored energy moves with its charge and discharge
/// efficiency (<see cref="Assets.BatteryEnergy"/>). A battery group offers in a slot only the power its derating allows
/// at the SoC the slot starts from (<see cref="BatteryGroup.DeratedRangeAt"/>) and its energy sustains for the rest of
/// the slot, so it stops at its SoC limits and the other groups take what they can of the remainder, as a re-dispatch
/// does; a target the groups cannot meet is cut to what they can do. A CHP group's units on follow its share
/// (<see cref="UnitsOn"/>). What the projection leaves out: grid-service activations on top of the target (FCR, aFRR,
/// SoC management), ramp limits (each group reaches its share within the quarter hour), and the setpoints CHP units
/// hold between dispatches (a CHP group offers each slot from its least: the units that must run, at min stable power).
/// </summary>
public static class StartStateProjection
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

        // Quarter hours between the projection's end and the plan's start: none unless the start lies beyond the longest projection.
        var gap = Math.Max(0, (int)Math.Ceiling((from - windowStart) / QuarterHour.Length) - slots);
        var socPercent = window.OfType<BatteryGroup>().ToDictionary(b => b.Name, b => b.StartSocPercent, StringComparer.Ordinal);
        var chpFromNow = window.OfType<ChpGroup>().ToDictionary(c => c.Name, StringComparer.Ordinal);
        var unitsOn = chpFromNow.Keys.ToDictionary(name => name, _ => new int[slots], StringComparer.Ordinal);
        for (var t = 0; t < slots; t++)
        {
            var slotStart = windowStart + (QuarterHour.Length * t);
            var hours = (slotStart + QuarterHour.Length - (t == 0 ? now : slotStart)).TotalHours;
            var capabilities = window.Select(g => CapabilityAt(g, t, hours, socPercent, unitsOn)).ToArray();
            var plan = targets[t] is { } targetKw
                ? DispatchPlan.Create(SupplyCurve.Of(capabilities), targetKw, strategy)
                : DispatchPlan.Hold;
            for (var i = 0; i < window.Count; i++)
            {
                var powerKw = capabilities[i].Accept(plan.SetpointFor(capabilities[i]));
                switch (window[i])
                {
                    case BatteryGroup battery:
                        socPercent[battery.Name] = Moved(battery, socPercent[battery.Name], powerKw, hours);
                        break;
                    case ChpGroup chp:
                        var on = unitsOn[chp.Name];
                        on[t] = UnitsOn(chp, on, t, targets[t] is null ? null : powerKw);
                        break;
                }
            }
        }

        return [.. planned.Select(g => g switch
        {
            BatteryGroup b when socPercent.TryGetValue(b.Name, out var soc) => b with { StartSocPercent = soc },
            ChpGroup c when chpFromNow.TryGetValue(c.Name, out var fromNow) => Continued(c, fromNow, unitsOn[c.Name], gap),
            _ => g,
        })];
    }

    /// <summary>
    /// A CHP group's units on in slot <paramref name="t"/> of the projection, given <paramref name="on"/> in the slots
    /// before it: units running keep running while the group's power <paramref name="powerKw"/> lies within what they
    /// can carry together (between their min stable and their max power), and only as many start or stop as the power
    /// needs, as the dispatch holds a running unit at its setpoint and moves it only within its band; null power (no
    /// target in force) keeps every unit as it is. Never fewer than the units that must run (<see cref="MustRun"/>),
    /// never more than those that may (<see cref="MayRun"/>).
    /// </summary>
    private static int UnitsOn(ChpGroup chp, int[] on, int t, double? powerKw)
    {
        var before = t > 0 ? on[t - 1] : chp.UnitsRunningBefore;
        var units = before;
        if (powerKw is { } kw)
        {
            var fewest = chp.UnitMaxKw > 0 ? Math.Max(0, (int)Math.Ceiling((kw / chp.UnitMaxKw) - 1e-9)) : 0;
            var most = chp.UnitMinStableKw > 0 ? (int)Math.Floor((kw / chp.UnitMinStableKw) + 1e-9) : int.MaxValue;
            units = Math.Clamp(before, fewest, Math.Max(fewest, most));
        }

        var mayRun = MayRun(chp, on, t);
        return Math.Clamp(units, Math.Min(MustRun(chp, on, t), mayRun), mayRun);
    }

    /// <summary>Units that must run in slot <paramref name="t"/>: those held on now, and those started within the min up time before it.</summary>
    private static int MustRun(ChpGroup chp, int[] on, int t) =>
        chp.UnitsHeldOnAt(t) + (t > 0 ? ChpCommitment.StartedWithin(chp, on, t - 1, chp.MinUpSlots - 1) : 0);

    /// <summary>Units that may run in slot <paramref name="t"/>: those available and not held off now, less those stopped within the min down time before it.</summary>
    private static int MayRun(ChpGroup chp, int[] on, int t) =>
        Math.Max(0, chp.UnitsAllowedAt(t) - (t > 0 ? ChpCommitment.StoppedWithin(chp, on, t - 1, chp.MinDownSlots - 1) : 0));

    /// <summary>
    /// <paramref name="planned"/> (the group from the plan's start) continuing the projection's <paramref name="on"/>
    /// over <paramref name="window"/> (the same group from now), <paramref name="gap"/> quarter hours before the plan:
    /// the units running in its last slot run before the plan, and a unit started (stopped) in the projection is held on
    /// (off) in the plan's first slots until its min up (down) time is served, on top of the units held from before now.
    /// </summary>
    private static ChpGroup Continued(ChpGroup planned, ChpGroup window, int[] on, int gap)
    {
        var last = on.Length - 1;
        int[] Held(IReadOnlyList<int> heldFromBeforeNow, int minSlots, bool starts)
        {
            var held = new int[Math.Max(heldFromBeforeNow.Count, minSlots - 1)];
            for (var k = 0; k < held.Length; k++)
            {
                // A unit switched in the projection's last (min slots − 1 − k − gap) slots is still held in plan slot k.
                var span = minSlots - 1 - k - gap;
                var changed = span <= 0 ? 0
                    : starts ? ChpCommitment.StartedWithin(window, on, last, span)
                    : ChpCommitment.StoppedWithin(window, on, last, span);
                held[k] = (k < heldFromBeforeNow.Count ? heldFromBeforeNow[k] : 0) + changed;
            }

            return held;
        }

        return planned with
        {
            UnitsOnBefore = on[last],
            UnitsHeldOn = Held(planned.UnitsHeldOn, planned.MinUpSlots, starts: true),
            UnitsHeldOff = Held(planned.UnitsHeldOff, planned.MinDownSlots, starts: false),
        };
    }

    /// <summary>
    /// What a group offers the dispatch in slot <paramref name="t"/>: its planned range, from where its assets sit
    /// without instructions (a battery at 0, PV and wind at what is available, a load at its baseline, a CHP group at
    /// its least); a battery group no more than its stored energy sustains for <paramref name="hours"/>, a CHP group
    /// between its units that must run at min stable power and its units that may run at max power.
    /// </summary>
    private static Capability CapabilityAt(
        FleetGroup group, int t, double hours, IReadOnlyDictionary<string, double> socPercent, IReadOnlyDictionary<string, int[]> unitsOn)
    {
        var range = group.PlannedRangeAt(t);
        var cost = group.MarginalCostEurPerMwh;
        switch (group)
        {
            case BatteryGroup b:
                var soc = socPercent[b.Name];
                var derated = b.DeratedRangeAt(t, b.Energy.StoredKwh(soc));
                var dischargeKw = Math.Min(derated.MaxKw, b.Energy.DeliverableKwh(soc) / hours);
                var chargeKw = Math.Min(-derated.MinKw, b.Energy.AbsorbableKwh(soc) / hours);
                return Capability.Create(-Math.Max(0, chargeKw), Math.Max(0, dischargeKw), 0, cost);
            case RenewableGroup:
                return Capability.Create(range.MinKw, range.MaxKw, range.MaxKw, cost);
            case ChpGroup chp:
                var on = unitsOn[chp.Name];
                var mostKw = Math.Min(range.MaxKw, MayRun(chp, on, t) * chp.UnitMaxKw);
                var leastKw = Math.Min(mostKw, MustRun(chp, on, t) * chp.UnitMinStableKw);
                return Capability.Create(leastKw, mostKw, leastKw, cost);
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
