using Vpp.Domain.Schedules;

namespace Vpp.Domain.Optimisation;

/// <summary>
/// The greedy baseline's CHP units (<see cref="GreedySchedule"/>): run where the price pays, then repaired for minimum
/// up and down times and start-up costs, so that the baseline meets the same constraints and pays the same costs as
/// the program.
/// </summary>
internal static class GreedyChp
{
    public static int[] Units(int slots, Func<int, int> at) => [.. Enumerable.Range(0, slots).Select(at)];

    /// <summary>
    /// A CHP group with minimum up or down times or start-up costs: all its available units run where the price pays,
    /// then the runs are repaired in the cheaper direction, one violation at a time — a gap shorter than the min down
    /// time is run through or one of the runs beside it dropped; a run shorter than the min up time (unless it lasts
    /// to the end of the horizon) is extended to the best window of the min up time around it or dropped. With min up
    /// or down times each run keeps the units available in all of its slots, so units neither stop nor start inside a
    /// run (<see cref="UnitsOn"/>). Every repair removes a run or
    /// lengthens a short one, so the loop ends. The state before the horizon counts: slots with units held on run
    /// (they are never dropped), units held off are not available, a run from the first slot continues the units on
    /// before it (no min up time of its own), and a first run that starts too soon after units on before the horizon
    /// stopped is started at the first slot or dropped. Where starts cost, runs are then dropped or joined while that
    /// pays (<see cref="PayStarts"/>). Should a run still break a rule, only the units held on run, each until its min
    /// up time is served.
    /// </summary>
    public static int[] Committed(OptimisationProblem problem, ChpGroup chp)
    {
        var slots = problem.SlotCount;
        var available = Units(slots, chp.UnitsAllowedAt);
        var held = Units(slots, chp.UnitsHeldOnAt);
        var valueEur = Enumerable.Range(0, slots)
            .Select(t => held[t] > 0 ? double.PositiveInfinity : MarginEur(problem, chp, t, available[t])).ToArray();
        var on = Enumerable.Range(0, slots).Select(t => available[t] > 0 && valueEur[t] > 0).ToArray();
        for (var repair = 0; repair <= 3 * slots; repair++)
        {
            if (!Repair(on, valueEur, available, chp))
            {
                break;
            }
        }

        if (chp.HasStartUpCost)
        {
            PayStarts(problem, chp, on, available);
        }

        var units = UnitsOn(chp, on, available);
        return ChpCommitment.Holds(chp, units) ? units : held;
    }

    /// <summary>
    /// Start-up costs on the repaired runs: the best of dropping a run (its margin does not cover its start cost) or
    /// running through a gap between two runs, or from the horizon's start into the first run after units on before
    /// it (the loss in the gap is less than the start it saves), taken while one raises the profit with start costs and
    /// keeps the min up and down times (<see cref="ChpCommitment.Holds"/>). Each step removes a run, so the loop ends.
    /// </summary>
    private static void PayStarts(OptimisationProblem problem, ChpGroup chp, bool[] on, int[] available)
    {
        for (var step = 0; step < on.Length; step++)
        {
            var runs = Runs(on);
            var (bestEur, best) = (ProfitEur(problem, chp, UnitsOn(chp, on, available)), (bool[]?)null);
            var gaps = runs.Skip(1).Select((run, i) => (From: runs[i].End, To: run.Start)).ToList();
            if (chp.UnitsRunningBefore > 0 && runs.Count > 0 && runs[0].Start > 0)
            {
                gaps.Add((0, runs[0].Start));
            }

            var candidates = runs.Select(run => (run.Start, run.End, Value: false))
                .Concat(gaps.Where(g => Enumerable.Range(g.From, g.To - g.From).All(t => available[t] > 0)).Select(g => (Start: g.From, End: g.To, Value: true)));
            foreach (var (start, end, value) in candidates)
            {
                var candidate = (bool[])on.Clone();
                Array.Fill(candidate, value, start, end - start);
                var units = UnitsOn(chp, candidate, available);
                if (ProfitEur(problem, chp, units) is var eur && eur > bestEur + 1e-9 && ChpCommitment.Holds(chp, units))
                {
                    (bestEur, best) = (eur, candidate);
                }
            }

            if (best is null)
            {
                return;
            }

            Array.Copy(best, on, on.Length);
        }
    }

    /// <summary>
    /// Units on per slot of the runs: with min up or down times the units available in all of a run's slots, so units
    /// neither start nor stop inside it; without, the units available in each slot.
    /// </summary>
    private static int[] UnitsOn(ChpGroup chp, bool[] on, int[] available)
    {
        var units = new int[on.Length];
        foreach (var (start, end) in Runs(on))
        {
            var level = Enumerable.Range(start, end - start).Min(t => available[t]);
            for (var t = start; t < end; t++)
            {
                units[t] = chp.HasCommitment ? level : available[t];
            }
        }

        return units;
    }

    /// <summary>The group's margin at full power over the horizon less its start-up costs (EUR), as the schedule evaluates it.</summary>
    private static double ProfitEur(OptimisationProblem problem, ChpGroup chp, int[] units) =>
        Enumerable.Range(0, units.Length).Sum(t =>
            MarginEur(problem, chp, t, units[t]) - (chp.StartUpCostEur * ChpCommitment.StartedWithin(chp, units, t, 1)));

    /// <summary>What <paramref name="units"/> units at full power earn over slot <paramref name="t"/> above their marginal cost (EUR).</summary>
    private static double MarginEur(OptimisationProblem problem, ChpGroup chp, int t, int units) =>
        (problem.PricesEurPerMwh[t] - chp.MarginalCostEurPerMwh) * units * chp.UnitMaxKw * QuarterHour.Hours / 1000;

    /// <summary>Repairs the first run or gap that breaks a min up or down time; false when none does.</summary>
    private static bool Repair(bool[] on, double[] valueEur, int[] available, ChpGroup chp)
    {
        var slots = on.Length;
        var runs = Runs(on);
        double Value(int from, int to) => Enumerable.Range(from, to - from).Sum(t => valueEur[t]);
        void Set(int from, int to, bool value) => Array.Fill(on, value, from, to - from);

        // Units on before the horizon that stop at its start rest the min down time before the first run.
        var onBefore = chp.UnitsOnBefore > 0;
        if (onBefore && runs.Count > 0 && runs[0].Start > 0 && runs[0].Start < chp.MinDownSlots)
        {
            var (first, firstEnd) = runs[0];
            if (Enumerable.Range(0, first).All(t => available[t] > 0) && -Value(0, first) <= Value(first, firstEnd))
            {
                Set(0, first, true);
            }
            else
            {
                Set(first, firstEnd, false);
            }

            return true;
        }

        for (var i = 0; i + 1 < runs.Count; i++)
        {
            var (gapFrom, gapTo) = (runs[i].End, runs[i + 1].Start);
            if (gapTo - gapFrom >= chp.MinDownSlots)
            {
                continue;
            }

            // Cost of each repair: the loss of running through the gap, or the profit of the run dropped.
            var fill = Enumerable.Range(gapFrom, gapTo - gapFrom).All(t => available[t] > 0) ? -Value(gapFrom, gapTo) : double.PositiveInfinity;
            var (dropLeft, dropRight) = (Value(runs[i].Start, runs[i].End), Value(runs[i + 1].Start, runs[i + 1].End));
            if (fill <= Math.Min(dropLeft, dropRight))
            {
                Set(gapFrom, gapTo, true);
            }
            else if (dropLeft <= dropRight)
            {
                Set(runs[i].Start, runs[i].End, false);
            }
            else
            {
                Set(runs[i + 1].Start, runs[i + 1].End, false);
            }

            return true;
        }

        foreach (var (start, end) in runs)
        {
            if (end - start >= chp.MinUpSlots || end == slots || (start == 0 && onBefore))
            {
                continue;
            }

            // The best window of min-up slots (cut at the horizon's end) that holds the run and has units available.
            var (bestFrom, bestTo, bestGain) = (-1, -1, double.NegativeInfinity);
            for (var from = Math.Max(0, end - chp.MinUpSlots); from <= start; from++)
            {
                var to = Math.Min(slots, from + chp.MinUpSlots);
                if (Enumerable.Range(from, to - from).All(t => available[t] > 0))
                {
                    var gain = Enumerable.Range(from, to - from).Where(t => !on[t]).Sum(t => valueEur[t]);
                    if (gain > bestGain)
                    {
                        (bestFrom, bestTo, bestGain) = (from, to, gain);
                    }
                }
            }

            if (bestFrom >= 0 && -bestGain < Value(start, end))
            {
                Set(bestFrom, bestTo, true);
            }
            else
            {
                Set(start, end, false);
            }

            return true;
        }

        return false;
    }

    private static List<(int Start, int End)> Runs(bool[] on)
    {
        var runs = new List<(int Start, int End)>();
        for (var t = 0; t < on.Length; t++)
        {
            if (on[t] && (t == 0 || !on[t - 1]))
            {
                var end = t;
                while (end < on.Length && on[end])
                {
                    end++;
                }

                runs.Add((t, end));
            }
        }

        return runs;
    }
}
