using Google.OrTools.LinearSolver;
using Vpp.Domain.GridServices;

namespace Vpp.Domain.Optimisation;

/// <summary>The reserve held free: the FCR band and the aFRR capacity sold, per group and in total.</summary>
internal sealed partial class ScheduleModel
{
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
}
