using Google.OrTools.LinearSolver;
using Vpp.Domain.Schedules;

namespace Vpp.Domain.Optimisation;

/// <summary>
/// The linear program of one <see cref="OptimisationProblem"/> in OR-Tools. One set of variables per group and slot:
/// a battery group's charge, discharge and stored energy; a renewable, CHP or load group's power (and a CHP group's
/// units on, an integer). The reserve (FCR band and aFRR capacity) is enforced in the first <c>fcrSlots</c> slots and
/// the end-SoC condition only when asked, so the diagnosis can relax one family at a time.
/// </summary>
internal sealed partial class ScheduleModel : IDisposable
{
    public enum Goal
    {
        /// <summary>Maximise revenue less operating cost.</summary>
        Profit,

        /// <summary>Maximise −(energy the batteries end short of their end condition, kWh).</summary>
        EndShortfall,

        /// <summary>Maximise the symmetric band the fleet can hold in the probe slot.</summary>
        BandAt,
    }

    private readonly OptimisationProblem _problem;
    private readonly Solver _solver;
    private readonly GroupVars[] _groups;
    private Variable[]? _importKw;

    public ScheduleModel(OptimisationProblem problem, int fcrSlots, bool endSoc, Goal goal, int? probeSlot = null)
    {
        _problem = problem;
        var integers = problem.Groups.OfType<ChpGroup>().Any(g => g.AssetCount > 0);
        _solver = Solver.CreateSolver(integers ? "SCIP" : "GLOP")
            ?? throw new InvalidOperationException("OR-Tools has no " + (integers ? "SCIP" : "GLOP") + " solver in this build");
        _groups = problem.Groups.Select(AddGroup).ToArray();
        AddCommitments();
        AddRamps();
        AddStartCounts();
        for (var t = 0; t < problem.SlotCount; t++)
        {
            if (t < fcrSlots && (problem.ReserveUpAt(t) > 0 || problem.ReserveDownAt(t) > 0))
            {
                AddBand(t, problem.ReserveUpAt(t), problem.ReserveDownAt(t), probe: null);
            }
        }

        var objective = _solver.Objective();
        objective.SetMaximization();
        switch (goal)
        {
            case Goal.Profit:
                if (endSoc)
                {
                    AddEndSoc();
                }

                if (problem.SelfConsumption)
                {
                    SetImport(objective);
                }
                else
                {
                    SetProfit(objective);
                }

                break;
            case Goal.EndShortfall:
                SetEndShortfall(objective);
                break;
            case Goal.BandAt:
                var band = _solver.MakeNumVar(0, double.PositiveInfinity, "band");
                AddBand(probeSlot ?? throw new ArgumentNullException(nameof(probeSlot)), 0, 0, band);
                objective.SetCoefficient(band, 1);
                break;
        }
    }

    public double ObjectiveValue => _solver.Objective().Value();

    public Solver.ResultStatus Solve(TimeSpan timeLimit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _solver.SetTimeLimit((long)Math.Max(1, timeLimit.TotalMilliseconds));
        using var interrupt = cancellationToken.Register(() => _solver.InterruptSolve());
        var status = _solver.Solve();
        cancellationToken.ThrowIfCancellationRequested();
        return status;
    }

    /// <summary>
    /// The second stage of <see cref="OptimisationRequestRules.SelfConsumption"/>: the energy imported held at most at
    /// <paramref name="importKwh"/> (what the first stage found least, with the solver's tolerance), the profit
    /// maximised within it, so that ties between equally self-sufficient schedules go to the one that earns most.
    /// </summary>
    public void HoldImportAndMaximiseProfit(double importKwh)
    {
        var import = _importKw ?? throw new InvalidOperationException("the model does not minimise import");
        var bound = _solver.MakeConstraint(double.NegativeInfinity, importKwh + (1e-7 * Math.Max(1, Math.Abs(importKwh))), "");
        foreach (var slot in import)
        {
            bound.SetCoefficient(slot, QuarterHour.Hours);
        }

        var objective = _solver.Objective();
        objective.Clear();
        objective.SetMaximization();
        SetProfit(objective);
    }

    public IReadOnlyList<GroupPlan> Plans() => _groups.Select(g => g.Plan()).ToList();

    public void Dispose() => _solver.Dispose();

    private GroupVars AddGroup(FleetGroup group)
    {
        var slots = _problem.SlotCount;
        var vars = new GroupVars(group, slots);
        for (var t = 0; t < slots; t++)
        {
            switch (group)
            {
                case BatteryGroup battery:
                {
                    var hours = QuarterHour.Hours;
                    var range = battery.PlannedRangeAt(t);
                    vars.Charge![t] = _solver.MakeNumVar(0, -range.MinKw, "");
                    vars.Discharge![t] = _solver.MakeNumVar(0, range.MaxKw, "");
                    vars.Stored![t] = _solver.MakeNumVar(battery.MinStoredKwh, battery.MaxStoredKwh, "");

                    // E_t − E_(t−1) − η_c·Δt·P_ch + Δt/η_d·P_dis = 0, with E_(−1) the start energy.
                    var start = t == 0 ? battery.StartStoredKwh : 0;
                    var balance = _solver.MakeConstraint(start, start, "");
                    balance.SetCoefficient(vars.Stored[t], 1);
                    if (t > 0)
                    {
                        balance.SetCoefficient(vars.Stored[t - 1], -1);
                    }

                    balance.SetCoefficient(vars.Charge[t], -battery.Energy.ChargeEfficiency * hours);
                    balance.SetCoefficient(vars.Discharge[t], hours / battery.Energy.DischargeEfficiency);
                    if (battery.HasDerating)
                    {
                        AddDerating(vars, battery, t, range);
                    }

                    break;
                }

                case RenewableGroup renewable:
                    vars.Power[t] = _solver.MakeNumVar(0, renewable.PlannedRangeAt(t).MaxKw, "");
                    break;
                case ChpGroup chp:
                {
                    // Units held on or off from before the horizon bound the units on in the first slots.
                    var units = chp.UnitsAllowedAt(t);
                    vars.UnitsOn![t] = _solver.MakeIntVar(chp.UnitsHeldOnAt(t), units, "");
                    vars.Power[t] = _solver.MakeNumVar(0, units * chp.UnitMaxKw, "");
                    var max = _solver.MakeConstraint(double.NegativeInfinity, 0, "");
                    max.SetCoefficient(vars.Power[t], 1);
                    max.SetCoefficient(vars.UnitsOn[t], -chp.UnitMaxKw);
                    var stable = _solver.MakeConstraint(0, double.PositiveInfinity, "");
                    stable.SetCoefficient(vars.Power[t], 1);
                    stable.SetCoefficient(vars.UnitsOn[t], -chp.UnitMinStableKw);
                    break;
                }

                case FlexibleLoadGroup load:
                {
                    var range = load.PlannedRangeAt(t);
                    vars.Power[t] = _solver.MakeNumVar(range.MinKw, range.MaxKw, "");
                    break;
                }

                default:
                    throw new ArgumentException($"unknown group type {group.GetType().Name}", nameof(group));
            }
        }

        return vars;
    }

    /// <summary>
    /// The battery group's power in slot <paramref name="t"/> within its derating at the energy the slot starts from
    /// (<see cref="Assets.SocDerating"/>, band b kWh): P_dis,t·b ≤ P_max·(E_(t−1) − E_min) and P_ch,t·b ≤ P_ch,max·(E_max − E_(t−1)),
    /// with E_(−1) the start energy; above the band the power bounds bind first.
    /// </summary>
    private void AddDerating(GroupVars vars, BatteryGroup battery, int t, PowerRange range)
    {
        var bandKwh = battery.DerateBandKwh;
        var startKwh = t == 0 ? battery.StartStoredKwh : 0;
        var discharge = _solver.MakeConstraint(double.NegativeInfinity, range.MaxKw * (startKwh - battery.MinStoredKwh), "");
        discharge.SetCoefficient(vars.Discharge![t], bandKwh);
        var charge = _solver.MakeConstraint(double.NegativeInfinity, -range.MinKw * (battery.MaxStoredKwh - startKwh), "");
        charge.SetCoefficient(vars.Charge![t], bandKwh);
        if (t > 0)
        {
            discharge.SetCoefficient(vars.Stored![t - 1], -range.MaxKw);
            charge.SetCoefficient(vars.Stored[t - 1], -range.MinKw);
        }
    }

    /// <summary>
    /// |P_t − P_(t−1)| ≤ ramp rate × slot length, for groups with a ramp rate; for a CHP group the ramp of its running
    /// units only (<see cref="ChpGroup.RampBounds"/>), with its starts s_t and stops d_t:
    /// P_t − P_(t−1) ≤ r·(n_t − s_t) + s_t·start ramp − d_t·min stable and P_(t−1) − P_t ≤ r·(n_t − s_t) + d_t·max − s_t·min stable.
    /// </summary>
    private void AddRamps()
    {
        foreach (var vars in _groups)
        {
            var rampKw = vars.Group.RampKwPerSlot;
            if (!double.IsFinite(rampKw))
            {
                continue;
            }

            if (vars.Group is ChpGroup chp)
            {
                var (starts, stops) = Switches(vars, chp);
                var unitRampKw = chp.UnitRampKwPerSlot;
                for (var t = 1; t < _problem.SlotCount; t++)
                {
                    var rise = _solver.MakeConstraint(double.NegativeInfinity, 0, "");
                    rise.SetCoefficient(vars.Power[t], 1);
                    rise.SetCoefficient(vars.Power[t - 1], -1);
                    rise.SetCoefficient(vars.UnitsOn![t], -unitRampKw);
                    rise.SetCoefficient(starts[t], unitRampKw - chp.StartRampKw);
                    rise.SetCoefficient(stops[t], chp.UnitMinStableKw);
                    var fall = _solver.MakeConstraint(double.NegativeInfinity, 0, "");
                    fall.SetCoefficient(vars.Power[t - 1], 1);
                    fall.SetCoefficient(vars.Power[t], -1);
                    fall.SetCoefficient(vars.UnitsOn[t], -unitRampKw);
                    fall.SetCoefficient(starts[t], unitRampKw + chp.UnitMinStableKw);
                    fall.SetCoefficient(stops[t], -chp.UnitMaxKw);
                }

                continue;
            }

            for (var t = 1; t < _problem.SlotCount; t++)
            {
                var change = _solver.MakeConstraint(-rampKw, rampKw, "");
                vars.AddPower(change, t, 1);
                vars.AddPower(change, t - 1, -1);
            }
        }
    }

    /// <summary>
    /// A CHP group's integer starts s_t and stops d_t per slot with n_t − n_(t−1) = s_t − d_t (n_(−1) = the units on
    /// before the horizon), s_t ≤ n_t and d_t ≤ n_(t−1), made once and shared by the constraints that need them.
    /// </summary>
    private (Variable[] Starts, Variable[] Stops) Switches(GroupVars vars, ChpGroup chp)
    {
        if (vars.Starts is { } made && vars.Stops is { } madeStops)
        {
            return (made, madeStops);
        }

        var slots = _problem.SlotCount;
        var starts = vars.Starts = new Variable[slots];
        var stops = vars.Stops = new Variable[slots];
        for (var t = 0; t < slots; t++)
        {
            starts[t] = _solver.MakeIntVar(0, chp.AssetCount, "");
            stops[t] = _solver.MakeIntVar(0, chp.AssetCount, "");
            var before = t == 0 ? chp.UnitsRunningBefore : 0;
            var change = _solver.MakeConstraint(before, before, "");
            change.SetCoefficient(vars.UnitsOn![t], 1);
            if (t > 0)
            {
                change.SetCoefficient(vars.UnitsOn[t - 1], -1);
            }

            change.SetCoefficient(starts[t], -1);
            change.SetCoefficient(stops[t], 1);

            // A unit started in a slot is on in it, a unit stopped in it was on in the slot before.
            var startedOn = _solver.MakeConstraint(double.NegativeInfinity, 0, "");
            startedOn.SetCoefficient(starts[t], 1);
            startedOn.SetCoefficient(vars.UnitsOn[t], -1);
            var stoppedOn = _solver.MakeConstraint(double.NegativeInfinity, before, "");
            stoppedOn.SetCoefficient(stops[t], 1);
            if (t > 0)
            {
                stoppedOn.SetCoefficient(vars.UnitsOn[t - 1], -1);
            }
        }

        return (starts, stops);
    }

    /// <summary>
    /// Minimum up and down times of CHP groups (<see cref="ChpCommitment"/>): integer starts s_t and stops d_t per slot
    /// (<see cref="Switches"/>), Σ s over the last min-up slots +
    /// units held on ≤ n_t and Σ d over the last min-down slots + units held off ≤ units − n_t (the initial conditions:
    /// units whose min up or down time started before the horizon and is not yet served).
    /// </summary>
    private void AddCommitments()
    {
        foreach (var vars in _groups)
        {
            if (vars.Group is not ChpGroup { HasCommitment: true } chp)
            {
                continue;
            }

            var slots = _problem.SlotCount;
            var (starts, stops) = Switches(vars, chp);
            for (var t = 0; t < slots; t++)
            {
                var up = _solver.MakeConstraint(double.NegativeInfinity, -chp.UnitsHeldOnAt(t), "");
                up.SetCoefficient(vars.UnitsOn![t], -1);
                for (var k = Math.Max(0, t - chp.MinUpSlots + 1); k <= t; k++)
                {
                    up.SetCoefficient(starts[k], 1);
                }

                var down = _solver.MakeConstraint(double.NegativeInfinity, chp.AssetCount - chp.UnitsHeldOffAt(t), "");
                down.SetCoefficient(vars.UnitsOn[t], 1);
                for (var k = Math.Max(0, t - chp.MinDownSlots + 1); k <= t; k++)
                {
                    down.SetCoefficient(stops[k], 1);
                }
            }
        }
    }

    /// <summary>
    /// Starts of CHP groups whose starts cost (<see cref="ChpGroup.StartUpCostEur"/>) and that have none from
    /// <see cref="AddCommitments"/>: integer s_t ≥ n_t − n_(t−1) (n_(−1) = the units running before the horizon), s_t ≥ 0.
    /// The objective charges each start, so s_t is the rise of the units on where the profit is maximised.
    /// </summary>
    private void AddStartCounts()
    {
        foreach (var vars in _groups)
        {
            if (vars.Group is not ChpGroup { HasStartUpCost: true } chp || vars.Starts is not null)
            {
                continue;
            }

            var starts = vars.Starts = new Variable[_problem.SlotCount];
            for (var t = 0; t < starts.Length; t++)
            {
                starts[t] = _solver.MakeIntVar(0, chp.AssetCount, "");

                // s_t − n_t + n_(t−1) ≥ 0, with n_(−1) fixed
                var before = t == 0 ? chp.UnitsRunningBefore : 0;
                var rise = _solver.MakeConstraint(-before, double.PositiveInfinity, "");
                rise.SetCoefficient(starts[t], 1);
                rise.SetCoefficient(vars.UnitsOn![t], -1);
                if (t > 0)
                {
                    rise.SetCoefficient(vars.UnitsOn[t - 1], 1);
                }
            }
        }
    }

    /// <summary>
    /// The reserve held free in slot <paramref name="t"/>: <paramref name="upKw"/> upwards and <paramref name="downKw"/>
    /// downwards — the FCR band both ways (FcrBand: contracted power continuously available both ways, SOGL Art. 156(5))
    /// plus the aFRR capacity sold per direction (held available for the whole product time slice, regelleistung.net
    /// aFRR product terms). Each group's reserve up and down is at most its free power, a battery group's also at most
    /// what its stored energy at both ends of the slot sustains for the FCR activation time (FcrSocWindow; aFRR is held
    /// to the same energy window), and the reserves sum to the amounts (plus the <paramref name="probe"/> variable).
    /// </summary>
    private void AddBand(int t, double upKw, double downKw, Variable? probe)
    {
        var totalUp = _solver.MakeConstraint(upKw, double.PositiveInfinity, "");
        var totalDown = _solver.MakeConstraint(downKw, double.PositiveInfinity, "");
        if (probe is not null)
        {
            totalUp.SetCoefficient(probe, -1);
            totalDown.SetCoefficient(probe, -1);
        }

        foreach (var vars in _groups)
        {
            var group = vars.Group;
            var up = _solver.MakeNumVar(0, double.PositiveInfinity, "");
            var down = _solver.MakeNumVar(0, double.PositiveInfinity, "");
            totalUp.SetCoefficient(up, 1);
            totalDown.SetCoefficient(down, 1);
            Constraint upFree, downFree;
            switch (group)
            {
                case BatteryGroup battery:
                {
                    var range = battery.PlannedRangeAt(t);
                    upFree = _solver.MakeConstraint(double.NegativeInfinity, range.MaxKw, "");
                    downFree = _solver.MakeConstraint(double.NegativeInfinity, -range.MinKw, "");
                    var (belowPerKw, abovePerKw) = battery.FcrKwhPerKw(_problem.FcrActivationTime);
                    for (var end = t - 1; end <= t; end++)
                    {
                        var fixedKwh = end < 0 ? battery.StartStoredKwh : 0;

                        // E ≥ E_min + up·T/η_d  ⇔  up·below − E ≤ −E_min
                        var low = _solver.MakeConstraint(double.NegativeInfinity, -battery.MinStoredKwh + fixedKwh, "");
                        low.SetCoefficient(up, belowPerKw);

                        // E ≤ E_max − down·T·η_c  ⇔  down·above + E ≤ E_max
                        var high = _solver.MakeConstraint(double.NegativeInfinity, battery.MaxStoredKwh - fixedKwh, "");
                        high.SetCoefficient(down, abovePerKw);
                        if (end >= 0)
                        {
                            low.SetCoefficient(vars.Stored![end], -1);
                            high.SetCoefficient(vars.Stored![end], 1);
                        }
                    }

                    break;
                }

                case RenewableGroup renewable:
                    upFree = _solver.MakeConstraint(double.NegativeInfinity, renewable.PlannedRangeAt(t).MaxKw, "");
                    downFree = _solver.MakeConstraint(double.NegativeInfinity, 0, "");
                    break;
                case ChpGroup chp:
                    upFree = _solver.MakeConstraint(double.NegativeInfinity, 0, "");
                    upFree.SetCoefficient(vars.UnitsOn![t], -chp.UnitMaxKw);
                    downFree = _solver.MakeConstraint(double.NegativeInfinity, 0, "");
                    downFree.SetCoefficient(vars.UnitsOn[t], chp.UnitMinStableKw);
                    break;
                case FlexibleLoadGroup load:
                {
                    var range = load.PlannedRangeAt(t);
                    upFree = _solver.MakeConstraint(double.NegativeInfinity, range.MaxKw, "");
                    downFree = _solver.MakeConstraint(double.NegativeInfinity, -range.MinKw, "");
                    break;
                }

                default:
                    throw new ArgumentException($"unknown group type {group.GetType().Name}");
            }

            // up ≤ max − P  ⇔  up + P ≤ max;  down ≤ P − min  ⇔  down − P ≤ −min
            upFree.SetCoefficient(up, 1);
            vars.AddPower(upFree, t, 1);
            downFree.SetCoefficient(down, 1);
            vars.AddPower(downFree, t, -1);
        }
    }

    private void AddEndSoc()
    {
        var last = _problem.SlotCount - 1;
        foreach (var vars in _groups)
        {
            if (vars.Group is BatteryGroup battery)
            {
                var end = _solver.MakeConstraint(_problem.EndStoredKwh(battery), double.PositiveInfinity, "");
                end.SetCoefficient(vars.Stored![last], 1);
            }
        }
    }
}
