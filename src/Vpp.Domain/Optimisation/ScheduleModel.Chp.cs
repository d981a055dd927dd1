using Google.OrTools.LinearSolver;

namespace Vpp.Domain.Optimisation;

/// <summary>The CHP groups' integer constraints: starts and stops, min up and down times, start counts, ramps of running units.</summary>
internal sealed partial class ScheduleModel
{
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
    /// A CHP group's ramp of its running units only (<see cref="ChpGroup.RampBounds"/>), with its starts s_t and stops
    /// d_t: P_t − P_(t−1) ≤ r·(n_t − s_t) + s_t·start ramp − d_t·min stable and
    /// P_(t−1) − P_t ≤ r·(n_t − s_t) + d_t·max − s_t·min stable.
    /// </summary>
    private void AddChpRamps(GroupVars vars, ChpGroup chp)
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
    }
}
