using FsCheck.Xunit;
using Vpp.Domain.Assets;
using Vpp.Domain.Optimisation;
using static Vpp.Domain.Tests.Optimisation.OptimisationCases;

namespace Vpp.Domain.Tests.Optimisation;

/// <summary>
/// CHP minimum up and down times in the program and in the greedy baseline: hand-solved cases with one 100 kW unit
/// that runs at exactly 100 kW (min stable power = max power) at 50 EUR/MWh, so each slot on earns (price − 50) × 25 kWh;
/// and properties on generated price series, checked by <see cref="UnitRuns"/>, a unit-by-unit reading of the plan.
/// </summary>
public sealed class ChpRunTimeTests
{
    private const double Tolerance = 1e-4;

    private static ChpGroup Unit(int minUpSlots = 1, int minDownSlots = 1, int units = 1) =>
        new("chp", units, UnitMaxKw: 100, UnitMinStableKw: 100, MarginalCostEurPerMwh: 50) { MinUpSlots = minUpSlots, MinDownSlots = minDownSlots };

    [Fact]
    public void A_price_dip_shorter_than_the_min_down_time_keeps_the_chp_on()
    {
        // Off in the dip would earn 4 × 0.75 EUR, but a unit stopped in slot 2 must stay off for slots 2–4. By hand:
        // on throughout 4 × 0.75 − 0.25 = 2.75 EUR; the best alternative, on only in slots 0–1 (or 3–4), 1.5 EUR.
        var problem = Problem([80, 80, 40, 80, 80], Unit(minDownSlots: 3));

        var schedule = Optimal(problem);
        var greedy = GreedySchedule.Solve(problem)!;

        Assert.All(schedule.Slots, s => Assert.Equal(100, s.TargetKw, Tolerance));
        Assert.Equal(2.75, schedule.ProfitEur, Tolerance);
        Assert.Equal(2.75, greedy.ProfitEur, Tolerance);
        Assert.All(greedy.Slots, s => Assert.Equal(100, s.TargetKw, Tolerance));
    }

    [Fact]
    public void A_price_spike_shorter_than_the_min_up_time_is_not_chased_when_it_does_not_pay_for_the_whole_run()
    {
        // The spike earns 70 × 25 kWh = 1.75 EUR, but a start must run 4 slots: the 3 slots after it lose 3 × 0.75 EUR.
        var problem = Problem([20, 120, 20, 20, 20, 20], Unit(minUpSlots: 4));

        var schedule = Optimal(problem);
        var greedy = GreedySchedule.Solve(problem)!;

        Assert.All(schedule.Slots, s => Assert.Equal(0, s.TargetKw, Tolerance));
        Assert.Equal(0, schedule.ProfitEur, Tolerance);
        Assert.All(greedy.Slots, s => Assert.Equal(0, s.TargetKw, Tolerance));
    }

    [Fact]
    public void A_spike_that_pays_for_the_min_up_time_runs_the_cheapest_window_around_it()
    {
        // Slots 1–4: 3.75 − 0.5 − 0.5 − 0.75 = 2.0 EUR; slots 0–3: −1.0 + 3.75 − 0.5 − 0.5 = 1.75 EUR.
        var problem = Problem([10, 200, 30, 30, 20, 20], Unit(minUpSlots: 4));

        var schedule = Optimal(problem);
        var greedy = GreedySchedule.Solve(problem)!;

        Assert.Equal([0, 100, 100, 100, 100, 0], schedule.Slots.Select(s => Math.Round(s.TargetKw, 3)));
        Assert.Equal(2.0, schedule.ProfitEur, Tolerance);
        Assert.Contains("chp.minUp", schedule.Slots[2].Binding);
        Assert.DoesNotContain("chp.minUp", schedule.Slots[1].Binding);
        Assert.Equal(2.0, greedy.ProfitEur, Tolerance);
    }

    [Fact]
    public void A_min_down_time_keeps_a_stopped_unit_off_when_a_second_peak_comes_too_soon_to_pay_for_the_valley()
    {
        // Min down 3. Peaks in slots 0–1 and 3–4 (+1.25 EUR each slot) around a valley of 10 EUR/MWh (−1.0 EUR):
        // running through earns 4 × 1.25 − 1.0 = 4.0 EUR, one peak only 2.5 EUR. Around a valley of −100 EUR/MWh
        // (−3.75 EUR) with the second peak at 90 EUR/MWh (+1.0 EUR each slot): through 0.75 EUR, the second peak only
        // 2.0 EUR, slots 0 and 4 (off for exactly 3 slots) 2.25 EUR, the first peak only 2.5 EUR — the best.
        var through = Optimal(Problem([100, 100, 10, 100, 100], Unit(minDownSlots: 3)));
        var dropped = Problem([100, 100, -100, 90, 90], Unit(minDownSlots: 3));
        var droppedSchedule = Optimal(dropped);

        Assert.Equal(4.0, through.ProfitEur, Tolerance);
        Assert.Equal([100, 100, 0, 0, 0], droppedSchedule.Slots.Select(s => Math.Round(s.TargetKw, 3)));
        Assert.Equal(2.5, droppedSchedule.ProfitEur, Tolerance);
        Assert.Contains("chp.minDown", droppedSchedule.Slots[3].Binding);
        Assert.Equal(2.5, GreedySchedule.Solve(dropped)!.ProfitEur, Tolerance);
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData(0.0, 1)]
    [InlineData(60.0, 1)]
    [InlineData(900.0, 1)]
    [InlineData(901.0, 2)]
    [InlineData(1200.0, 2)]
    [InlineData(7200.0, 8)]
    public void A_run_time_in_seconds_becomes_whole_quarter_hours_rounded_up(double? seconds, int slots) =>
        Assert.Equal(slots, ChpGroup.Slots(seconds));

    [Fact]
    public void Chp_units_with_different_min_up_or_down_quarter_hours_are_different_groups()
    {
        var from = Midnight;
        AssetSpec Chp(double upSeconds, double downSeconds) => new()
        {
            FleetId = "f", Kind = AssetKind.Chp, MinPowerKw = 0, MaxPowerKw = 50, MinStablePowerKw = 20, MarginalCostEurPerMwh = 80,
            MinUpTimeSeconds = upSeconds, MinDownTimeSeconds = downSeconds,
        };

        // 1,200 s and 1,800 s are both two quarter hours: one group; two hours up or one hour down are others.
        var totals = GroupTotals.Fold(new[] { Chp(1200, 0), Chp(1800, 0), Chp(7200, 3600), Chp(7200, 0) }
            .Select(spec => GroupTotals.Of(spec, null, null, [], from, 4)!));
        var groups = totals.Select(t => (ChpGroup)t.ToGroup(4)).OrderBy(g => g.MinUpSlots).ThenBy(g => g.MinDownSlots).ToList();

        Assert.Equal([(2, 1, 2), (8, 1, 1), (8, 4, 1)], groups.Select(g => (g.MinUpSlots, g.MinDownSlots, g.AssetCount)));
        Assert.Equal(groups.Count, groups.Select(g => g.Name).Distinct().Count());
    }

    private sealed record Case(OptimisationProblem Problem, ChpGroup[] Chps);

    /// <summary>
    /// 1–2 CHP groups of 1–3 units with min up and down times of 1–6 slots, a start-up cost of 0–8 EUR (free in a
    /// third of the groups), some units on before the horizon and each
    /// unit held on or off for 0 to its min time − 1 slots, maybe a battery, 8–40 slots of prices from −50 to 200 EUR/MWh.
    /// </summary>
    private static Case Draw(int seed)
    {
        var random = new Random(seed);
        var slots = random.Next(8, 41);
        var prices = Enumerable.Range(0, slots).Select(_ => Math.Round((random.NextDouble() * 250) - 50, 2)).ToArray();
        var chps = Enumerable.Range(0, random.Next(1, 3)).Select(i =>
        {
            var maxKw = 20 + (random.NextDouble() * 200);
            var (units, up, down) = (random.Next(1, 4), random.Next(1, 7), random.Next(1, 7));
            var on = random.Next(0, units + 1);
            var heldOn = Enumerable.Range(0, on).Select(_ => random.Next(0, up)).ToArray();
            var heldOff = Enumerable.Range(0, units - on).Select(_ => random.Next(0, down)).ToArray();
            var startUpCostEur = random.Next(3) == 0 ? 0 : Math.Round(random.NextDouble() * 8, 2);

            // A third of the groups ramp at 5–60 % of a unit's max power per quarter hour.
            double? rampKwPerSecond = random.Next(3) == 0 ? units * maxKw * (0.05 + (0.55 * random.NextDouble())) / 900 : null;
            return new ChpGroup($"chp-{i}", units, maxKw, maxKw * random.NextDouble(), random.Next(20, 120))
            {
                RampKwPerSecond = rampKwPerSecond,
                MinUpSlots = up,
                MinDownSlots = down,
                StartUpCostEur = startUpCostEur,
                UnitsOnBefore = on,
                UnitsHeldOn = [.. Enumerable.Range(0, slots).Select(t => heldOn.Count(r => r > t))],
                UnitsHeldOff = [.. Enumerable.Range(0, slots).Select(t => heldOff.Count(r => r > t))],
            };
        }).ToArray();
        var groups = new List<FleetGroup>(chps);
        if (random.Next(2) == 0)
        {
            groups.Add(Battery(capacityKwh: 50 + (random.NextDouble() * 200), powerKw: 20 + (random.NextDouble() * 100)));
        }

        return new Case(new OptimisationProblem { From = Midnight, PricesEurPerMwh = prices, Groups = groups }, chps);
    }

    [Property(MaxTest = 40)]
    public void Both_schedules_keep_every_units_min_up_and_down_times(int seed)
    {
        var (problem, chps) = Draw(seed);
        var optimal = Optimal(problem);
        var greedy = GreedySchedule.Solve(problem)!;

        foreach (var chp in chps)
        {
            foreach (var schedule in new[] { optimal, greedy })
            {
                var kw = schedule.Slots.Select(s => s.Groups.Single(g => g.Group == chp.Name).PowerKw).ToArray();
                var broken = UnitRuns.Broken(kw, chp);
                Assert.True(broken is null, $"{schedule.Method}, {chp.Name} (up {chp.MinUpSlots}, down {chp.MinDownSlots}): {broken}; kW {string.Join(", ", kw.Select(p => p.ToString("0.#")))}");
            }
        }
    }

    /// <summary>
    /// The ramp holds inside a unit's running band only: some split of the units into k running in both slots, the
    /// others started or stopped, explains every change of a ramped group's power — the k running units move by the
    /// unit ramp r, a started unit reaches min stable power + r (at most its max), a stopped one leaves from any power.
    /// </summary>
    [Property(MaxTest = 40)]
    public void Both_schedules_move_a_ramped_groups_power_only_as_its_running_starting_and_stopping_units_can(int seed)
    {
        var (problem, chps) = Draw(seed);
        foreach (var schedule in new[] { Optimal(problem), GreedySchedule.Solve(problem)! })
        {
            foreach (var chp in chps.Where(c => c.RampKwPerSecond is not null))
            {
                var slots = schedule.Slots.Select(s => s.Groups.Single(g => g.Group == chp.Name)).ToArray();
                var rampKw = chp.RampKwPerSecond!.Value * 900 / chp.AssetCount;
                var startKw = Math.Min(chp.UnitMaxKw, chp.UnitMinStableKw + rampKw);
                for (var t = 1; t < slots.Length; t++)
                {
                    var (before, now) = (slots[t - 1].UnitsOn!.Value, slots[t].UnitsOn!.Value);
                    var riseKw = slots[t].PowerKw - slots[t - 1].PowerKw;
                    var explained = Enumerable.Range(0, Math.Min(before, now) + 1).Any(kept =>
                    {
                        var (started, stopped) = (now - kept, before - kept);
                        return riseKw <= (kept * rampKw) + (started * startKw) - (stopped * chp.UnitMinStableKw) + 1e-3
                            && -riseKw <= (kept * rampKw) + (stopped * chp.UnitMaxKw) - (started * chp.UnitMinStableKw) + 1e-3;
                    });
                    Assert.True(explained, $"{schedule.Method}, {chp.Name} slot {t}: {slots[t - 1].PowerKw:0.###} kW ({before} on) → {slots[t].PowerKw:0.###} kW ({now} on), unit ramp {rampKw:0.###} kW");
                }
            }
        }
    }

    [Property(MaxTest = 40)]
    public void The_optimised_schedule_with_run_times_never_earns_less_than_the_greedy_baseline(int seed)
    {
        var (problem, _) = Draw(seed);
        var optimal = Optimal(problem);
        var greedy = GreedySchedule.Solve(problem)!;

        Assert.True(
            optimal.ProfitEur >= greedy.ProfitEur - 1e-6 - (1e-6 * Math.Abs(greedy.ProfitEur)),
            $"optimised {optimal.ProfitEur} EUR < greedy {greedy.ProfitEur} EUR");
    }

    /// <summary>
    /// Whether some way of running the group's individual units gives its power in every slot and keeps every unit's
    /// min up and down times, from the state before the first slot (<see cref="ChpGroup.UnitsOnBefore"/> units on, those
    /// held on having run and those held off having rested as many slots short of their min time as they are held, the
    /// others long enough to switch). A slot's power allows any count of
    /// units on between power ÷ max power and power ÷ min stable power; a rise in the count starts the units that
    /// have been off longest, a fall stops those that have run longest (the choice that leaves every unit the longest
    /// runs and rests). Every reachable state of the units (each one's on/off and slots since its last change, capped)
    /// is followed slot by slot; the answer names the first slot no state reaches.
    /// </summary>
    private static class UnitRuns
    {
        public static string? Broken(double[] kw, ChpGroup chp)
        {
            var cap = Math.Max(chp.MinUpSlots, chp.MinDownSlots);
            var units = chp.AssetCount;

            // A unit's state: +k running for k slots, −k off for k slots (capped at the longest run time).
            var states = new HashSet<string> { Key(Before(chp, cap)) };
            for (var t = 0; t < kw.Length; t++)
            {
                var least = (int)Math.Ceiling((kw[t] / chp.UnitMaxKw) - 1e-6);
                var most = chp.UnitMinStableKw > 0 ? (int)Math.Floor((kw[t] / chp.UnitMinStableKw) + 1e-6) : units;
                var next = new HashSet<string>();
                foreach (var key in states)
                {
                    var state = key.Split(',').Select(int.Parse).ToArray();
                    for (var on = Math.Max(0, least); on <= Math.Min(units, most); on++)
                    {
                        if (Step(state, on, chp, cap) is { } after)
                        {
                            next.Add(Key(after));
                        }
                    }
                }

                if (next.Count == 0)
                {
                    return $"no way to run {units} units for {kw[t]:0.###} kW in slot {t} after the slots before";
                }

                states = next;
            }

            return null;
        }

        /// <summary>Each unit's state before the first slot: held for r slots ⇒ on for min up − r or off for min down − r slots.</summary>
        private static int[] Before(ChpGroup chp, int cap)
        {
            int Held(IReadOnlyList<int> held, int rank) => Enumerable.Range(0, held.Count).Count(t => held[t] > rank);
            var on = Enumerable.Range(0, chp.UnitsOnBefore).Select(u => Held(chp.UnitsHeldOn, u) is > 0 and var r ? chp.MinUpSlots - r : cap);
            var off = Enumerable.Range(0, chp.AssetCount - chp.UnitsOnBefore).Select(u => Held(chp.UnitsHeldOff, u) is > 0 and var r ? -(chp.MinDownSlots - r) : -cap);
            return [.. on.Concat(off)];
        }

        private static int[]? Step(int[] state, int on, ChpGroup chp, int cap)
        {
            var after = (int[])state.Clone();
            var running = state.Count(s => s > 0);
            for (var change = on - running; change > 0; change--)
            {
                var unit = Enumerable.Range(0, after.Length).Where(u => after[u] < 0).OrderBy(u => after[u]).First(); // longest off
                if (-after[unit] < chp.MinDownSlots)
                {
                    return null;
                }

                after[unit] = 0; // started in this slot: counted below
            }

            for (var change = running - on; change > 0; change--)
            {
                var unit = Enumerable.Range(0, after.Length).Where(u => after[u] > 0).OrderByDescending(u => after[u]).First(); // longest on
                if (after[unit] < chp.MinUpSlots)
                {
                    return null;
                }

                after[unit] = int.MinValue; // stopped in this slot: counted below
            }

            for (var u = 0; u < after.Length; u++)
            {
                after[u] = after[u] == int.MinValue ? -1 : after[u] >= 0 ? Math.Min(cap, after[u] + 1) : Math.Max(-cap, after[u] - 1);
            }

            return after;
        }

        private static string Key(int[] state) => string.Join(',', state.Order());
    }
}
