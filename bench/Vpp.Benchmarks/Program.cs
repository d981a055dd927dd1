using System.Collections;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using Vpp.Benchmarks;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

// Ctrl+C or SIGTERM (e.g. from `timeout`) ends the run at once: the silo is in memory, nothing needs saving, and
// the host's own handler would otherwise stop the silo underneath a scenario that keeps calling it.
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);

PrintEnvironment();
using var storage = new StorageStats();
var results = new List<ScenarioResult>();
var partitionCounts = options.Partitions.Count == 0 ? [null] : options.Partitions.Select(p => (int?)p).ToList();
foreach (var assets in options.Assets)
{
    if (options.Slices is { } slices)
    {
        results.Add(await SliceSlotChange.RunAsync(assets, slices, options, storage));
        continue;
    }

    foreach (var partitions in partitionCounts)
    {
        results.Add(await Scenario.RunAsync(assets, partitions, options, storage));
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}

PrintSummary(results, options);
return results.All(r => r.Ok) ? 0 : 1;

static void Interrupt(PosixSignalContext context)
{
    context.Cancel = true;
    if (Interlocked.Exchange(ref Interruption.Seen, 1) == 1)
    {
        return;
    }

    Console.WriteLine($"{Environment.NewLine}interrupted ({context.Signal}): stopping without results");
    Console.Out.Flush();
    // No graceful silo shutdown (minutes with a million activations): exit, and if the host's exit handlers hold
    // the process for more than a few seconds, end it.
    _ = Task.Run(async () =>
    {
        await Task.Delay(TimeSpan.FromSeconds(5));
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        self.Kill();
    });
    Environment.Exit(130);
}

static void PrintEnvironment()
{
    var cpu = File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        : null;
    Console.WriteLine($"Vpp.Benchmarks — {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}");
    Console.WriteLine(
        $"cores {Environment.ProcessorCount}, CPU {cpu ?? "?"}, memory available to GC {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024:0.0} GB");
    Console.WriteLine(
        $"GC: server {GCSettings.IsServerGC}, latency mode {GCSettings.LatencyMode}, concurrent {AppContext.GetData("System.GC.Concurrent") ?? "?"}; "
        + $"TieredPGO {AppContext.GetData("System.Runtime.TieredPGO") ?? "default"}, TieredCompilation {AppContext.GetData("System.Runtime.TieredCompilation") ?? "default"}");
    var grainsVersion = typeof(Vpp.Grains.VppOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
    Console.WriteLine($"Vpp.Grains {grainsVersion ?? "?"} (the part after '+' is the commit it was built from; uncommitted edits are not shown)");
    var knobs = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
        .Select(e => $"{e.Key}={e.Value}")
        .Where(e => e.StartsWith("DOTNET_", StringComparison.Ordinal) && !e.StartsWith("DOTNET_CLI", StringComparison.Ordinal)
            && !e.StartsWith("DOTNET_NOLOGO", StringComparison.Ordinal) && !e.StartsWith("DOTNET_ROOT", StringComparison.Ordinal))
        .Order()
        .ToList();
    Console.WriteLine($"runtime knobs from the environment: {(knobs.Count == 0 ? "none" : string.Join(" ", knobs))}");
}

static void PrintSummary(List<ScenarioResult> results, BenchOptions options)
{
    Console.WriteLine();
    Console.WriteLine($"## Dispatch latency ({options.Dispatches} measured after {options.Warmup} warm-up per design; nearest-rank percentiles, ms)");
    Console.WriteLine();
    Console.WriteLine("| assets | partitions | design | p50 | p95 | p99 | max | mean | GC pause / dispatch | alloc / asset / dispatch | CPU / asset / dispatch | cores own / others | failures |");
    Console.WriteLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var r in results)
    {
        foreach (var d in r.Designs)
        {
            Console.WriteLine(
                $"| {r.Assets:N0} | {r.Partitions} | {d.Design} | {d.Percentile(50):0.0} | {d.Percentile(95):0.0} | {d.Percentile(99):0.0} | {d.Max:0.0} | {d.Mean:0.0} "
                + $"| {d.MeanGcPauseMs:0.0} ms | {d.MeanAllocatedBytes / r.Assets:N0} B | {1000 * d.MeanCpuMs / r.Assets:0.0} µs | {d.OwnCores:0.00} / {d.OtherCores:0.00} | {d.Failures} |");
        }
    }

    var compared = results.Where(r => r.Designs.Any(d => d.Design == Scenario.Naive)).ToList();
    if (compared.Count > 0)
    {
        Console.WriteLine();
        Console.WriteLine("| assets | partitions | naive ÷ fleet at p50 | naive ÷ fleet at p99 |");
        Console.WriteLine("|---:|---:|---:|---:|");
        foreach (var r in compared)
        {
            var fleet = r.Designs.Single(d => d.Design == Scenario.Fleet);
            var naive = r.Designs.Single(d => d.Design == Scenario.Naive);
            Console.WriteLine(
                $"| {r.Assets:N0} | {r.Partitions} | {naive.Percentile(50) / fleet.Percentile(50):0.0}× | {naive.Percentile(99) / fleet.Percentile(99):0.0}× |");
        }
    }

    Console.WriteLine();
    Console.WriteLine("## Registration and memory");
    Console.WriteLine();
    Console.WriteLine("| assets | partitions | register (activate + store + join) | telemetry → online | fleet sees all online | managed Δ / asset | working set Δ / asset |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var r in results)
    {
        Console.WriteLine(
            $"| {r.Assets:N0} | {r.Partitions} | {r.ConfigureTime.TotalSeconds:0.0} s ({r.Assets / r.ConfigureTime.TotalSeconds:N0}/s) "
            + $"| {r.TelemetryTime.TotalSeconds:0.0} s ({r.Assets / r.TelemetryTime.TotalSeconds:N0}/s) | +{r.OnlineWait.TotalSeconds:0.0} s "
            + $"| {(r.ManagedAfterRegistration - r.ManagedBefore) / (double)r.Assets:N0} B | {(r.WorkingSetAfterRegistration - r.WorkingSetBefore) / (double)r.Assets:N0} B |");
    }

    foreach (var r in results.Where(r => !r.Ok))
    {
        Console.WriteLine();
        Console.WriteLine($"FAILED: {r.Assets:N0} assets / {r.Partitions} partitions: {r.Error ?? string.Join("; ", r.Designs.Where(d => d.Failures > 0).Select(d => $"{d.Design}: {d.Failures} failure(s)"))}");
    }
}

internal static class Interruption
{
    public static int Seen;
}
