using System.Diagnostics;
using System.Globalization;
using Vpp.Client;
using Vpp.Domain.Assets;
using Vpp.Testing;

namespace Vpp.Sdk.Benchmarks;

internal sealed record BenchSettings(
    int IngestAssets, double IngestSeconds, int[] DispatchFleets, int Dispatches, int BatchSize, int ConcurrentBatches, int UnbatchedInFlight, string SiloDll)
{
    public static BenchSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        int Int(string key, int fallback) => values.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new BenchSettings(
            Int("ingest-assets", 20_000),
            values.TryGetValue("ingest-seconds", out var s) ? double.Parse(s, CultureInfo.InvariantCulture) : 20,
            values.TryGetValue("dispatch-fleets", out var f) ? [.. f.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture))] : [1_000, 10_000],
            Int("dispatches", 30),
            Int("batch-size", 2_000),
            Int("concurrent-batches", 4),
            Int("unbatched-in-flight", 256),
            values.TryGetValue("silo-dll", out var dll) ? dll : SiloProcess.SiloDll);
    }

    public override string ToString() =>
        $"ingest {IngestAssets:N0} assets for {IngestSeconds} s each way, dispatch fleets {string.Join("/", DispatchFleets)} x {Dispatches}, batch {BatchSize} x {ConcurrentBatches} in flight, unbatched {UnbatchedInFlight} in flight";
}

internal sealed record Throughput(long Count, TimeSpan Elapsed)
{
    public double PerSecond => Count / Elapsed.TotalSeconds;
}

internal static class Measure
{
    /// <summary>Repeats a step (which returns how many updates it made) until the duration is up.</summary>
    public static async Task<Throughput> ForAsync(TimeSpan duration, Func<Task<int>> step)
    {
        long count = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < duration)
        {
            count += await step();
        }

        return new Throughput(count, sw.Elapsed);
    }

    public static double Percentile(IReadOnlyList<double> sorted, double percent) =>
        sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

internal static class Setup
{
    public static async Task<string[]> RegisterBatteriesAsync(VppClient vpp, string fleetId, int count)
    {
        var sw = Stopwatch.StartNew();
        var ids = Enumerable.Range(0, count).Select(i => $"{fleetId}-b{i:D7}").ToArray();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
            await vpp.RegisterAssetAsync(ids[i], new AssetSpec
            {
                FleetId = fleetId,
                Kind = AssetKind.Battery,
                MinPowerKw = -50,
                MaxPowerKw = 50,
                EnergyCapacityKwh = 200,
                MarginalCostEurPerMwh = 10 + i % 7, // a few cost levels, as merit order sees in a real fleet
            }, ct));
        Console.WriteLine($"  registered {count:N0} batteries in fleet {fleetId} in {sw.Elapsed.TotalSeconds:0.0} s");
        return ids;
    }

    public static async Task WaitOnlineAsync(VppClient vpp, string fleetId, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await vpp.GetFleetAsync(fleetId)).Counts.OnlineCount < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"fleet {fleetId} did not report {count} online assets");
            }

            await Task.Delay(100);
        }
    }
}
