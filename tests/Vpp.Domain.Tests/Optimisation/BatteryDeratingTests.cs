using Vpp.Domain.Assets;
using Vpp.Domain.Optimisation;
using static Vpp.Domain.Tests.Optimisation.OptimisationCases;

namespace Vpp.Domain.Tests.Optimisation;

/// <summary>
/// Battery power derated near the SoC limits (<see cref="SocDerating"/>) in the program, the greedy baseline and the
/// reported binding limits. Lossless 10 kWh / 10 kW batteries (0–100 % SoC) so that every figure is worked by hand:
/// a quarter hour at P kW moves P/4 kWh.
/// </summary>
public sealed class BatteryDeratingTests
{
    private const double Tolerance = 1e-4;

    private static BatteryGroup Lossless(double startSocPercent, double bandPercent) =>
        new("battery", 1, new BatteryEnergy(10, 0, 100, 1, 1, 10, 10), startSocPercent) { SocDerateBandPercent = bandPercent };

    [Fact]
    public void Near_min_soc_the_discharge_tapers_with_the_energy_each_slot_starts_from()
    {
        // Band 50 % = 5 kWh. From 1 kWh: slot 0 at most 10 × 1/5 = 2 kW (0.5 kWh), slot 1 from 0.5 kWh at most 1 kW
        // (0.25 kWh). Without the band all 1 kWh goes in slot 0 (4 kW).
        var derated = Optimal(Problem([100, 100], Lossless(10, 50)) with { EndSocPercent = 0 });
        var full = Optimal(Problem([100, 100], Lossless(10, 0)) with { EndSocPercent = 0 });

        Assert.Equal([2.0, 1.0], derated.Slots.Select(s => Math.Round(s.TargetKw, 4)));
        Assert.Equal(2.5, derated.Slots[^1].Groups[0].EndSocPercent!.Value, Tolerance);
        Assert.Equal(0.075, derated.ProfitEur, Tolerance);
        Assert.All(derated.Slots, s => Assert.Contains("battery.derated", s.Binding));
        Assert.Equal(4, full.Slots[0].TargetKw, Tolerance);
        Assert.DoesNotContain(full.Slots, s => s.Binding.Contains("battery.derated"));
    }

    [Fact]
    public void Near_max_soc_the_program_and_greedy_charge_only_what_the_derating_allows()
    {
        // Band 40 % = 4 kWh, start 8 kWh, prices 0 then 100, end ≥ start. Slot 0 charges at most 10 × (10 − 8)/4 = 5 kW
        // (1.25 kWh, not the 8 kW that fill the store); slot 1 sells back the 1.25 kWh at 5 kW (its derating at
        // 9.25 kWh is above the rated 10 kW). Profit = 1.25 × 100 / 1000 = 0.125 EUR; without the band 0.2 EUR.
        var problem = Problem([0, 100], Lossless(80, 40));
        var optimal = Optimal(problem);
        var greedy = GreedySchedule.Solve(problem)!;

        foreach (var schedule in new[] { optimal, greedy })
        {
            Assert.Equal([-5.0, 5.0], schedule.Slots.Select(s => Math.Round(s.TargetKw, 4)));
            Assert.Equal(0.125, schedule.ProfitEur, Tolerance);
            Assert.Contains("battery.derated", schedule.Slots[0].Binding);
            Assert.DoesNotContain("battery.derated", schedule.Slots[1].Binding);
        }

        Assert.Equal(0.2, Optimal(Problem([0, 100], Lossless(80, 0))).ProfitEur, Tolerance);
    }

    [Fact]
    public void Greedy_keeps_the_derating_of_the_slots_between_a_charge_and_its_discharge()
    {
        // Charge in slot 0 (price 0), sell in slot 2 (100); slot 1 (price 90) is dear too. Band 40 % = 4 kWh, start
        // 5 kWh, end ≥ 5 kWh. The best pair (0, 2) raises the energy slot 1 and slot 2 start from; whatever greedy then
        // adds must still keep every slot's power within the derating at its start energy, as the program's does.
        var problem = Problem([0, 90, 100], Lossless(50, 40));
        var greedy = GreedySchedule.Solve(problem)!;
        var optimal = Optimal(problem);

        foreach (var schedule in new[] { greedy, optimal })
        {
            var storedKwh = 5.0;
            foreach (var slot in schedule.Slots)
            {
                var powerKw = slot.TargetKw;
                var (charge, discharge) = SocDerating.Factors(storedKwh * 10, 0, 100, 40);
                Assert.InRange(powerKw, (-10 * charge) - Tolerance, (10 * discharge) + Tolerance);
                storedKwh -= powerKw / 4;
            }
        }

        Assert.True(optimal.ProfitEur >= greedy.ProfitEur - 1e-9);
    }
}
