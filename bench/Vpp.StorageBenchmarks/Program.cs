using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Vpp.Abstractions.Assets;
using Vpp.Domain.Assets;
using Vpp.StorageBenchmarks;
using Vpp.Testing;

// Storage figures of the real grains: persisted state writes/s (spec updates, each written before the call
// answers) and telemetry updates/s (written behind), for each storage profile in the same run.
//   dotnet run -c Release --project bench/Vpp.StorageBenchmarks -- [assets] [seconds per phase] [calls in flight]
//   dotnet run -c Release --project bench/Vpp.StorageBenchmarks -- outage [assets]   (see OutageBenchmark)
//   dotnet run -c Release --project bench/Vpp.StorageBenchmarks -- register [assets] (see RegistrationBenchmark)
//   dotnet run -c Release --project bench/Vpp.StorageBenchmarks -- scale [assets,assets] (see ScaleBenchmark)
//   dotnet run -c Release --project bench/Vpp.StorageBenchmarks -- cluster <assets> [--silos 3] [--dispatches 10] [--kill] (see ClusterBenchmark)
if (args is ["outage", .. var outageArgs])
{
    return await OutageBenchmark.RunAsync(outageArgs);
}

if (args is ["scale", .. var scaleArgs])
{
    return await ScaleBenchmark.RunAsync(scaleArgs);
}

if (args is ["cluster", .. var clusterArgs])
{
    return await ClusterBenchmark.RunAsync(clusterArgs);
}

if (args is ["register", .. var registerArgs])
{
    return await RegistrationBenchmark.RunAsync(registerArgs);
}

var assets = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000;
var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 15;
var inFlight = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 64;

Console.WriteLine($"Vpp.StorageBenchmarks — {RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} cores, "
    + $"{assets:N0} assets, {seconds:0} s per phase, {inFlight} calls in flight");
var profiles = new List<StorageProfile> { new SqliteProfile(maxWriteBatch: 1), new SqliteProfile() };
if (PostgresProfile.FromEnvironment() is not { } postgres)
{
    Console.WriteLine("VPP_POSTGRES is not set: PostgreSQL skipped (eval \"$(scripts/postgres.sh env)\" first)");
}
else
{
    var pooled = new Npgsql.NpgsqlConnectionStringBuilder(postgres.ConnectionString);
    Console.WriteLine($"PostgreSQL at {pooled.Host}:{pooled.Port}, pool of at most {pooled.MaxPoolSize} connections (the silo's default)");
    profiles.Add(postgres);
}

var rows = new List<string>();
foreach (var profile in profiles)
{
    await using (profile)
    {
        Console.WriteLine($"[{profile.Name}] starting a silo");
        await using var silo = await StartAsync(profile);
        var fleetId = "bench-fleet-" + Guid.NewGuid().ToString("N")[..6];
        var ids = Enumerable.Range(0, assets).Select(i => $"bench-{i:D6}").ToArray();
        var specs = 0;

        var register = await Phase.RunOnceAsync($"[{profile.Name}] registering", ids, inFlight,
            id => silo.Grains.GetGrain<IAssetGrain>(id).ConfigureAsync(Spec(fleetId, 0)));
        Console.WriteLine($"[{profile.Name}] registered {assets:N0} assets in {register.TotalSeconds:0.0} s");

        var writes = await Phase.RunForAsync($"[{profile.Name}] spec updates (state written before answering)", ids, inFlight, seconds,
            id => silo.Grains.GetGrain<IAssetGrain>(id).ConfigureAsync(Spec(fleetId, Interlocked.Increment(ref specs))));

        var start = DateTimeOffset.UtcNow;
        var sequence = 0;
        var telemetry = await Phase.RunForAsync($"[{profile.Name}] telemetry (written behind)", ids, inFlight, seconds,
            id =>
            {
                var n = Interlocked.Increment(ref sequence);
                return silo.Grains.GetGrain<IAssetGrain>(id).ReportTelemetryAsync(
                    new Telemetry(start + TimeSpan.FromTicks(n), n % 100, StateOfChargePercent: 50));
            });

        rows.Add($"| {profile.Name} | {writes.PerSecond:N0} | {writes.P50Ms:0.0} / {writes.P99Ms:0.0} | {telemetry.PerSecond:N0} | {telemetry.P50Ms:0.00} / {telemetry.P99Ms:0.00} | {register.TotalSeconds:0.0} s |");
        Console.WriteLine($"[{profile.Name}] stopping (deactivation writes the telemetry behind)");
    }
}

Console.WriteLine();
Console.WriteLine("| storage | state writes/s (spec update) | write call p50 / p99 ms | telemetry updates/s | telemetry call p50 / p99 ms | register (write + join) |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
rows.ForEach(Console.WriteLine);
return 0;

static Task<InProcessSilo> StartAsync(StorageProfile profile) => StorageSilo.StartAsync(profile);

static AssetSpec Spec(string fleetId, int version) => new()
{
    FleetId = fleetId,
    Kind = AssetKind.Battery,
    MinPowerKw = -100,
    MaxPowerKw = 100,
    EnergyCapacityKwh = 400,
    MarginalCostEurPerMwh = version % 1000, // a real change each time
};

/// <summary>Runs calls over the assets with a fixed number in flight, reporting progress every few seconds.</summary>
internal static class Phase
{
    public sealed record Result(double PerSecond, double P50Ms, double P99Ms);

    public static async Task<TimeSpan> RunOnceAsync(string label, string[] ids, int inFlight, Func<string, Task> call)
    {
        var sw = Stopwatch.StartNew();
        var next = -1;
        var workers = Enumerable.Range(0, inFlight).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < ids.Length)
            {
                await call(ids[i]);
            }
        });
        using var progress = Progress(label, () => Math.Min(next, ids.Length), sw);
        await Task.WhenAll(workers);
        return sw.Elapsed;
    }

    public static async Task<Result> RunForAsync(string label, string[] ids, int inFlight, double seconds, Func<string, Task> call)
    {
        var sw = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        var count = 0;
        var latencies = new List<double>[inFlight];
        var workers = Enumerable.Range(0, inFlight).Select(async w =>
        {
            var mine = latencies[w] = [];
            var i = w;
            while (sw.Elapsed < deadline)
            {
                var started = sw.Elapsed.TotalMilliseconds;
                await call(ids[i % ids.Length]); // each worker walks its own slice of assets: no two calls share a grain
                mine.Add(sw.Elapsed.TotalMilliseconds - started);
                Interlocked.Increment(ref count);
                i += inFlight;
            }
        });
        using (Progress(label, () => count, sw))
        {
            await Task.WhenAll(workers);
        }

        var all = latencies.SelectMany(l => l).Order().ToArray();
        var result = new Result(count / sw.Elapsed.TotalSeconds, Percentile(all, 50), Percentile(all, 99));
        Console.WriteLine($"{label}: {count:N0} calls in {sw.Elapsed.TotalSeconds:0.0} s = {result.PerSecond:N0}/s, p50 {result.P50Ms:0.00} ms, p99 {result.P99Ms:0.00} ms");
        return result;
    }

    private static double Percentile(double[] sorted, int p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];

    public static Timer Progress(string label, Func<int> done, Stopwatch sw) =>
        new(_ => Console.WriteLine($"  {label}: {done():N0} calls after {sw.Elapsed.TotalSeconds:0} s"), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
}
