using Google.OrTools.LinearSolver;
using Vpp.Domain.Schedules;

namespace Vpp.Domain.Optimisation;

/// <summary>The objectives the program is solved for: profit, import, and the end-SoC shortfall of the diagnosis.</summary>
internal sealed partial class ScheduleModel
{
    /// <summary>
    /// Σ over slots of (price − marginal cost) × energy; a battery pays its cost on charge and discharge, a CHP group
    /// its start-up cost on every unit started.
    /// </summary>
    private void SetProfit(Objective objective)
    {
        var perKw = QuarterHour.Hours / 1000;
        foreach (var vars in _groups)
        {
            var cost = vars.Group.MarginalCostEurPerMwh;
            for (var t = 0; t < _problem.SlotCount; t++)
            {
                if (vars.Group is ChpGroup { HasStartUpCost: true } chp)
                {
                    objective.SetCoefficient(vars.Starts![t], -chp.StartUpCostEur);
                }

                var price = _problem.PricesEurPerMwh[t];
                if (vars.Group is BatteryGroup)
                {
                    objective.SetCoefficient(vars.Discharge![t], (price - cost) * perKw);
                    objective.SetCoefficient(vars.Charge![t], (-price - cost) * perKw);
                }
                else
                {
                    objective.SetCoefficient(vars.Power[t], (price - cost) * perKw);
                }
            }
        }
    }

    /// <summary>
    /// −Σ over slots of the energy imported (kWh): import_t ≥ 0 and import_t ≥ −(Σ groups' power), the fleet's net
    /// intake, so the batteries shift PV and wind surplus into the hours the loads would otherwise take from the grid.
    /// </summary>
    private void SetImport(Objective objective)
    {
        _importKw = new Variable[_problem.SlotCount];
        for (var t = 0; t < _problem.SlotCount; t++)
        {
            var import = _importKw[t] = _solver.MakeNumVar(0, double.PositiveInfinity, "");
            var intake = _solver.MakeConstraint(0, double.PositiveInfinity, "");
            intake.SetCoefficient(import, 1);
            foreach (var vars in _groups)
            {
                vars.AddPower(intake, t, 1);
            }

            objective.SetCoefficient(import, -QuarterHour.Hours);
        }
    }

    /// <summary>Σ over battery groups of min(0, E_end − required): the energy the batteries end short, negated.</summary>
    private void SetEndShortfall(Objective objective)
    {
        var last = _problem.SlotCount - 1;
        foreach (var vars in _groups)
        {
            if (vars.Group is BatteryGroup battery)
            {
                var shortfall = _solver.MakeNumVar(double.NegativeInfinity, 0, "");
                var bound = _solver.MakeConstraint(double.NegativeInfinity, -_problem.EndStoredKwh(battery), "");
                bound.SetCoefficient(shortfall, 1);
                bound.SetCoefficient(vars.Stored![last], -1);
                objective.SetCoefficient(shortfall, 1);
            }
        }
    }
}
