using Vpp.Domain.Assets;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Validation;
using static Vpp.Domain.Tests.Optimisation.OptimisationCases;

namespace Vpp.Domain.Tests.Optimisation;

/// <summary>The self-consumption objective: the least energy imported, then the most profit at the prices.</summary>
public sealed class SelfConsumptionTests
{
    private const double Tolerance = 1e-4;

    /// <summary>
    /// PV 100 kW in slot 0 and no load; a load of 100 kW (not curtailable) in slot 1 and no PV; a 100 kWh battery at
    /// its 10 % minimum, 100 kW each way, η = 0.9 each way. Selling the PV at 100 EUR/MWh pays more than saving a
    /// 50 EUR/MWh import with it.
    /// </summary>
    private static OptimisationProblem SurplusThenLoad(string objective) =>
        Problem(
            [100, 50],
            Battery(startSocPercent: 10, minSocPercent: 10, maxSocPercent: 90),
            new RenewableGroup("pv", AssetKind.Solar, 1, [100, 0]),
            new FlexibleLoadGroup("load", 1, BaselineKw: 0, MinConsumptionKw: 100, MarginalCostEurPerMwh: 0) { BaselineKwPerSlot = [0, 100] })
        with { Objective = objective };

    [Fact]
    public void The_battery_stores_the_pv_surplus_and_serves_the_load_with_it()
    {
        // By hand: slot 0 stores 0.9 × 25 kWh = 22.5 kWh of PV (10 → 32.5 %, nothing exported); slot 1 delivers
        // 22.5 × 0.9 = 20.25 kWh (81 kW) back down to 10 %, so the grid supplies 100 − 81 = 19 kW: 4.75 kWh imported.
        var schedule = Optimal(SurplusThenLoad(OptimisationRequestRules.SelfConsumption));

        Assert.Equal(0, schedule.Slots[0].TargetKw, Tolerance);
        Assert.Equal(-100, schedule.Slots[0].Groups.Single(g => g.Group == "battery").PowerKw, Tolerance);
        Assert.Equal(-19, schedule.Slots[1].TargetKw, Tolerance);
        Assert.Equal(81, schedule.Slots[1].Groups.Single(g => g.Group == "battery").PowerKw, Tolerance);
        Assert.Equal(4.75, schedule.ImportKwh, Tolerance);
        Assert.Equal(0, schedule.ExportKwh, Tolerance);
    }

    [Fact]
    public void Arbitrage_on_the_same_fleet_sells_the_pv_and_imports_the_whole_load()
    {
        // The contrast: at these prices arbitrage sells 25 kWh at 100 EUR/MWh and buys the load's 25 kWh at 50.
        var schedule = Optimal(SurplusThenLoad(OptimisationRequestRules.Arbitrage));

        Assert.Equal(100, schedule.Slots[0].TargetKw, Tolerance);
        Assert.Equal(-100, schedule.Slots[1].TargetKw, Tolerance);
        Assert.Equal(25, schedule.ImportKwh, Tolerance);
    }

    [Fact]
    public void Among_schedules_importing_the_least_the_one_earning_most_is_chosen()
    {
        // PV 200 kW in slot 0: the battery stores 100 kW of it for the load; the other 100 kW is exported (selling it
        // earns 2.5 EUR, curtailing it imports no less), so the tie is broken by profit.
        var problem = SurplusThenLoad(OptimisationRequestRules.SelfConsumption) with
        {
            Groups =
            [
                Battery(startSocPercent: 10, minSocPercent: 10, maxSocPercent: 90),
                new RenewableGroup("pv", AssetKind.Solar, 1, [200, 0]),
                new FlexibleLoadGroup("load", 1, BaselineKw: 0, MinConsumptionKw: 100, MarginalCostEurPerMwh: 0) { BaselineKwPerSlot = [0, 100] },
            ],
        };

        var schedule = Optimal(problem);

        Assert.Equal(100, schedule.Slots[0].TargetKw, Tolerance);
        Assert.Equal(4.75, schedule.ImportKwh, Tolerance);
    }

    [Fact]
    public void An_unknown_objective_is_refused_naming_objective()
    {
        var problem = SurplusThenLoad("selfconsumption");

        var error = Assert.Throws<DomainValidationException>(() => ScheduleOptimiser.Solve(problem, Limit));

        Assert.Contains(error.Errors, e => e.Field == "objective");
    }
}
