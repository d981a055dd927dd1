using System.Diagnostics;
using System.Globalization;
using Vpp.Domain.Assets;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Schedules;

// Solves a 96-slot day for fleets of 1,000 and 100,000 assets and compares the linear program with the greedy
// baseline on the same prices in the same run. Besides the mixed fleet, two 1,000-asset variants say where the
// program's advantage lies: "batteries" (only the 450 batteries: no generator or load decisions, which greedy takes
// exactly) and "mixed, FCR 30 %" (the mixed fleet holding an FCR band of 30 % of its battery power, which the program
// may hold with CHP, loads and renewables while greedy holds it with the batteries alone); "mixed, CHP 2 h up / 1 h
// down" gives the mixed fleet's CHP units a minimum up time of 2 h and a minimum down time of 1 h, and "…, 40 EUR per
// start" also a start-up cost of 40 EUR per unit started. The fleets are built in-process as asset specs and folded into groups
// the way partitions fold their members (GroupTotals), so the fold is timed too.
//   dotnet run -c Release --project bench/Vpp.OptimiseBenchmarks [-- runs]
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var timeLimit = TimeSpan.FromSeconds(10);
var days = new[] { "winter-flat", "spring-volatile" };

// "Passive" is the fleet left alone (batteries idle, PV and wind uncurtailed, CHPs off, loads at baseline): profit
// minus the passive profit is what a schedule earns from the fleet's flexibility, the part either method decides.
Console.WriteLine("| day | fleet | assets | groups | fold ms | LP solve ms (median, min–max) | greedy ms | LP profit EUR | greedy profit EUR | passive EUR | flexibility value LP / greedy EUR | LP vs greedy |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
foreach (var day in days)
{
    var (from, prices) = ReadPrices(Path.Combine(AppContext.BaseDirectory, "prices", day + ".csv"));
    foreach (var (fleet, assets) in new[]
    {
        ("mixed", 1_000), ("mixed", 100_000), ("batteries", 1_000), ("mixed, FCR 30 %", 1_000), (BenchFleet.ChpRunTimes, 1_000), (BenchFleet.ChpRunTimes, 100_000),
        (BenchFleet.ChpStartCosts, 1_000), (BenchFleet.ChpStartCosts, 100_000),
    })
    {
        var foldMs = new List<double>();
        var solveMs = new List<double>();
        var greedyMs = new List<double>();
        OptimisationResult? result = null;
        ProposedSchedule? greedy = null;
        OptimisationProblem? problem = null;
        for (var run = 0; run <= runs; run++) // run 0 warms up
        {
            var watch = Stopwatch.StartNew();
            problem = BenchFleet.Problem(assets, from, prices, fleet);
            var fold = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            result = ScheduleOptimiser.Solve(problem, timeLimit);
            var solve = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            greedy = GreedySchedule.Solve(problem);
            var greedyTime = watch.Elapsed.TotalMilliseconds;
            if (run > 0)
            {
                foldMs.Add(fold);
                solveMs.Add(solve);
                greedyMs.Add(greedyTime);
            }
        }

        var lp = result!.Schedule ?? throw new InvalidOperationException($"{day}/{assets}: {result.Infeasibility?.Message ?? "timed out"}");
        var baseline = greedy ?? throw new InvalidOperationException($"{day}/{assets}: the greedy baseline cannot hold the commitments");
        var passive = ScheduleEvaluation.Evaluate("passive", problem!, [.. problem!.Groups.Select(g => Passive(g, prices.Length))]).ProfitEur;
        var (lpValue, greedyValue) = (lp.ProfitEur - passive, baseline.ProfitEur - passive);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {day} | {fleet} | {assets:N0} | {problem.Groups.Count} | {Median(foldMs):0} | {Median(solveMs):0} ({solveMs.Min():0}–{solveMs.Max():0}){(result.Optimal ? "" : " not optimal")} | "
            + $"{Median(greedyMs):0} | {lp.ProfitEur:N0} | {baseline.ProfitEur:N0} | {passive:N0} | {lpValue:N0} / {greedyValue:N0} | "
            + $"{(lpValue - greedyValue) / greedyValue * 100:+0.0;-0.0} % |"));
    }
}

static GroupPlan Passive(FleetGroup group, int slots) => group switch
{
    BatteryGroup => new GroupPlan(group, new double[slots], new double[slots], new double[slots]),
    RenewableGroup renewable => new GroupPlan(group, [.. Enumerable.Range(0, slots).Select(t => renewable.AvailableAt(t) * group.ShareAt(t))]),
    ChpGroup => new GroupPlan(group, new double[slots], UnitsOn: new int[slots]),
    FlexibleLoadGroup load => new GroupPlan(group, [.. Enumerable.Repeat(-load.BaselineKw, slots)]),
    _ => throw new ArgumentException(group.GetType().Name),
};

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static (DateTimeOffset From, double[] Prices) ReadPrices(string path)
{
    var rows = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();
    var from = DateTimeOffset.Parse(rows[0][0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime();
    return (from, [.. rows.Select(r => double.Parse(r[1], CultureInfo.InvariantCulture))]);
}

/// <summary>
/// A mixed fleet per 1,000 assets: 450 home batteries (5 kW / 10 kWh, 90 or 85 % round trip, wear 5–20 EUR/MWh),
/// 400 rooftop PV systems (8 kW), 20 wind turbines (150 kW), 80 flexible loads (40 kW baseline, 10 kW minimum, 120 or
/// 180 EUR/MWh to curtail) and 50 CHP units (50 kW, 20 kW min stable, 70 or 95 EUR/MWh). PV follows a clear-sky bell
/// (06:00–18:00 UTC), wind a fixed 40 % of rated; an FCR band of 5 % of the battery power is held all day.
/// </summary>
internal static class BenchFleet
{
    /// <summary>The mixed fleet with CHP units that must run 2 h once started and rest 1 h once stopped.</summary>
    public const string ChpRunTimes = "mixed, CHP 2 h up / 1 h down";

    /// <summary>The CHP run times of <see cref="ChpRunTimes"/>, and each start of a unit costs 40 EUR.</summary>
    public const string ChpStartCosts = "mixed, CHP 2 h up / 1 h down, 40 EUR per start";

    public static OptimisationProblem Problem(int assets, DateTimeOffset from, double[] prices, string fleet)
    {
        var scale = assets / 1000;
        var parts = new List<GroupTotals>(assets);
        var random = new Random(17);
        for (var i = 0; i < 450 * scale; i++)
        {
            var spec = new AssetSpec
            {
                FleetId = "bench", Kind = AssetKind.Battery, MinPowerKw = -5, MaxPowerKw = 5, EnergyCapacityKwh = 10,
                RoundTripEfficiencyPercent = i % 3 == 0 ? 85 : 90, MarginalCostEurPerMwh = 5 * (1 + (i % 4)),
            };
            parts.Add(GroupTotals.Of(spec, 30 + (40 * random.NextDouble()), null, [], from, prices.Length)!);
        }

        var others = fleet == "batteries" ? 0 : scale;
        var runTimes = fleet is ChpRunTimes or ChpStartCosts;
        Add(parts, 400 * others, i => new AssetSpec { FleetId = "bench", Kind = AssetKind.Solar, MinPowerKw = 0, MaxPowerKw = 8 }, from, prices.Length);
        Add(parts, 20 * others, i => new AssetSpec { FleetId = "bench", Kind = AssetKind.Wind, MinPowerKw = 0, MaxPowerKw = 150, MarginalCostEurPerMwh = 1 }, from, prices.Length, 0.4);
        Add(parts, 80 * others, i => new AssetSpec
        {
            FleetId = "bench", Kind = AssetKind.FlexibleLoad, MinPowerKw = -40, MaxPowerKw = -10, MarginalCostEurPerMwh = i % 2 == 0 ? 120 : 180,
        }, from, prices.Length);
        Add(parts, 50 * others, i => new AssetSpec
        {
            FleetId = "bench", Kind = AssetKind.Chp, MinPowerKw = 0, MaxPowerKw = 50, MinStablePowerKw = 20, MarginalCostEurPerMwh = i % 2 == 0 ? 70 : 95,
            MinUpTimeSeconds = runTimes ? 7200 : null,
            MinDownTimeSeconds = runTimes ? 3600 : null,
            StartUpCostEur = fleet == ChpStartCosts ? 40 : null,
        }, from, prices.Length);

        var groups = GroupTotals.Fold(parts).Select(g => g.Kind == AssetKind.Solar ? g.ToGroup(prices.Length, ClearSky(g.MaxKw, from, prices.Length)) : g.ToGroup(prices.Length)).ToList();
        var batteryKw = groups.OfType<BatteryGroup>().Sum(b => Math.Min(b.Energy.MaxChargeKw, b.Energy.MaxDischargeKw));
        return new OptimisationProblem
        {
            From = from,
            PricesEurPerMwh = prices,
            Groups = groups,
            FcrBandKw = [.. Enumerable.Repeat((fleet == "mixed, FCR 30 %" ? 0.30 : 0.05) * batteryKw, prices.Length)],
        };
    }

    private static void Add(List<GroupTotals> parts, int count, Func<int, AssetSpec> spec, DateTimeOffset from, int slots, double availableShare = 1)
    {
        for (var i = 0; i < count; i++)
        {
            var s = spec(i);
            parts.Add(GroupTotals.Of(s, null, s.MaxPowerKw * availableShare, [], from, slots)!);
        }
    }

    private static double[] ClearSky(double ratedKw, DateTimeOffset from, int slots) =>
        [.. Enumerable.Range(0, slots).Select(t =>
        {
            var hour = (from + (QuarterHour.Length * t)).UtcDateTime.TimeOfDay.TotalHours;
            return ratedKw * Math.Max(0, Math.Sin(Math.PI * (hour - 6) / 12));
        })];
}
