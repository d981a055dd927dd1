using Vpp.Domain.Assets;
using Vpp.Domain.Optimisation;

namespace Vpp.Domain.Tests.Optimisation;

/// <summary>Small fleets and price series for the optimiser tests.</summary>
internal static class OptimisationCases
{
    public static readonly DateTimeOffset Midnight = new(2026, 3, 29, 0, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>A battery group at 0–100 % SoC with η = 0.9 each way (81 % round trip).</summary>
    public static BatteryGroup Battery(
        double capacityKwh = 100, double powerKw = 100, double startSocPercent = 50, double minSocPercent = 0, double maxSocPercent = 100,
        double costEurPerMwh = 0, string name = "battery", int count = 1) =>
        new(name, count, new BatteryEnergy(capacityKwh, minSocPercent, maxSocPercent, 0.9, 0.9, powerKw, powerKw), startSocPercent, costEurPerMwh);

    public static OptimisationProblem Problem(double[] prices, params FleetGroup[] groups) =>
        new() { From = Midnight, PricesEurPerMwh = prices, Groups = groups };

    public static ProposedSchedule Optimal(OptimisationProblem problem)
    {
        var result = ScheduleOptimiser.Solve(problem, Limit);
        Assert.Null(result.Infeasibility);
        Assert.True(result.Optimal);
        return result.Schedule!;
    }
}
