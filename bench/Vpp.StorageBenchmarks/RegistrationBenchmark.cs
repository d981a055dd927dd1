using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.InteropServices;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Grains.Diagnostics;
using Vpp.Testing;

namespace Vpp.StorageBenchmarks;

/// <summary>
/// Bulk registration against one call per asset, per storage profile in the same run (SQLite default, and PostgreSQL
/// when VPP_POSTGRES is set): N batteries registered one by one (64 calls in flight, what an import through
/// PUT /assets/{id} or RegisterAssetAsync does at best), then N others in batches of <see cref="AssetBatch.MaxSize"/>
/// through <see cref="IAssetRegistrationGrain"/> (what PUT /fleets/{id}/assets and RegisterAssetsAsync call). Each
/// registration answers once the asset's state and its partition's membership are stored.
/// </summary>
internal static class RegistrationBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var assets = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        Console.WriteLine($"Registration — {RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} cores, {assets:N0} assets each way");
        var profiles = new List<StorageProfile> { new SqliteProfile() };
        if (PostgresProfile.FromEnvironment() is { } postgres)
        {
            profiles.Add(postgres);
        }
        else
        {
            Console.WriteLine("VPP_POSTGRES is not set: PostgreSQL skipped (eval \"$(scripts/postgres.sh env)\" first)");
        }

        var rows = new List<string>();
        foreach (var profile in profiles)
        {
            await using (profile)
            {
                await using var silo = await StorageSilo.StartAsync(profile);
                var run = Guid.NewGuid().ToString("N")[..6];

                var singleFleet = $"reg-single-{run}";
                var singleIds = Enumerable.Range(0, assets).Select(i => $"reg-s-{run}-{i:D7}").ToArray();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var single = await Phase.RunOnceAsync($"[{profile.Name}] one call per asset", singleIds, 64,
                    id => silo.Grains.GetGrain<IAssetGrain>(id).ConfigureAsync(OutageBenchmark.Battery(singleFleet)));
                await CheckCountAsync(silo, singleFleet, assets);
                var singleCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

                var bulkFleet = $"reg-bulk-{run}";
                var bulkIds = Enumerable.Range(0, assets).Select(i => $"reg-b-{run}-{i:D7}").ToArray();
                var registration = silo.Grains.GetGrain<IAssetRegistrationGrain>(0);
                var done = 0;
                var batchLines = new List<string>();
                using var steps = new BulkSteps();
                cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                using (Phase.Progress($"[{profile.Name}] batches of {AssetBatch.MaxSize:N0}", () => done, sw))
                {
                    foreach (var batch in bulkIds.Chunk(AssetBatch.MaxSize))
                    {
                        using var batchSteps = new BulkSteps();
                        var batchStarted = Stopwatch.GetTimestamp();
                        var result = await registration.RegisterAsync(bulkFleet, [.. batch.Select(id => new AssetRegistration(id, OutageBenchmark.Battery(bulkFleet)))]);
                        batchLines.Add($"[{profile.Name}] batch {batchLines.Count + 1} answered in {Stopwatch.GetElapsedTime(batchStarted).TotalSeconds:0.00} s: {batchSteps}");
                        if (result.RefusedCount > 0)
                        {
                            throw new InvalidOperationException($"{result.RefusedCount} refused: {result.Outcomes.First(o => !o.Registered).Problems[0]}");
                        }

                        done += batch.Length;
                    }
                }

                var bulk = sw.Elapsed;
                await CheckCountAsync(silo, bulkFleet, assets);
                var bulkCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                batchLines.ForEach(Console.WriteLine);
                Console.WriteLine($"[{profile.Name}] bulk steps over {bulk.TotalSeconds:0.00} s wall: {steps}");
                rows.Add($"| {profile.Name} | {assets / single.TotalSeconds:N0} ({single.TotalSeconds:0.0} s) | {assets / bulk.TotalSeconds:N0} ({bulk.TotalSeconds:0.0} s) "
                    + $"| {single.TotalSeconds / bulk.TotalSeconds:0.0}× | {CpuPerAsset(singleCpu, assets)} / {CpuPerAsset(bulkCpu, assets)} |");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"| storage | one call per asset, 64 in flight: assets/s | batches of {AssetBatch.MaxSize:N0}: assets/s | batched ÷ single | process CPU / asset, single / batched |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    /// <summary>
    /// Sums the silo's <c>vpp.registration.bulk.step.duration</c> records by step. Partitions run their steps side by
    /// side, so the sums are time spent in each step over every partition call, not shares of the wall clock.
    /// </summary>
    private sealed class BulkSteps : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, (int Count, double Seconds)> _sums = new(StringComparer.Ordinal);

        public BulkSteps()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == VppMetrics.BulkRegistrationStep.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
            {
                var step = tags.Length > 0 ? tags[0].Value as string ?? "?" : "?";
                lock (_sums)
                {
                    var (count, sum) = _sums.GetValueOrDefault(step);
                    _sums[step] = (count + 1, sum + seconds);
                }
            });
            _listener.Start();
        }

        public override string ToString()
        {
            lock (_sums)
            {
                return string.Join("; ", _sums.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s =>
                    $"{s.Key} {s.Value.Count:N0}× sum {s.Value.Seconds:0.00} s mean {s.Value.Seconds * 1000 / s.Value.Count:0.0} ms"));
            }
        }

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>Process CPU (every thread: silo, storage driver, GC) per registration, until the fleet counted them all.</summary>
    private static string CpuPerAsset(TimeSpan cpu, int assets) => $"{cpu.TotalMilliseconds * 1000 / assets:N0} µs";

    /// <summary>The fleet counts every registered asset (partitions report their members to it).</summary>
    private static async Task CheckCountAsync(InProcessSilo silo, string fleetId, int assets)
    {
        var deadline = Stopwatch.StartNew();
        while ((await silo.Grains.GetGrain<IFleetGrain>(fleetId).GetAsync())?.Counts.AssetCount != assets)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new InvalidOperationException($"fleet {fleetId} does not count {assets:N0} assets");
            }

            await Task.Delay(200);
        }
    }
}
