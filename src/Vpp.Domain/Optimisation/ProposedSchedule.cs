using Vpp.Domain.Dispatch;
using Vpp.Domain.GridServices;
using Vpp.Domain.Schedules;

namespace Vpp.Domain.Optimisation;

/// <summary>
/// One group's plan in one slot: its power (kW, + export), for a battery group its SoC at the slot's end, for a CHP
/// group its units on.
/// </summary>
public sealed record GroupSlot(string Group, double PowerKw, double? EndSocPercent, int? UnitsOn = null);

/// <summary>
/// One slot of a proposal: the fleet target (sum of the groups), what the slot earns at its price less operating cost,
/// and the limits that are tight in it (<c>group.limit</c> or <c>fleet.limit</c>, see <see cref="Binding"/>).
/// </summary>
public sealed record ProposedSlot(
    DateTimeOffset Start,
    double PriceEurPerMwh,
    double TargetKw,
    double RevenueEur,
    double OperatingCostEur,
    IReadOnlyList<GroupSlot> Groups,
    IReadOnlyList<string> Binding);

/// <summary>A proposed fleet schedule: slots, their sum, and how it was found (<see cref="Method"/>).</summary>
public sealed record ProposedSchedule(string Method, IReadOnlyList<ProposedSlot> Slots)
{
    /// <summary>Market revenue: Σ price × net export energy (EUR).</summary>
    public double RevenueEur => Slots.Sum(s => s.RevenueEur);

    public double OperatingCostEur => Slots.Sum(s => s.OperatingCostEur);

    /// <summary>What the optimiser maximises: revenue less operating cost (EUR).</summary>
    public double ProfitEur => RevenueEur - OperatingCostEur;

    /// <summary>Energy the fleet takes from the grid (kWh): Σ over slots of its net intake (a negative target).</summary>
    public double ImportKwh => Slots.Sum(s => Math.Max(0, -s.TargetKw)) * QuarterHour.Hours;

    /// <summary>Energy the fleet gives to the grid (kWh): Σ over slots of its net export.</summary>
    public double ExportKwh => Slots.Sum(s => Math.Max(0, s.TargetKw)) * QuarterHour.Hours;
}

/// <summary>Names of the limits reported as binding in a slot.</summary>
public static class Binding
{
    public const string MaxCharge = "maxCharge", MaxDischarge = "maxDischarge", SocMin = "socMin", SocMax = "socMax",
        EndSoc = "endSoc", Available = "available", Curtailed = "curtailed", MaxPower = "maxPower", MinStable = "minStable",
        MaxCurtailment = "maxCurtailment", RampUp = "rampUp", RampDown = "rampDown", FcrUp = "fcrUp", FcrDown = "fcrDown",
            ReserveUp = "reserveUp", ReserveDown = "reserveDown", MinUp = "minUp", MinDown = "minDown", StartUpCost = "startUpCost",
            Derated = "derated";

    public const string Fleet = "fleet";
}

/// <summary>
/// Turns per-group power series into a <see cref="ProposedSchedule"/>: SoC from the battery model, revenue and cost
/// (CHP start-up costs in the slot a unit starts) from the same objective the solver maximises, and the binding limits found by value. The solver and the greedy
/// baseline both report through it, so their figures compare like with like.
/// </summary>
public static class ScheduleEvaluation
{
    private const double ToleranceKw = Capability.ToleranceKw;
    private const double ToleranceKwh = 1e-3;

    /// <summary>Battery groups give charge and discharge (kW, both ≥ 0) per slot; others give power (kW, + export).</summary>
    public static ProposedSchedule Evaluate(string method, OptimisationProblem problem, IReadOnlyList<GroupPlan> plans)
    {
        var hours = QuarterHour.Hours;
        var stored = plans.Select(p => p.Group is BatteryGroup b ? b.StartStoredKwh : 0).ToArray();
        var previousKw = new double?[plans.Count];
        var slots = new List<ProposedSlot>(problem.SlotCount);
        for (var t = 0; t < problem.SlotCount; t++)
        {
            var price = problem.PricesEurPerMwh[t];
            var groupSlots = new List<GroupSlot>(plans.Count);
            var binding = new List<string>();
            double targetKw = 0, costEur = 0, upKw = 0, downKw = 0;
            var (reserveUp, reserveDown) = (problem.ReserveUpAt(t), problem.ReserveDownAt(t));
            for (var g = 0; g < plans.Count; g++)
            {
                var plan = plans[g];
                var group = plan.Group;
                var powerKw = plan.PowerKw(t);
                double? socPercent = null;
                int? unitsOnNow = null;
                PowerRange range;
                switch (group)
                {
                    case BatteryGroup battery:
                    {
                        var before = stored[g];
                        stored[g] += (battery.Energy.ChargeEfficiency * plan.ChargeKw![t] * hours) - (plan.DischargeKw![t] * hours / battery.Energy.DischargeEfficiency);
                        socPercent = stored[g] / battery.Energy.CapacityKwh * 100;
                        costEur += battery.MarginalCostEurPerMwh * (plan.ChargeKw[t] + plan.DischargeKw[t]) * hours / 1000;
                        range = battery.PlannedRangeAt(t);
                        Tight(binding, group, Binding.MaxCharge, powerKw <= range.MinKw + ToleranceKw && range.MinKw < 0);
                        Tight(binding, group, Binding.MaxDischarge, powerKw >= range.MaxKw - ToleranceKw && range.MaxKw > 0);
                        Tight(binding, group, Binding.SocMin, stored[g] <= battery.MinStoredKwh + ToleranceKwh);
                        Tight(binding, group, Binding.SocMax, stored[g] >= battery.MaxStoredKwh - ToleranceKwh);
                        var derated = battery.DeratedRangeAt(t, before);
                        Tight(binding, group, Binding.Derated,
                            (plan.DischargeKw[t] > ToleranceKw && plan.DischargeKw[t] >= derated.MaxKw - ToleranceKw && derated.MaxKw < range.MaxKw - ToleranceKw)
                            || (plan.ChargeKw[t] > ToleranceKw && plan.ChargeKw[t] >= -derated.MinKw - ToleranceKw && derated.MinKw > range.MinKw + ToleranceKw));
                        if (t == problem.SlotCount - 1)
                        {
                            Tight(binding, group, Binding.EndSoc, stored[g] <= problem.EndStoredKwh(battery) + ToleranceKwh);
                        }

                        // The reserve a battery can hold is limited by its energy at both ends of the slot (FcrSocWindow).
                        var (belowPerKw, abovePerKw) = battery.FcrKwhPerKw(problem.FcrActivationTime);
                        var lowKwh = Math.Min(before, stored[g]) - battery.MinStoredKwh;
                        var highKwh = battery.MaxStoredKwh - Math.Max(before, stored[g]);
                        var (freeUp, freeDown) = FcrBand.FreeKw(powerKw, range);
                        upKw += belowPerKw > 0 ? Math.Min(freeUp, Math.Max(0, lowKwh) / belowPerKw) : freeUp;
                        downKw += abovePerKw > 0 ? Math.Min(freeDown, Math.Max(0, highKwh) / abovePerKw) : freeDown;
                        break;
                    }

                    case RenewableGroup renewable:
                        range = renewable.PlannedRangeAt(t);
                        costEur += renewable.MarginalCostEurPerMwh * powerKw * hours / 1000;
                        Tight(binding, group, Binding.Available, range.MaxKw > ToleranceKw && powerKw >= range.MaxKw - ToleranceKw);
                        Tight(binding, group, Binding.Curtailed, range.MaxKw > ToleranceKw && powerKw <= ToleranceKw);
                        AddFree(powerKw, range);
                        break;
                    case ChpGroup chp:
                    {
                        var unitsOn = plan.UnitsOn![t];
                        unitsOnNow = unitsOn;
                        range = new PowerRange(unitsOn * chp.UnitMinStableKw, unitsOn * chp.UnitMaxKw);
                        costEur += (chp.MarginalCostEurPerMwh * powerKw * hours / 1000)
                            + (chp.StartUpCostEur * ChpCommitment.StartedWithin(chp, plan.UnitsOn, t, 1));
                        Tight(binding, group, Binding.MaxPower, unitsOn > 0 && powerKw >= (chp.PlannedRangeAt(t).MaxKw) - ToleranceKw);
                        Tight(binding, group, Binding.MinStable, unitsOn > 0 && powerKw <= range.MinKw + ToleranceKw);

                        // Held on at a loss by units started too recently to stop, or off against the price by units
                        // stopped too recently to start.
                        var (belowCost, aboveCost) = (price < chp.MarginalCostEurPerMwh, price > chp.MarginalCostEurPerMwh);
                        var minUp = (chp.MinUpSlots > 1 || chp.UnitsHeldOnAt(t) > 0) && unitsOn > 0 && belowCost
                            && ChpCommitment.StartedWithin(chp, plan.UnitsOn, t, chp.MinUpSlots) + chp.UnitsHeldOnAt(t) >= unitsOn;
                        var minDown = (chp.MinDownSlots > 1 || chp.UnitsHeldOffAt(t) > 0) && aboveCost && unitsOn < chp.UnitsAvailableAt(t)
                            && ChpCommitment.StoppedWithin(chp, plan.UnitsOn, t, chp.MinDownSlots) + chp.UnitsHeldOffAt(t) >= chp.AssetCount - unitsOn;
                        Tight(binding, group, Binding.MinUp, minUp);
                        Tight(binding, group, Binding.MinDown, minDown);

                        // Otherwise run at a loss because stopping and starting again costs more, or left off against
                        // the price because a start would not pay.
                        Tight(binding, group, Binding.StartUpCost, chp.HasStartUpCost
                            && ((unitsOn > 0 && belowCost && !minUp) || (aboveCost && unitsOn < chp.UnitsAllowedAt(t) && !minDown)));
                        AddFree(powerKw, range);
                        break;
                    }

                    case FlexibleLoadGroup load:
                        range = load.PlannedRangeAt(t);
                        costEur += load.MarginalCostEurPerMwh * (powerKw - range.MinKw) * hours / 1000;
                        Tight(binding, group, Binding.MaxCurtailment, range.MaxKw > range.MinKw + ToleranceKw && powerKw >= range.MaxKw - ToleranceKw);
                        AddFree(powerKw, range);
                        break;
                    default:
                        throw new ArgumentException($"unknown group type {group.GetType().Name}", nameof(plans));
                }

                if (previousKw[g] is { } previous && double.IsFinite(group.RampKwPerSlot))
                {
                    var (upKwLimit, downKwLimit, rampsUp, rampsDown) = RampLimits(plan, t);
                    Tight(binding, group, Binding.RampUp, rampsUp && powerKw > previous + ToleranceKw && powerKw - previous >= upKwLimit - ToleranceKw);
                    Tight(binding, group, Binding.RampDown, rampsDown && previous > powerKw + ToleranceKw && previous - powerKw >= downKwLimit - ToleranceKw);
                }

                previousKw[g] = powerKw;
                targetKw += powerKw;
                groupSlots.Add(new GroupSlot(group.Name, powerKw, socPercent, unitsOnNow));
            }

            // With aFRR sold the tight limit is the whole reserve (FCR + aFRR), named as such.
            if (reserveUp > 0 && upKw <= reserveUp + ToleranceKw)
            {
                binding.Add($"{Binding.Fleet}.{(problem.HasAfrr ? Binding.ReserveUp : Binding.FcrUp)}");
            }

            if (reserveDown > 0 && downKw <= reserveDown + ToleranceKw)
            {
                binding.Add($"{Binding.Fleet}.{(problem.HasAfrr ? Binding.ReserveDown : Binding.FcrDown)}");
            }

            slots.Add(new ProposedSlot(problem.SlotStart(t), price, targetKw, price * targetKw * hours / 1000, costEur, groupSlots, binding));
            continue;

            void AddFree(double powerKw, PowerRange range)
            {
                var (freeUp, freeDown) = FcrBand.FreeKw(powerKw, range);
                upKw += freeUp;
                downKw += freeDown;
            }
        }

        return new ProposedSchedule(method, slots);
    }

    /// <summary>
    /// The most a group's power may rise and fall into slot <paramref name="t"/>, and whether a ramp sets each: a CHP
    /// group's ramp limits only its units running in both slots and those it starts below max power
    /// (<see cref="ChpGroup.RampBounds"/>); a unit stopped leaves from any power.
    /// </summary>
    private static (double UpKw, double DownKw, bool RampSetsUp, bool RampSetsDown) RampLimits(GroupPlan plan, int t)
    {
        if (plan.Group is not ChpGroup chp)
        {
            return (plan.Group.RampKwPerSlot, plan.Group.RampKwPerSlot, true, true);
        }

        var kept = plan.UnitsOn![t] - ChpCommitment.StartedWithin(chp, plan.UnitsOn, t, 1);
        var (upKw, downKw) = chp.RampBoundsAt(plan.UnitsOn, t);
        return (upKw, downKw, kept > 0 || chp.StartRampKw < chp.UnitMaxKw - ToleranceKw, kept > 0);
    }

    private static void Tight(List<string> binding, FleetGroup group, string limit, bool tight)
    {
        if (tight)
        {
            binding.Add($"{group.Name}.{limit}");
        }
    }
}

/// <summary>
/// A group's decision per slot: for a battery group charge and discharge (kW, both ≥ 0), for a CHP group the units on
/// and the power, for the others the power (kW, + export).
/// </summary>
public sealed record GroupPlan(FleetGroup Group, double[] Kw, double[]? ChargeKw = null, double[]? DischargeKw = null, int[]? UnitsOn = null)
{
    public double PowerKw(int slot) => ChargeKw is not null && DischargeKw is not null ? DischargeKw[slot] - ChargeKw[slot] : Kw[slot];
}
