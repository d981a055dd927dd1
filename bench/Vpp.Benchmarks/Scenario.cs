using System.Diagnostics;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;

namespace Vpp.Benchmarks;

/// <summary>
/// One silo, one fleet of N batteries: register them, bring them online, then dispatch with each design in turn
/// (interleaved, so every design sees the same background: GC, write-behind timers, warm caches).
/// </summary>
public static class Scenario
{
    public const string Fleet = "fleet";
    public const string FleetWithSetpoints = "fleet+setpoints";
    public const string Naive = "naive";
    public const string Floor = "floor";

    /// <summary>A handful of distinct marginal costs, so merit order has levels to walk through.</summary>
    private static readonly double[] Costs = [20, 35, 50, 65, 80];

    private const double PowerKw = 10;

    /// <summary>What one dispatch reported, reduced to what every design can say.</summary>
    private readonly record struct Outcome(int Rounds, int Acknowledged, int Unacknowledged, double AllocatedKw, double ShortfallKw, int SetpointCount);

    private sealed record Design(string Name, bool IncludeSetpoints, Func<double, Task<Outcome>> DispatchAsync, DesignStats Stats);

    public static async Task<ScenarioResult> RunAsync(int assets, int? partitions, BenchOptions options, StorageStats storage)
    {
        var result = new ScenarioResult { Assets = assets, Partitions = partitions ?? new Vpp.Grains.VppOptions().PartitionsPerFleet };
        Console.WriteLine();
        Console.WriteLine($"=== {assets:N0} assets, {result.Partitions} partitions per fleet === (load average {MachineLoad.LoadAverage()})");
        if (options.QuietWaitSeconds > 0)
        {
            result.OtherCoresBefore = await MachineLoad.WaitForQuietAsync(TimeSpan.FromSeconds(options.QuietWaitSeconds));
        }
        await using var silo = await BenchSilo.StartAsync(partitions, options);
        Console.WriteLine(
            $"  silo up; VppOptions: PartitionsPerFleet={silo.Options.PartitionsPerFleet}, SetpointAckTimeout={silo.Options.SetpointAckTimeout.TotalSeconds} s, "
            + $"MaxDispatchRounds={silo.Options.MaxDispatchRounds}, LiveStateWriteInterval={silo.Options.LiveStateWriteInterval.TotalSeconds} s, "
            + $"OfflineAfter={silo.Options.OfflineAfter.TotalSeconds} s (bench override); storage serializer {options.StorageSerializer}");
        var grains = silo.Grains;
        var fleetId = $"bench-{assets}-p{result.Partitions}";

        var fleet = grains.GetGrain<IFleetGrain>(fleetId);
        if (await RegisterAsync(grains, fleetId, assets, options, storage, result) is not { } view)
        {
            return result;
        }

        // 4. Dispatch, designs interleaved.
        var designs = new List<Design>
        {
            new(Fleet, false, async target => FromFleet(await fleet.DispatchAsync(new DispatchRequest(target, options.Strategy, IncludeSetpoints: false))), new DesignStats(Fleet)),
        };
        if (!options.SkipNaive)
        {
            var naive = grains.GetGrain<INaiveFleetGrain>(fleetId);
            await naive.SetAssetsAsync(fleetId, assets);
            designs.Add(new(Naive, false, async target => FromNaive(await naive.DispatchAsync(target)), new DesignStats(Naive)));
        }

        if (!options.SkipFloor)
        {
            var floor = grains.GetGrain<IFloorFleetGrain>(fleetId);
            await floor.SetAssetsAsync(assets, partitions: 256);
            designs.Add(new(Floor, false, async target => FromFloor(await floor.DispatchAsync(target), assets), new DesignStats(Floor)));
        }

        if (options.SetpointsAt.Contains(assets))
        {
            designs.Add(new(FleetWithSetpoints, true, async target => FromFleet(await fleet.DispatchAsync(new DispatchRequest(target, options.Strategy, IncludeSetpoints: true))), new DesignStats(FleetWithSetpoints)));
        }

        result.Designs.AddRange(designs.Select(d => d.Stats));
        var capacityKw = view.Capacity.MaxKw;
        var total = options.Warmup + options.Dispatches;
        Console.WriteLine($"  dispatching: {options.Warmup} warm-up + {options.Dispatches} measured per design ({string.Join(", ", designs.Select(d => d.Name))}), target ±{options.Share:P0} of capacity, {options.Strategy.ToString()}");
        storage.TakeSummary();
        LongTurnLog.Take();
        for (var round = 0; round < total; round++)
        {
            if (round == options.Warmup)
            {
                storage.TakeSummary(); // count the measured part only
            }

            var measured = round >= options.Warmup;
            var targetKw = (round % 2 == 0 ? 1 : -1) * options.Share * capacityKw;
            var line = new List<string>();
            foreach (var design in designs)
            {
                var probe = ProbeStart.Now();
                try
                {
                    var outcome = await design.DispatchAsync(targetKw);
                    var sample = probe.Stop(outcome.Rounds);
                    var problem = Check(outcome, targetKw, assets, design.IncludeSetpoints);
                    if (problem is not null)
                    {
                        design.Stats.Fail($"{(measured ? "" : "warm-up ")}#{round + 1}: {problem}");
                        line.Add($"{design.Name} FAILED ({problem})");
                        continue;
                    }

                    if (measured)
                    {
                        design.Stats.Add(sample);
                    }

                    line.Add($"{design.Name} {sample.Ms:0} ms" + (sample.Rounds > 1 ? $" ({sample.Rounds} rounds)" : "") + (sample.GcPauseMs >= 1 ? $" [gc {sample.GcPauseMs:0}]" : "")
                        + (sample.OtherCores >= 0.25 ? $" [others {sample.OtherCores:0.0} cores]" : ""));
                }
                catch (Exception ex)
                {
                    design.Stats.Fail($"#{round + 1}: {ex.GetType().Name}: {ex.Message}");
                    line.Add($"{design.Name} FAILED ({ex.GetType().Name})");
                }
            }

            Console.WriteLine($"  {(measured ? "" : "warm-up ")}#{round + 1}/{total} target {targetKw:+#,0;-#,0} kW | {string.Join(" | ", line)}");
        }

        if (options.Frequency)
        {
            result.Designs.AddRange(await FrequencyResponse.MeasureAsync(grains, fleetId, capacityKw, options));
        }

        result.DispatchWrites = storage.TakeSummary();
        Console.WriteLine($"  state writes during the measured dispatches: {result.DispatchWrites}");
        var (naiveTurns, otherTurns) = LongTurnLog.Take();
        Console.WriteLine($"  grain turns over 1 s while dispatching (Orleans warnings, counted): naive grain {naiveTurns}, other grains {otherTurns}");

        result.ManagedAfterDispatch = Memory.Managed();
        result.WorkingSetAfterDispatch = Memory.WorkingSet();
        foreach (var d in result.Designs)
        {
            Console.WriteLine(
                $"  {d.Design,-16} p50 {d.Percentile(50),6:0.0}  p95 {d.Percentile(95),6:0.0}  p99 {d.Percentile(99),6:0.0}  max {d.Max,6:0.0} ms; "
                + $"GC pause {d.MeanGcPauseMs:0.0} ms/dispatch, {d.MeanAllocatedBytes / assets:N0} B allocated per asset per dispatch, "
                + $"CPU: {d.MeanCpuMs:0} ms/dispatch ({1000 * d.MeanCpuMs / assets:0.0} µs/asset), this process {d.OwnCores:0.00} cores, others {d.OtherCores:0.00} cores; failures {d.Failures}");
            foreach (var message in d.FailureMessages)
            {
                Console.WriteLine($"    failure: {message}");
            }
        }

        Console.WriteLine($"  memory after dispatching: managed {Memory.Mb(result.ManagedAfterDispatch)}, working set {Memory.Mb(result.WorkingSetAfterDispatch)}");
        return result;
    }

    /// <summary>
    /// Registers <paramref name="assets"/> batteries in <paramref name="fleetId"/>, brings them online and waits until the
    /// fleet sees them all, recording times, writes and memory in <paramref name="result"/>; null (and the error) on failure.
    /// </summary>
    internal static async Task<FleetView?> RegisterAsync(
        IGrainFactory grains, string fleetId, int assets, BenchOptions options, StorageStats storage, ScenarioResult result)
    {
        result.ManagedBefore = Memory.Managed();
        result.WorkingSetBefore = Memory.WorkingSet();
        storage.TakeSummary();
        var registrationCpu = CpuSnapshot.Now();
        var fleet = grains.GetGrain<IFleetGrain>(fleetId);
        FleetView? view;
        try
        {
            // 1. Register: activates each asset, stores its spec, joins its partition.
            var sw = Stopwatch.StartNew();
            await ForEachBatchAsync(assets, options.Batch, "register", i =>
                grains.GetGrain<IAssetGrain>(AssetIds.For(fleetId, i)).ConfigureAsync(Spec(fleetId, i)));
            result.ConfigureTime = sw.Elapsed;

            // 2. Telemetry (SoC 50 %, or spread over 10–90 %): each asset goes online and tells its partition.
            sw.Restart();
            await ForEachBatchAsync(assets, options.Batch, "telemetry", i =>
                grains.GetGrain<IAssetGrain>(AssetIds.For(fleetId, i)).ReportTelemetryAsync(new Telemetry(
                    Timestamp: null, ActivePowerKw: 0, AvailablePowerKw: null, StateOfChargePercent: options.SocSpread ? 10 + (80 * (i % 9) / 8.0) : 50)));
            result.TelemetryTime = sw.Elapsed;

            // 3. Wait until the fleet has heard from every partition.
            sw.Restart();
            view = await WaitOnlineAsync(fleet, assets);
            result.OnlineWait = sw.Elapsed;
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            result.Error = $"registration failed: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}";
            Console.WriteLine($"  ERROR: {result.Error}");
            return null;
        }

        if (view is null)
        {
            result.Error = "the fleet never reported every asset online";
            Console.WriteLine($"  ERROR: {result.Error}");
            return null;
        }

        result.RegistrationWrites = storage.TakeSummary();
        var (regOwn, regOthers) = CpuSnapshot.Since(registrationCpu);
        result.ManagedAfterRegistration = Memory.Managed();
        result.WorkingSetAfterRegistration = Memory.WorkingSet();
        Console.WriteLine(
            $"  registered {assets:N0} in {result.ConfigureTime.TotalSeconds:0.0} s ({assets / result.ConfigureTime.TotalSeconds:N0} activations/s), "
            + $"telemetry {result.TelemetryTime.TotalSeconds:0.0} s, online after {result.OnlineWait.TotalSeconds:0.0} s more; "
            + $"capacity {view.Capacity.MinKw:N0}..{view.Capacity.MaxKw:N0} kW");
        Console.WriteLine($"  while registering: this process {regOwn:0.00} cores, other processes {regOthers:0.00} cores; state writes: {result.RegistrationWrites}");
        Console.WriteLine(
            $"  memory: managed {Memory.Mb(result.ManagedBefore)} → {Memory.Mb(result.ManagedAfterRegistration)} "
            + $"({(result.ManagedAfterRegistration - result.ManagedBefore) / (double)assets:N0} B/asset), "
            + $"working set {Memory.Mb(result.WorkingSetBefore)} → {Memory.Mb(result.WorkingSetAfterRegistration)} "
            + $"({(result.WorkingSetAfterRegistration - result.WorkingSetBefore) / (double)assets:N0} B/asset)");
        return view;
    }

    private static AssetSpec Spec(string fleetId, int index) => new()
    {
        FleetId = fleetId,
        Kind = AssetKind.Battery,
        MinPowerKw = -PowerKw,
        MaxPowerKw = PowerKw,
        EnergyCapacityKwh = 20,
        MarginalCostEurPerMwh = Costs[index % Costs.Length],
    };

    private static Outcome FromFleet(DispatchResult r) =>
        new(r.Rounds, r.AcknowledgedCount, r.UnacknowledgedCount, r.AllocatedKw, r.ShortfallKw, r.Setpoints.Length);

    private static Outcome FromNaive(NaiveDispatchResult r) =>
        new(1, r.AcknowledgedCount, r.AssetCount - r.AcknowledgedCount, r.AllocatedKw, 0, 0);

    private static Outcome FromFloor(FloorPartitionResult r, int assets) =>
        new(1, r.Acknowledged, assets - r.Acknowledged, r.AllocatedKw, 0, 0);

    /// <summary>Null when the dispatch did what was asked: target met, every asset acknowledged.</summary>
    private static string? Check(Outcome o, double targetKw, int assets, bool includeSetpoints)
    {
        var toleranceKw = 0.01 + (1e-9 * Math.Abs(targetKw));
        if (Math.Abs(o.AllocatedKw - targetKw) > toleranceKw)
        {
            return $"allocated {o.AllocatedKw:0.###} kW, target {targetKw:0.###} kW";
        }

        if (o.ShortfallKw != 0)
        {
            return $"shortfall {o.ShortfallKw:0.###} kW";
        }

        if (o.Unacknowledged != 0 || o.Acknowledged != assets)
        {
            return $"{o.Acknowledged} acknowledged, {o.Unacknowledged} unacknowledged of {assets}";
        }

        var expectedSetpoints = includeSetpoints ? assets : 0;
        return o.SetpointCount != expectedSetpoints ? $"{o.SetpointCount} setpoints returned, expected {expectedSetpoints}" : null;
    }

    private static async Task ForEachBatchAsync(int count, int batch, string label, Func<int, Task> call)
    {
        var sw = Stopwatch.StartNew();
        var lastPrint = TimeSpan.Zero;
        var tasks = new Task[Math.Min(batch, count)];
        for (var start = 0; start < count; start += batch)
        {
            var n = Math.Min(batch, count - start);
            for (var j = 0; j < n; j++)
            {
                tasks[j] = call(start + j);
            }

            await Task.WhenAll(tasks.AsSpan(0, n));
            var done = start + n;
            if (sw.Elapsed - lastPrint >= TimeSpan.FromSeconds(2) || done == count)
            {
                lastPrint = sw.Elapsed;
                Console.WriteLine($"  {label}: {done:N0}/{count:N0} ({100.0 * done / count:0} %), {done / sw.Elapsed.TotalSeconds:N0}/s");
            }
        }
    }

    private static async Task<FleetView?> WaitOnlineAsync(IFleetGrain fleet, int assets)
    {
        var sw = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(60 + (assets / 5_000.0));
        var lastPrint = TimeSpan.Zero;
        while (sw.Elapsed < deadline)
        {
            var view = await fleet.GetAsync();
            if (view is { } v && v.Counts.AssetCount == assets && v.Counts.OnlineCount == assets)
            {
                return v;
            }

            if (sw.Elapsed - lastPrint >= TimeSpan.FromSeconds(2))
            {
                lastPrint = sw.Elapsed;
                Console.WriteLine($"  waiting for the fleet: {view?.Counts.OnlineCount ?? 0:N0} online of {view?.Counts.AssetCount ?? 0:N0} known");
            }

            await Task.Delay(50);
        }

        return null;
    }
}
