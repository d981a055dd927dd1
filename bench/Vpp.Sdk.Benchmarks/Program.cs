// SDK benchmarks: telemetry ingest from one client process (batched vs one call per measurement, same run) and
// dispatch round trips through the SDK, against a real silo process.
//   dotnet run -c Release --project bench/Vpp.Sdk.Benchmarks -- [--ingest-assets 20000] [--ingest-seconds 20]
//       [--dispatch-fleets 1000,10000] [--dispatches 30] [--batch-size 2000] [--concurrent-batches 4] [--unbatched-in-flight 256]
using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Ingest;
using Vpp.Client;
using Vpp.Domain.Assets;
using Vpp.Sdk.Benchmarks;
using Vpp.Testing;

var settings = BenchSettings.Parse(args);
var cpu = File.Exists("/proc/cpuinfo")
    ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
    : "?";
Console.WriteLine($"Vpp.Sdk.Benchmarks — {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, cores {Environment.ProcessorCount}, CPU {cpu}, server GC {GCSettings.IsServerGC}");
Console.WriteLine($"settings: {settings}");

// A real silo in its own process (in-memory storage, free loopback ports), so the SDK is measured the way a trading
// system or gateway uses it: another process, over the gateway's TCP connection.
var serviceId = "vpp-sdk-bench-" + Guid.NewGuid().ToString("N")[..8];
await using var silo = SiloProcess.Start(new SiloProcessOptions
{
    Name = "sdk-bench",
    SiloDll = settings.SiloDll,
    Arguments =
    [
        "--in-memory", $"--Orleans:ServiceId={serviceId}", "--Orleans:ClusterId=vpp-sdk-bench",
        "--Demo:Enabled=false", "--Vpp:OfflineAfter=01:00:00", "--Logging:LogLevel:Default=Warning",
    ],
    Echo = line =>
    {
        if (line.Length > 0)
        {
            Console.WriteLine($"  silo| {line}");
        }
    },
});
var options = new VppClientOptions
{
    LocalGatewayPort = silo.GatewayPort,
    ServiceId = serviceId,
    ClusterId = "vpp-sdk-bench",
    ConnectTimeout = TimeSpan.FromSeconds(60),
    ResponseTimeout = TimeSpan.FromSeconds(60),
    TelemetryBatchSize = settings.BatchSize,
    MaxConcurrentTelemetryBatches = settings.ConcurrentBatches,
};
await using var vpp = await VppClient.ConnectAsync(options);
Console.WriteLine($"connected to the silo process (gateway 127.0.0.1:{silo.GatewayPort})");

// --- Telemetry ingest ---
var ingestIds = await Setup.RegisterBatteriesAsync(vpp, "ingest", settings.IngestAssets);
var round = 0;
AssetTelemetry[] NextRound()
{
    // Power moves every round (a real update); SoC stays put, so the assets' capability does not change and the
    // measurement is the ingest path itself, not partition and fleet re-aggregation.
    round++;
    return [.. ingestIds.Select((id, i) => new AssetTelemetry(id, new Telemetry(null, (i + round) % 50, StateOfChargePercent: 50)))];
}

await vpp.ReportTelemetryBatchAsync(NextRound()); // warm-up: activates every asset
var batched = await Measure.ForAsync(TimeSpan.FromSeconds(settings.IngestSeconds), async () =>
{
    var result = await vpp.ReportTelemetryBatchAsync(NextRound());
    if (result.RefusedCount > 0)
    {
        throw new InvalidOperationException($"{result.RefusedCount} refused: {result.Outcomes.First(o => !o.Accepted).Problems[0]}");
    }

    return result.Outcomes.Length;
});
Console.WriteLine($"ingest batched   ({settings.IngestAssets:N0} assets, batches of {settings.BatchSize:N0}, {settings.ConcurrentBatches} in flight): {batched.PerSecond:N0} updates/s ({batched.Count:N0} in {batched.Elapsed.TotalSeconds:0.0} s)");

var next = 0;
var unbatched = await Measure.ForAsync(TimeSpan.FromSeconds(settings.IngestSeconds), async () =>
{
    // One SDK call per measurement, many in flight: what a gateway does without the batch API.
    var tasks = new Task[settings.UnbatchedInFlight];
    for (var i = 0; i < tasks.Length; i++)
    {
        var k = Interlocked.Increment(ref next);
        tasks[i] = vpp.ReportTelemetryAsync(ingestIds[k % ingestIds.Length], new Telemetry(null, k % 50, StateOfChargePercent: 50));
    }

    await Task.WhenAll(tasks);
    return tasks.Length;
});
Console.WriteLine($"ingest unbatched (one call each, {settings.UnbatchedInFlight} in flight): {unbatched.PerSecond:N0} updates/s ({unbatched.Count:N0} in {unbatched.Elapsed.TotalSeconds:0.0} s); batched is {batched.PerSecond / unbatched.PerSecond:0.0}x");

// --- Dispatch round trips ---
var dispatchLines = new List<string>();
foreach (var size in settings.DispatchFleets)
{
    var fleetId = $"dispatch-{size}";
    var ids = await Setup.RegisterBatteriesAsync(vpp, fleetId, size);
    await vpp.ReportTelemetryBatchAsync([.. ids.Select(id => new AssetTelemetry(id, new Telemetry(null, 0, StateOfChargePercent: 50)))]);
    await Setup.WaitOnlineAsync(vpp, fleetId, size);
    var fleet = await vpp.GetFleetAsync(fleetId);
    var samples = new List<double>();
    for (var i = -3; i < settings.Dispatches; i++)
    {
        // Alternate between two targets, so every dispatch moves every asset.
        var target = (i % 2 == 0 ? 0.6 : 0.3) * fleet.Capacity.MaxKw;
        var sw = Stopwatch.StartNew();
        var result = await vpp.DispatchAsync(fleetId, new DispatchRequest(target, IncludeSetpoints: false));
        sw.Stop();
        if (Math.Abs(result.ShortfallKw) > 1)
        {
            throw new InvalidOperationException($"dispatch fell short by {result.ShortfallKw} kW");
        }

        if (i >= 0)
        {
            samples.Add(sw.Elapsed.TotalMilliseconds);
        }
    }

    samples.Sort();
    var line = $"dispatch round trip, fleet of {size:N0}: p50 {Measure.Percentile(samples, 50):0.0} ms, p99 {Measure.Percentile(samples, 99):0.0} ms, max {samples[^1]:0.0} ms ({samples.Count} dispatches after 3 warm-up, setpoints not returned)";
    Console.WriteLine(line);
    dispatchLines.Add(line);
}

Console.WriteLine();
Console.WriteLine("summary");
Console.WriteLine($"  ingest batched {batched.PerSecond:N0}/s vs unbatched {unbatched.PerSecond:N0}/s (target >= 100,000/s batched)");
dispatchLines.ForEach(l => Console.WriteLine("  " + l));
return 0;
