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
    /// |P_t − P_(t−1)| ≤ ramp rate × slot length, for groups with a ramp rate; a CHP group's ramp holds for its running
    /// units only (<see cref="AddChpRamps"/>).
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
                AddChpRamps(vars, chp);
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
