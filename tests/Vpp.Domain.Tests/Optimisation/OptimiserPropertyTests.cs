using FsCheck.Xunit;
using Vpp.Domain.Assets;
using Vpp.Domain.GridServices;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Schedules;
using static Vpp.Domain.Tests.Optimisation.OptimisationCases;

namespace Vpp.Domain.Tests.Optimisation;

/// <summary>
/// Invariants of optimised schedules on random fleets and price series (each drawn from the seed FsCheck hands the
/// property, so a failure names a seed that reproduces it). The checks recompute SoC and free power from the battery
/// model and the FCR rules, independently of the optimiser's own evaluation.
/// </summary>
public sealed class OptimiserPropertyTests
{
    private const double ToleranceKw = 1e-3;
    private const double ToleranceKwh = 1e-3;

    private sealed record Case(OptimisationProblem Problem, BatteryGroup[] Batteries);

    /// <summary>1–3 battery groups, maybe PV and a flexible load, 4–48 slots of prices from −100 to 300 EUR/MWh, maybe an FCR band.</summary>
    private static Case Draw(int seed, bool withBand)
    {
        var random = new Random(seed);
        var slots = random.Next(4, 49);
        var prices = Enumerable.Range(0, slots).Select(_ => Math.Round((random.NextDouble() * 400) - 100, 2)).ToArray();
        var batteries = Enumerable.Range(0, random.Next(1, 4)).Select(i =>
        {
            var minSoc = random.Next(0, 20);
            var maxSoc = random.Next(80, 101);
            var efficiency = Math.Sqrt(0.8 + (0.15 * random.NextDouble()));
            var energy = new BatteryEnergy(50 + (random.NextDouble() * 500), minSoc, maxSoc, efficiency, efficiency, 20 + (random.NextDouble() * 200), 20 + (random.NextDouble() * 200));
            return new BatteryGroup($"battery-{i}", random.Next(1, 100), energy, minSoc + ((maxSoc - minSoc) * (0.3 + (0.4 * random.NextDouble()))), random.Next(0, 10))
            {
                // No derating, the silo's 5 %, or a band wide enough to bind in most slots.
                SocDerateBandPercent = random.Next(3) switch { 0 => 0, 1 => 5, _ => 5 + (random.NextDouble() * 30) },
            };
        }).ToArray();
        var groups = new List<FleetGroup>(batteries);
        // Half the PV and load groups ramp at 5–50 % of their power per quarter hour.
        double? Ramp(double powerKw) => random.Next(2) == 0 ? null : powerKw * (0.05 + (0.45 * random.NextDouble())) / 900;
        if (random.Next(2) == 0)
        {
            var peakKw = random.NextDouble() * 300;
            groups.Add(new RenewableGroup("pv", AssetKind.Solar, 20, Enumerable.Range(0, slots).Select(t => peakKw * Math.Max(0, Math.Sin(Math.PI * t / slots))).ToArray())
            {
                RampKwPerSecond = Ramp(peakKw),
            });
        }

        if (random.Next(2) == 0)
        {
            groups.Add(new FlexibleLoadGroup("load", 5, 100, 30, random.Next(50, 200)) { RampKwPerSecond = Ramp(70) });
        }

        double[]? band = null;
        if (withBand)
        {
            // A band each battery group can hold its power-pro-rata share of (the greedy baseline holds it that way).
            var powerKw = batteries.Sum(b => Math.Min(b.Energy.MaxChargeKw, b.Energy.MaxDischargeKw));
            var bandKw = 0.3 * random.NextDouble() * batteries.Min(b =>
                FcrSocWindow.MaxReserveKw(b.Energy, TimeSpan.FromMinutes(15)) * powerKw / Math.Min(b.Energy.MaxChargeKw, b.Energy.MaxDischargeKw));
            var first = random.Next(0, slots);
            band = Enumerable.Range(0, slots).Select(t => t >= first ? bandKw : 0).ToArray();
        }

        var problem = new OptimisationProblem { From = Midnight, PricesEurPerMwh = prices, Groups = groups, FcrBandKw = band };
        return new Case(problem, batteries);
    }

    [Property(MaxTest = 40)]
    public void Every_battery_group_stays_within_its_soc_limits_in_every_slot_and_ends_where_it_must(int seed)
    {
        var (problem, batteries) = Draw(seed, withBand: false);
        var schedule = Optimal(problem);

        foreach (var battery in batteries)
        {
            foreach (var slot in schedule.Slots)
            {
                var powerKw = slot.Groups.Single(g => g.Group == battery.Name).PowerKw;
                Assert.InRange(powerKw, -battery.Energy.MaxChargeKw - ToleranceKw, battery.Energy.MaxDischargeKw + ToleranceKw);
                var socPercent = slot.Groups.Single(g => g.Group == battery.Name).EndSocPercent!.Value;
                Assert.InRange(socPercent, battery.Energy.MinSocPercent - 1e-6, battery.Energy.MaxSocPercent + 1e-6);
            }

            var endSoc = schedule.Slots[^1].Groups.Single(g => g.Group == battery.Name).EndSocPercent!.Value;
            Assert.True(endSoc >= battery.StartSocPercent - 1e-6, $"{battery.Name} ends at {endSoc} % below its start {battery.StartSocPercent} %");
        }

        // The fleet target is the sum of the groups in every slot.
        Assert.All(schedule.Slots, s => Assert.Equal(s.Groups.Sum(g => g.PowerKw), s.TargetKw, 1e-6));
    }

    [Property(MaxTest = 40)]
    public void Every_battery_group_charges_and_discharges_within_its_derating_at_the_soc_each_slot_starts_from(int seed)
    {
        var (problem, batteries) = Draw(seed, withBand: seed % 2 == 0);
        foreach (var schedule in new[] { Optimal(problem), GreedySchedule.Solve(problem)! })
        {
            foreach (var battery in batteries)
            {
                var socPercent = battery.StartSocPercent;
                foreach (var slot in schedule.Slots)
                {
                    var planned = slot.Groups.Single(g => g.Group == battery.Name);
                    var (charge, discharge) = battery.SocDerateBandPercent > 0
                        ? SocDerating.Factors(socPercent, battery.Energy.MinSocPercent, battery.Energy.MaxSocPercent, battery.SocDerateBandPercent)
                        : (1, 1);
                    Assert.True(
                        planned.PowerKw >= (-battery.Energy.MaxChargeKw * charge) - ToleranceKw && planned.PowerKw <= (battery.Energy.MaxDischargeKw * discharge) + ToleranceKw,
                        $"{schedule.Method} slot {slot.Start:HH:mm}: {battery.Name} at {planned.PowerKw} kW from {socPercent} % SoC (band {battery.SocDerateBandPercent} %)");
                    socPercent = planned.EndSocPercent!.Value;
                }
            }
        }
    }

    [Property(MaxTest = 40)]
    public void The_fcr_band_is_held_free_both_ways_in_power_and_battery_energy(int seed)
    {
        var (problem, batteries) = Draw(seed, withBand: true);
        var schedule = Optimal(problem);
        var previousSoc = batteries.ToDictionary(b => b.Name, b => b.StartSocPercent);

        for (var t = 0; t < problem.SlotCount; t++)
        {
            var slot = schedule.Slots[t];
            double upKw = 0, downKw = 0;
            foreach (var group in problem.Groups)
            {
                var planned = slot.Groups.Single(g => g.Group == group.Name);
                switch (group)
                {
                    case BatteryGroup battery:
                    {
                        var (freeUp, freeDown) = FcrBand.FreeKw(planned.PowerKw, new PowerRange(-battery.Energy.MaxChargeKw, battery.Energy.MaxDischargeKw));
                        var lowSoc = Math.Min(previousSoc[battery.Name], planned.EndSocPercent!.Value);
                        var highSoc = Math.Max(previousSoc[battery.Name], planned.EndSocPercent.Value);
                        // Upwards it must deliver the reserve for the activation time from its emptiest point in the
                        // slot, downwards absorb it at its fullest (the FcrSocWindow rule).
                        var hours = problem.FcrActivationTime.TotalHours;
                        upKw += Math.Min(freeUp, battery.Energy.DeliverableKwh(lowSoc) / hours);
                        downKw += Math.Min(freeDown, battery.Energy.AbsorbableKwh(highSoc) / hours);
                        previousSoc[battery.Name] = planned.EndSocPercent.Value;
                        break;
                    }

                    case RenewableGroup pv:
                        upKw += pv.AvailableAt(t) - planned.PowerKw;
                        downKw += planned.PowerKw;
                        break;
                    case FlexibleLoadGroup load:
                        upKw += -load.MinConsumptionKw - planned.PowerKw;
                        downKw += planned.PowerKw + load.BaselineKw;
                        break;
                }
            }

            var band = problem.FcrBandAt(t);
            Assert.True(upKw >= band - ToleranceKw, $"slot {t}: {upKw} kW free upwards for a ±{band} kW band");
            Assert.True(downKw >= band - ToleranceKw, $"slot {t}: {downKw} kW free downwards for a ±{band} kW band");
        }
    }

    [Property(MaxTest = 40)]
    public void The_optimised_schedule_never_earns_less_than_the_greedy_baseline(int seed)
    {
        var (problem, _) = Draw(seed, withBand: seed % 2 == 0);
        var optimal = Optimal(problem);
        var greedy = GreedySchedule.Solve(problem);

        Assert.NotNull(greedy);
        foreach (var group in problem.Groups.Where(g => double.IsFinite(g.RampKwPerSlot)))
        {
            var powerKw = greedy.Slots.Select(s => s.Groups.Single(g => g.Group == group.Name).PowerKw).ToArray();
            Assert.All(Enumerable.Range(1, powerKw.Length - 1), t => Assert.InRange(powerKw[t] - powerKw[t - 1], -group.RampKwPerSlot - ToleranceKw, group.RampKwPerSlot + ToleranceKw));
        }

        Assert.True(
            optimal.ProfitEur >= greedy.ProfitEur - 1e-6 - (1e-6 * Math.Abs(greedy.ProfitEur)),
            $"optimised {optimal.ProfitEur} EUR < greedy {greedy.ProfitEur} EUR");
    }
}
