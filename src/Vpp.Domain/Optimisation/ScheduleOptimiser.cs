using System.Diagnostics;
using System.Globalization;
using Google.OrTools.LinearSolver;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Optimisation;

/// <summary>Why no schedule exists: the constraint family (<see cref="Families"/>), the slot where it fails, and a sentence.</summary>
public sealed record Infeasibility(string Constraint, DateTimeOffset SlotStart, string Message)
{
    public static class Families
    {
        public const string EndSoc = "endSoc", FcrBand = "fcrBand", Reserve = "reserve", Model = "model";
    }
}

/// <summary>
/// The optimiser's answer: a schedule (optimal, or the best found when the time limit cut a mixed-integer search
/// short), or the explanation of why none exists, or neither when the time limit passed before any schedule was found.
/// </summary>
public sealed record OptimisationResult(ProposedSchedule? Schedule, Infeasibility? Infeasibility, bool Optimal, TimeSpan SolveTime)
{
    public bool TimedOut => Schedule is null && Infeasibility is null;
}

/// <summary>
/// Proposes a fleet schedule from prices with a linear program (Google OR-Tools: GLOP; SCIP when CHP groups add
/// integers): maximise Σ price × export energy − operating cost subject to each group's limits, the battery energy
/// balance, SoC bounds and end condition, ramp limits and the FCR band held free in both directions. With the
/// self-consumption objective it first minimises the energy imported, then maximises that profit holding the import
/// at its least (two solves of one program). When the program
/// is infeasible, it names the constraint family and the slot by solving relaxed programs — it never returns a
/// schedule that breaks a constraint.
/// </summary>
public static class ScheduleOptimiser
{
    public const string Method = "linearProgram";

    public static OptimisationResult Solve(OptimisationProblem problem, TimeSpan timeLimit, CancellationToken cancellationToken = default)
    {
        DomainValidationException.ThrowIfAny(problem.Validate());
        var watch = Stopwatch.StartNew();
        using var model = new ScheduleModel(problem, fcrSlots: problem.SlotCount, endSoc: true, ScheduleModel.Goal.Profit);
        var status = model.Solve(Remaining(timeLimit, watch), cancellationToken);
        if (problem.SelfConsumption && (status is Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE))
        {
            // Lexicographic: the least import first, then the most profit without importing more.
            var optimalImport = status == Solver.ResultStatus.OPTIMAL;
            model.HoldImportAndMaximiseProfit(-model.ObjectiveValue);
            status = model.Solve(Remaining(timeLimit, watch), cancellationToken);
            if (!optimalImport && status == Solver.ResultStatus.OPTIMAL)
            {
                status = Solver.ResultStatus.FEASIBLE;
            }
        }

        if (status is Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE)
        {
            return new OptimisationResult(
                ScheduleEvaluation.Evaluate(Method, problem, model.Plans()), null, status == Solver.ResultStatus.OPTIMAL, watch.Elapsed);
        }

        if (status != Solver.ResultStatus.INFEASIBLE)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new OptimisationResult(null, null, false, watch.Elapsed);
        }

        var why = Diagnose(problem, () => Remaining(timeLimit, watch), cancellationToken);
        return new OptimisationResult(null, why, false, watch.Elapsed);
    }

    private static TimeSpan Remaining(TimeSpan limit, Stopwatch watch) =>
        limit - watch.Elapsed is var left && left > TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Finds the family and slot that make the program infeasible: first without the end-SoC condition (when that is
    /// feasible, the end condition is at fault and the shortfall is the most the batteries can reach); else the first
    /// slot whose reserve (FCR band, aFRR capacity) cannot be held, by bisecting how many slots carry it.
    /// </summary>
    private static Infeasibility Diagnose(OptimisationProblem problem, Func<TimeSpan> remaining, CancellationToken ct)
    {
        var lastSlot = problem.SlotStart(problem.SlotCount - 1);
        if (Feasible(problem, problem.SlotCount, endSoc: false, remaining(), ct))
        {
            using var reach = new ScheduleModel(problem, problem.SlotCount, endSoc: false, ScheduleModel.Goal.EndShortfall);
            reach.Solve(remaining(), ct);
            var shortKwh = -reach.ObjectiveValue;
            return new Infeasibility(
                Infeasibility.Families.EndSoc,
                lastSlot,
                $"SoC end condition cannot be met: {Mwh(shortKwh)} MWh short at {Clock(lastSlot)} (the batteries must end at "
                + (problem.EndSocPercent is { } end ? $"{end:0.##} % SoC" : "at least their start SoC") + ")");
        }

        if (!Feasible(problem, 0, endSoc: false, remaining(), ct))
        {
            return new Infeasibility(Infeasibility.Families.Model, problem.From, "the fleet's limits admit no schedule at all");
        }

        // Smallest k with the band in slots [0, k) infeasible: slot k − 1 is the first that cannot hold it.
        int feasibleSlots = 0, infeasibleSlots = problem.SlotCount;
        while (infeasibleSlots - feasibleSlots > 1)
        {
            var middle = (feasibleSlots + infeasibleSlots) / 2;
            if (Feasible(problem, middle, endSoc: false, remaining(), ct))
            {
                feasibleSlots = middle;
            }
            else
            {
                infeasibleSlots = middle;
            }
        }

        var slot = infeasibleSlots - 1;
        using var probe = new ScheduleModel(problem, slot, endSoc: false, ScheduleModel.Goal.BandAt, probeSlot: slot);
        probe.Solve(remaining(), ct);
        var start = problem.SlotStart(slot);
        var can = $"the fleet can hold at most ±{Math.Max(0, probe.ObjectiveValue):0.###} kW there (power and battery energy for "
            + $"{problem.FcrActivationTime.TotalMinutes:0} min each way)";
        return problem.HasAfrr
            ? new Infeasibility(
                Infeasibility.Families.Reserve,
                start,
                $"reserve +{problem.ReserveUpAt(slot):0.###}/−{problem.ReserveDownAt(slot):0.###} kW (FCR band ±{problem.FcrBandAt(slot):0.###} kW, "
                + $"aFRR capacity +{problem.AfrrUpKw:0.###}/−{problem.AfrrDownKw:0.###} kW) cannot be held free at {Clock(start)}: {can}")
            : new Infeasibility(
                Infeasibility.Families.FcrBand,
                start,
                $"FCR band ±{problem.FcrBandAt(slot):0.###} kW cannot be held free in both directions at {Clock(start)}: {can}");
    }

    private static bool Feasible(OptimisationProblem problem, int fcrSlots, bool endSoc, TimeSpan limit, CancellationToken ct)
    {
        using var model = new ScheduleModel(problem, fcrSlots, endSoc, ScheduleModel.Goal.Profit);
        var status = model.Solve(limit, ct);
        ct.ThrowIfCancellationRequested();
        return status is Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE;
    }

    private static string Mwh(double kwh) => (kwh / 1000).ToString("0.###", CultureInfo.InvariantCulture);

    private static string Clock(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
