using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Ingest;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Silo.Metrics;
using Vpp.Testing;

namespace Vpp.StorageBenchmarks;

/// <summary>
/// A large fleet on one silo with real storage (SQLite default; PostgreSQL too when VPP_POSTGRES is set): N batteries
/// registered in batches of <see cref="AssetBatch.MaxSize"/> through <see cref="IAssetRegistrationGrain"/> (the rate
/// printed per 100,000 to show whether it holds), then one measurement each through the ingest grain in batches of
/// <see cref="ITelemetryIngestGrain.MaxBatchSize"/> until the fleet counts all N online. Memory per asset = managed
/// heap (after a full collection) and working set after, minus before, over N. A watcher thread records the longest
/// GC pause and the longest stall of the process (a 20 ms sleep that woke late: GC suspension or CPU starvation)
/// over registration, telemetry and 10 dispatches of the online fleet (p50 = 5th, p99 = slowest of the 10); then as many
/// trivial activations again in the same silo (<see cref="FloorGrain"/>: what Orleans alone holds per grain).
/// </summary>
internal static class ScaleBenchmark
{
    private static readonly TimeSpan ScalePatience = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = (args.Length > 0 ? args[0] : "100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        // Latency mode Interactive = concurrent (background) GC on, Batch = off.
        Console.WriteLine($"Scale — {RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} cores, server GC {GCSettings.IsServerGC}, "
            + $"latency mode {GCSettings.LatencyMode}, conserve memory {Environment.GetEnvironmentVariable("DOTNET_GCConserveMemory") ?? "unset"}");
        var profiles = new List<Func<StorageProfile>> { () => new SqliteProfile() };
        if (PostgresProfile.FromEnvironment() is not null)
        {
            profiles.Add(() => PostgresProfile.FromEnvironment()!);
        }

        var rows = new List<string>();
        foreach (var assets in sizes)
        {
            foreach (var create in profiles)
            {
                await using var profile = create();
                rows.Add(await RunOneAsync(profile, assets));
            }
        }

        Console.WriteLine();
        Console.WriteLine("| storage | assets | register (assets/s) | slowest 100,000 | registered, not online: managed / working set Δ per asset | online | managed Δ / asset | working set Δ / asset | floor: managed / working set Δ per trivial activation | dispatch p50 / p99 of 10 | longest GC pause | longest stall |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    private static async Task<string> RunOneAsync(StorageProfile profile, int assets)
    {
        // The figure is call → every setpoint acknowledged: an acknowledgement that takes longer than the product's
        // real-time deadline (Vpp:SetpointAckTimeout, 2 s) is waited for, not counted as missing and re-dispatched,
        // and the benchmark's calls wait as long as the silo needs (a 1,000,000-asset dispatch passes Orleans' 30 s).
        await using var silo = await StorageSilo.StartAsync(
            profile,
            o => o.SetpointAckTimeout = ScalePatience,
            s => s.Configure<Orleans.Configuration.SiloMessagingOptions>(m => m.ResponseTimeout = ScalePatience));
        var fleetId = $"scale-{Guid.NewGuid().ToString("N")[..6]}";
        var ids = Enumerable.Range(0, assets).Select(i => $"sc-{i:D7}").ToArray();
        var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var workingSetBefore = WorkingSet();
        using var watcher = new WorkloadStalls();

        var registration = silo.Grains.GetGrain<IAssetRegistrationGrain>(0);
        var sw = Stopwatch.StartNew();
        var slowestChunk = double.MaxValue;
        var chunkStarted = TimeSpan.Zero;
        var done = 0;
        foreach (var batch in ids.Chunk(AssetBatch.MaxSize))
        {
            var result = await registration.RegisterAsync(fleetId, [.. batch.Select(id => new AssetRegistration(id, OutageBenchmark.Battery(fleetId)))]);
            if (result.RefusedCount > 0)
            {
                throw new InvalidOperationException($"{result.RefusedCount} refused: {result.Outcomes.First(o => !o.Registered).Problems[0]}");
            }

            done += batch.Length;
            if (done % 100_000 == 0 || done == assets)
            {
                var chunk = (done - 1) % 100_000 + 1;
                var rate = chunk / (sw.Elapsed - chunkStarted).TotalSeconds;
                slowestChunk = Math.Min(slowestChunk, rate);
                chunkStarted = sw.Elapsed;
                Console.WriteLine($"  [{profile.Name}] {done:N0} registered, {rate:N0}/s over the last {chunk:N0}, {sw.Elapsed.TotalSeconds:0.0} s, "
                    + $"working set {WorkingSet() / 1e6:N0} MB, longest stall so far {watcher.LongestStall.TotalMilliseconds:N0} ms");
            }
        }

        var registered = sw.Elapsed;
        await WhenFleetAsync(silo, fleetId, v => v.Counts.AssetCount == assets, "every asset counted");

        // Registered in bulk, not yet online: no asset grain is active, the partitions hold their members.
        var managedRegistered = (await watcher.CollectAsync() - managedBefore) / (double)assets;
        var workingSetRegistered = (WorkingSet() - workingSetBefore) / (double)assets;

        sw.Restart();
        var ingest = silo.Grains.GetGrain<ITelemetryIngestGrain>(0);
        var sent = 0;
        foreach (var batch in ids.Chunk(ITelemetryIngestGrain.MaxBatchSize))
        {
            if ((sent += batch.Length) % 100_000 == 0)
            {
                Console.WriteLine($"  [{profile.Name}] telemetry for {sent:N0} assets sent, {sw.Elapsed.TotalSeconds:0.0} s, "
                    + $"working set {WorkingSet() / 1e6:N0} MB, longest stall so far {watcher.LongestStall.TotalMilliseconds:N0} ms");
            }

            var now = DateTimeOffset.UtcNow;
            var result = await ingest.IngestAsync([.. batch.Select(id => new AssetTelemetry(id, new Telemetry(now, 0, StateOfChargePercent: 50)))]);
            if (result.Outcomes.FirstOrDefault(o => !o.Accepted) is { } refused)
            {
                throw new InvalidOperationException($"telemetry refused: {refused.Problems[0]}");
            }
        }

        await WhenFleetAsync(silo, fleetId, v => v.Counts.OnlineCount == assets, "every asset online");
        var online = sw.Elapsed;

        var managedOnline = await watcher.CollectAsync();
        var workingSetOnline = WorkingSet();
        var managed = (managedOnline - managedBefore) / (double)assets;
        var workingSet = (workingSetOnline - workingSetBefore) / (double)assets;

        // 10 dispatches alternating between 60 % and 30 % of the fleet's maximum (100 kW per battery), every asset moves.
        var fleet = silo.Grains.GetGrain<IFleetGrain>(fleetId);
        var dispatchMs = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await fleet.DispatchAsync(new DispatchRequest(assets * (i % 2 == 0 ? 60.0 : 30.0), DispatchStrategy.ProRata, IncludeSetpoints: false));
            dispatchMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Console.WriteLine($"  [{profile.Name}] dispatch {i + 1}/10: {dispatchMs[^1]:N0} ms, {result.Rounds} round(s), "
                + $"{result.UnacknowledgedCount:N0} unacknowledged, shortfall {result.ShortfallKw:N0} kW");
        }

        dispatchMs.Sort();
        var (longestPauseMs, longestStallMs) = (watcher.LongestGcPause.TotalMilliseconds, watcher.LongestStall.TotalMilliseconds);
        Console.WriteLine($"  [{profile.Name}] the benchmark's own full collections for the memory figures (not counted above): longest pause "
            + $"{watcher.LongestForcedPause.TotalMilliseconds:N0} ms");

        // The floor in the same silo: as many trivial activations again (no state, no timer), the increase per grain.
        var floorIds = Enumerable.Range(0, assets).Select(i => $"fl-{i:D7}").ToArray();
        foreach (var chunk in floorIds.Chunk(1_000))
        {
            await Task.WhenAll(chunk.Select(id => silo.Grains.GetGrain<IFloorGrain>(id).SetAsync(1).AsTask()));
        }

        var floorManaged = (GC.GetTotalMemory(forceFullCollection: true) - managedOnline) / (double)assets;
        var floorWorkingSet = (WorkingSet() - workingSetOnline) / (double)assets;
        var row = $"| {profile.Name} | {assets:N0} | {assets / registered.TotalSeconds:N0} ({registered.TotalSeconds:0.0} s) | {slowestChunk:N0}/s "
            + $"| {managedRegistered:N0} B / {workingSetRegistered:N0} B "
            + $"| {online.TotalSeconds:0.0} s | {managed:N0} B | {workingSet:N0} B | {floorManaged:N0} B / {floorWorkingSet:N0} B "
            + $"| {dispatchMs[4]:N0} / {dispatchMs[9]:N0} ms | {longestPauseMs:N0} ms | {longestStallMs:N0} ms |";
        Console.WriteLine(row);
        if (Environment.GetEnvironmentVariable("VPP_BENCH_HOLD_SECONDS") is { } hold)
        {
            // Time to take a heap snapshot of the loaded silo (dotnet-gcdump collect -p <pid>).
            Console.WriteLine($"  holding {hold} s, process {Environment.ProcessId}");
            await Task.Delay(TimeSpan.FromSeconds(double.Parse(hold, CultureInfo.InvariantCulture)));
        }

        return row;
    }

    private static async Task WhenFleetAsync(InProcessSilo silo, string fleetId, Func<FleetView, bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while ((await silo.Grains.GetGrain<IFleetGrain>(fleetId).GetAsync()) is not { } view || !condition(view))
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new InvalidOperationException($"fleet {fleetId}: not {what} after 5 min");
            }

            await Task.Delay(200);
        }
    }

    private static long WorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}

/// <summary>
/// The longest stall and GC pause of the workload (registering, bringing online, dispatching) without the benchmark's
/// own forced full collections, which it takes for the memory figures and which no silo in operation runs: each
/// collection closes the watch window, waits until the watcher has seen it, and opens the next window.
/// </summary>
internal sealed class WorkloadStalls : IDisposable
{
    private StallWindow _window = RuntimeStalls.Watch();
    private TimeSpan _closedStall;
    private TimeSpan _closedPause;

    public TimeSpan LongestStall => Max(_closedStall, _window.LongestStall);

    public TimeSpan LongestGcPause => Max(_closedPause, _window.LongestGcPause);

    /// <summary>The longest pause of the forced full collections.</summary>
    public TimeSpan LongestForcedPause { get; private set; }

    /// <summary>The managed heap after a full, blocking collection, kept out of the workload's figures.</summary>
    public async Task<long> CollectAsync()
    {
        (_closedStall, _closedPause) = (LongestStall, LongestGcPause);
        _window.Dispose();
        using (var forced = RuntimeStalls.Watch())
        {
            var managed = GC.GetTotalMemory(forceFullCollection: true);
            await Task.Delay(TimeSpan.FromMilliseconds(200)); // the watcher wakes every 20 ms: it has recorded the collection
            LongestForcedPause = Max(LongestForcedPause, Max(forced.LongestGcPause, forced.LongestStall));
            _window = RuntimeStalls.Watch();
            return managed;
        }
    }

    public void Dispose() => _window.Dispose();

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
