using Vpp.Domain.GridServices;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Optimisation;

/// <summary>
/// The baseline the optimiser is measured against: each battery group charges in the cheapest slots and discharges
/// in the dearest, pair by pair while a pair still pays after losses and wear, within its power, its SoC limits and
/// its end condition; generators run (and loads are curtailed) whenever the price is above their marginal cost, CHP
/// units then repaired to keep their minimum up and down times and to pay their starts (<see cref="GreedyChp"/>). The
/// reserve (FCR band and aFRR capacity) is held by the batteries alone, pro rata to their power, with their SoC window
/// narrowed by <see cref="FcrSocWindow.For"/>, and each battery group's power derated near its SoC limits as the program
/// derates it (<see cref="BatteryGroup.DeratedRangeAt"/>). Ramp limits hold as in the program: a PV, wind, load or
/// CHP group's greedy power is moved as little as the ramp needs (<see cref="HoldRamp"/>; a CHP group keeps its units,
/// whose starts and stops set its ramp, <see cref="ChpGroup.RampBounds"/>).
/// </summary>
public static class GreedySchedule
{
    public const string Method = "greedy";

    /// <summary>
    /// The baseline schedule; null when its batteries cannot hold the FCR band or reach the end condition, or a group's
    /// greedy power cannot be held within its ramp limit (a battery group's pairs or a CHP group's units, which the
    /// repair does not move).
    /// </summary>
    public static ProposedSchedule? Solve(OptimisationProblem problem)
    {
        DomainValidationException.ThrowIfAny(problem.Validate());
        var slots = problem.SlotCount;
        var batteryPowerKw = problem.Groups.OfType<BatteryGroup>().Sum(b => Math.Min(b.Energy.MaxChargeKw, b.Energy.MaxDischargeKw));
        var plans = new List<GroupPlan>();
        foreach (var group in problem.Groups)
        {
            var kw = new double[slots];
            switch (group)
            {
                case BatteryGroup battery:
                    if (Battery(problem, battery, batteryPowerKw) is not { } plan || !KeepsRamp(plan, battery.RampKwPerSlot))
                    {
                        return null;
                    }

                    plans.Add(plan);
                    continue;
                case RenewableGroup renewable:
                    Fill(kw, t => Pays(problem, t, group) ? renewable.AvailableAt(t) * group.ShareAt(t) : 0);
                    if (!HoldRamp(kw, t => (0, renewable.AvailableAt(t) * group.ShareAt(t)), group))
                    {
                        return null;
                    }

                    plans.Add(new GroupPlan(group, kw));
                    break;
                case ChpGroup chp:
                {
                    var units = chp.HasCommitment || chp.HasStartUpCost ? GreedyChp.Committed(problem, chp) : GreedyChp.Units(slots, t => Pays(problem, t, group) ? chp.UnitsAllowedAt(t) : chp.UnitsHeldOnAt(t));
                    Fill(kw, t => units[t] * chp.UnitMaxKw);
                    if (!HoldRamp(kw, t => (units[t] * chp.UnitMinStableKw, units[t] * chp.UnitMaxKw), group, t => chp.RampBoundsAt(units, t)))
                    {
                        return null;
                    }

                    plans.Add(new GroupPlan(group, kw, UnitsOn: units));
                    break;
                }

                case FlexibleLoadGroup load:
                    Fill(kw, t => load.PlannedRangeAt(t) is var range && Pays(problem, t, group) ? range.MaxKw : range.MinKw);
                    if (!HoldRamp(kw, t => (load.PlannedRangeAt(t).MinKw, load.PlannedRangeAt(t).MaxKw), group))
                    {
                        return null;
                    }

                    plans.Add(new GroupPlan(group, kw));
                    break;
            }
        }

        return ScheduleEvaluation.Evaluate(Method, problem, plans);
    }

    private static bool Pays(OptimisationProblem problem, int t, FleetGroup group) => problem.PricesEurPerMwh[t] > group.MarginalCostEurPerMwh;

    /// <summary>
    /// Holds the wanted power <paramref name="kw"/> within each slot's range and the program's ramp constraint (the
    /// most the power may rise and fall into slot t: <paramref name="rampAt"/>, else the group's ramp both ways), each
    /// slot as close to what it wants as the slot before allows: the ranges are first narrowed from the horizon's end
    /// so that every later slot stays within reach (a generator that must be down by a slot starts ramping down early
    /// enough). False when no series fits the ranges and the ramp.
    /// </summary>
    private static bool HoldRamp(double[] kw, Func<int, (double Min, double Max)> rangeAt, FleetGroup group, Func<int, (double UpKw, double DownKw)>? rampAt = null)
    {
        if (!double.IsFinite(group.RampKwPerSlot))
        {
            return true;
        }

        rampAt ??= _ => (group.RampKwPerSlot, group.RampKwPerSlot);
        var slots = kw.Length;
        var low = new double[slots];
        var high = new double[slots];
        for (var t = slots - 1; t >= 0; t--)
        {
            var (min, max) = rangeAt(t);
            var (upKw, downKw) = t == slots - 1 ? (0, 0) : rampAt(t + 1);
            (low[t], high[t]) = t == slots - 1 ? (min, max) : (Math.Max(min, low[t + 1] - upKw), Math.Min(max, high[t + 1] + downKw));
            if (low[t] > high[t] + 1e-9)
            {
                return false;
            }
        }

        for (var t = 0; t < slots; t++)
        {
            var (upKw, downKw) = t == 0 ? (0, 0) : rampAt(t);
            var (lowKw, highKw) = t == 0 ? (low[0], high[0]) : (Math.Max(low[t], kw[t - 1] - downKw), Math.Min(high[t], kw[t - 1] + upKw));
            if (lowKw > highKw + 1e-9)
            {
                return false;
            }

            kw[t] = Math.Clamp(kw[t], lowKw, Math.Max(lowKw, highKw));
        }

        return true;
    }

    /// <summary>
    /// Whether a battery group's charge and discharge keep its ramp limit: the pairs are chosen without it, and a
    /// battery's ramp (seconds from zero to full power) rarely binds over a quarter hour.
    /// </summary>
    private static bool KeepsRamp(GroupPlan plan, double rampKw) =>
        !double.IsFinite(rampKw) || Enumerable.Range(1, Math.Max(0, plan.Kw.Length - 1)).All(t => Math.Abs(plan.PowerKw(t) - plan.PowerKw(t - 1)) <= rampKw + 1e-6);

    private static void Fill(double[] kw, Func<int, double> at)
    {
        for (var t = 0; t < kw.Length; t++)
        {
            kw[t] = at(t);
        }
    }

    private static GroupPlan? Battery(OptimisationProblem problem, BatteryGroup battery, double batteryPowerKw)
    {
        var slots = problem.SlotCount;
        var hours = QuarterHour.Hours;
        var etaC = battery.Energy.ChargeEfficiency;
        var etaD = battery.Energy.DischargeEfficiency;

        // Per slot: power each way left after the group's share of the band; per boundary k (after slot k − 1):
        // stored-energy bounds, the SoC windows of the slots on both sides of it.
        var chargeKw = new double[slots];
        var dischargeKw = new double[slots];
        var maxChargeKw = new double[slots];
        var maxDischargeKw = new double[slots];
        var low = Enumerable.Repeat(battery.MinStoredKwh, slots + 1).ToArray();
        var high = Enumerable.Repeat(battery.MaxStoredKwh, slots + 1).ToArray();
        for (var t = 0; t < slots; t++)
        {
            var share = battery.ShareAt(t);
            var ratio = batteryPowerKw > 0 ? Math.Min(battery.Energy.MaxChargeKw, battery.Energy.MaxDischargeKw) / batteryPowerKw : 1;
            var (upKw, downKw) = (problem.ReserveUpAt(t) * ratio, problem.ReserveDownAt(t) * ratio);
            maxChargeKw[t] = (battery.Energy.MaxChargeKw * share) - downKw;
            maxDischargeKw[t] = (battery.Energy.MaxDischargeKw * share) - upKw;
            if (maxChargeKw[t] < -1e-9 || maxDischargeKw[t] < -1e-9)
            {
                return null;
            }

            var upWindow = FcrSocWindow.For(battery.Energy, upKw, problem.FcrActivationTime);
            var downWindow = FcrSocWindow.For(battery.Energy, downKw, problem.FcrActivationTime);
            for (var k = t; k <= t + 1; k++)
            {
                low[k] = Math.Max(low[k], battery.Energy.StoredKwh(upWindow.MinSocPercent));
                high[k] = Math.Min(high[k], battery.Energy.StoredKwh(downWindow.MaxSocPercent));
            }
        }

        var stored = new double[slots + 1];
        Array.Fill(stored, battery.StartStoredKwh);
        if (Enumerable.Range(0, slots + 1).Any(k => low[k] > high[k] + 1e-9) || stored[0] < low[0] - 1e-6 || stored[0] > high[0] + 1e-6)
        {
            return null;
        }

        // Power derating near the SoC limits at the energy each slot starts from, as the program has it (SocDerating,
        // band b kWh): charge_t·b ≤ P_ch,t·(E_max − E_t) and discharge_t·b ≤ P_dis,t·(E_t − E_min) with E_t = stored[t].
        var bandKwh = battery.HasDerating ? battery.DerateBandKwh : 0;
        var ranges = Enumerable.Range(0, slots).Select(battery.PlannedRangeAt).ToArray();

        // The most energy x (kWh stored) one step may move within the derating of every slot it touches: it charges
        // 1/(η_c·Δt) kW per kWh in chargeSlot, discharges η_d/Δt kW per kWh in dischargeSlot (−1: neither), and moves
        // the energy the slots first…last start from by sign·x.
        double DeratingRoom(int chargeSlot, int dischargeSlot, int first, int last, int sign)
        {
            var room = double.PositiveInfinity;
            if (bandKwh <= 0)
            {
                return room;
            }

            void Limit(double perKwh, double slack)
            {
                if (perKwh > 1e-12)
                {
                    room = Math.Min(room, Math.Max(0, slack) / perKwh);
                }
            }

            var touched = Enumerable.Range(first, Math.Max(0, Math.Min(last, slots - 1) - first + 1)).Append(chargeSlot).Append(dischargeSlot);
            foreach (var t in touched.Where(t => t >= 0).Distinct())
            {
                var moved = t >= first && t <= last ? sign : 0;
                var (chargeMaxKw, dischargeMaxKw) = (-ranges[t].MinKw, ranges[t].MaxKw);
                var chargePerKwh = t == chargeSlot ? 1 / (etaC * hours) : 0;
                var dischargePerKwh = t == dischargeSlot ? etaD / hours : 0;
                Limit((chargePerKwh * bandKwh) + (chargeMaxKw * moved), (chargeMaxKw * (battery.MaxStoredKwh - stored[t])) - (chargeKw[t] * bandKwh));
                Limit((dischargePerKwh * bandKwh) - (dischargeMaxKw * moved), (dischargeMaxKw * (stored[t] - battery.MinStoredKwh)) - (dischargeKw[t] * bandKwh));
            }

            return room;
        }

        // The end condition first: charge the missing energy in the cheapest slots.
        var missingKwh = problem.EndStoredKwh(battery) - battery.StartStoredKwh;
        foreach (var t in Enumerable.Range(0, slots).OrderBy(t => problem.PricesEurPerMwh[t]))
        {
            if (missingKwh <= 1e-9)
            {
                break;
            }

            var room = Enumerable.Range(t + 1, slots - t).Min(k => high[k] - stored[k]);
            var kwh = Math.Min(Math.Min(missingKwh, (maxChargeKw[t] - chargeKw[t]) * hours * etaC), Math.Min(room, DeratingRoom(t, -1, t + 1, slots - 1, 1)));
            if (kwh > 0)
            {
                chargeKw[t] += kwh / etaC / hours;
                Shift(stored, t + 1, slots, kwh);
                missingKwh -= kwh;
            }
        }

        if (missingKwh > 1e-6)
        {
            return null;
        }

        // Then the pairs, best spread first: x kWh stored in slot i and taken out in slot j earn
        // x·(η_d·(p_j − c) − (p_i + c)/η_c) / 1000.
        var cost = battery.MarginalCostEurPerMwh;
        var pairs = new List<(int Charge, int Discharge, double EurPerKwh)>();
        for (var i = 0; i < slots; i++)
        {
            for (var j = 0; j < slots; j++)
            {
                var gain = (etaD * (problem.PricesEurPerMwh[j] - cost)) - ((problem.PricesEurPerMwh[i] + cost) / etaC);
                if (i != j && gain > 1e-9)
                {
                    pairs.Add((i, j, gain));
                }
            }
        }

        foreach (var (i, j, _) in pairs.OrderByDescending(p => p.EurPerKwh))
        {
            var kwh = Math.Min((maxChargeKw[i] - chargeKw[i]) * hours * etaC, (maxDischargeKw[j] - dischargeKw[j]) * hours / etaD);
            for (var k = Math.Min(i, j) + 1; k <= Math.Max(i, j) && kwh > 0; k++)
            {
                kwh = Math.Min(kwh, i < j ? high[k] - stored[k] : stored[k] - low[k]);
            }

            kwh = Math.Min(kwh, DeratingRoom(i, j, Math.Min(i, j) + 1, Math.Max(i, j), i < j ? 1 : -1));

            if (kwh <= 1e-9)
            {
                continue;
            }

            chargeKw[i] += kwh / etaC / hours;
            dischargeKw[j] += kwh * etaD / hours;
            Shift(stored, i + 1, slots, kwh);
            Shift(stored, j + 1, slots, -kwh);
        }

        return new GroupPlan(battery, new double[slots], chargeKw, dischargeKw);
    }

    private static void Shift(double[] stored, int from, int slots, double kwh)
    {
        for (var k = from; k <= slots; k++)
        {
            stored[k] += kwh;
        }
    }
}
