using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Grains;
using Vpp.Grains.Contracts;
using Vpp.Testing;

namespace Vpp.StorageBenchmarks;

/// <summary>
/// A gateway outage on the SQLite default: every asset of one fleet reports offline at once (one status write each,
/// stored before the fleet hears of it), and the fleet is dispatched while those writes queue. Measures the time until
/// every status is stored and how long the dispatch took and how many assets acknowledged it, for the one-at-a-time
/// writer and the batching writer in the same run.
/// </summary>
internal static class OutageBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var assets = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var ackTimeout = new VppOptions().SetpointAckTimeout;
        Console.WriteLine($"Outage — {RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} cores, {assets:N0} assets "
            + $"in one fleet go offline at once; SetpointAckTimeout {ackTimeout.TotalSeconds:0.#} s");
        var rows = new List<string>();
        // Batches first: at 100,000 the one-at-a-time baseline takes ten minutes to set up and its status calls can
        // outlive the 30 s call timeout, which is itself a result, not a reason to lose the batched figures.
        foreach (var batch in new[] { Vpp.Silo.Storage.SqliteStorageSetup.DefaultMaxWriteBatch, 1 })
        {
            await using var profile = new SqliteProfile(batch);
            await using var silo = await StorageSilo.StartAsync(profile);
            var fleetId = "outage-" + Guid.NewGuid().ToString("N")[..6];
            var ids = Enumerable.Range(0, assets).Select(i => $"outage-{i:D6}").ToArray();
            var now = DateTimeOffset.UtcNow;
            var setup = await Phase.RunOnceAsync($"[{profile.Name}] registering and bringing online", ids, 64, async id =>
            {
                var asset = silo.Grains.GetGrain<IAssetGrain>(id);
                await asset.ConfigureAsync(Battery(fleetId));
                await asset.ReportTelemetryAsync(new Telemetry(now, 0, StateOfChargePercent: 50));
            });
            var fleet = silo.Grains.GetGrain<IFleetGrain>(fleetId);
            var before = await fleet.DispatchAsync(new DispatchRequest(assets * 10.0, DispatchStrategy.ProRata, IncludeSetpoints: false));
            Console.WriteLine($"[{profile.Name}] ready in {setup.TotalSeconds:0} s; a dispatch before the outage: "
                + $"{before.AcknowledgedCount:N0} acknowledged, {before.UnacknowledgedCount:N0} not");

            var sw = Stopwatch.StartNew();
            var stored = 0;
            var timedOut = 0;
            var reports = ids.Select(async id =>
            {
                try
                {
                    await silo.Grains.GetGrain<IAssetGrain>(id).ReportStatusAsync(AssetStatus.Offline, "gateway outage");
                    Interlocked.Increment(ref stored);
                }
                catch (TimeoutException)
                {
                    // The write still completes later; the caller just stopped waiting for it.
                    Interlocked.Increment(ref timedOut);
                }
            }).ToArray();
            using var progress = new Timer(
                _ => Console.WriteLine($"  [{profile.Name}] {Volatile.Read(ref stored):N0} of {assets:N0} offline statuses stored after {sw.Elapsed.TotalSeconds:0} s"),
                null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));

            // Setpoints straight to every 10th asset while its status write queues (the partition's side of a dispatch).
            var setpointLatencies = new double[(assets + 9) / 10];
            var setpoints = Enumerable.Range(0, setpointLatencies.Length).Select(async i =>
            {
                var started = sw.Elapsed;
                await silo.Grains.GetGrain<IAssetMember>(ids[i * 10]).ApplySetpointAsync(10);
                setpointLatencies[i] = (sw.Elapsed - started).TotalSeconds;
            }).ToArray();

            // The fleet dispatch starts while the status writes queue.
            var dispatchWatch = Stopwatch.StartNew();
            string dispatched;
            try
            {
                var during = await fleet.DispatchAsync(new DispatchRequest(assets * 5.0, DispatchStrategy.ProRata, IncludeSetpoints: false));
                dispatched = $"{dispatchWatch.Elapsed.TotalSeconds:0.00} s, {during.AcknowledgedCount:N0} acknowledged / {during.UnacknowledgedCount:N0} not";
            }
            catch (TimeoutException)
            {
                // The fleet is busy with the re-dispatches the outage's status changes start.
                dispatched = $"no answer within the call timeout ({dispatchWatch.Elapsed.TotalSeconds:0} s)";
            }

            Console.WriteLine($"[{profile.Name}] dispatch during the outage: {dispatched}; {stored:N0} statuses stored by then");

            await Task.WhenAll(setpoints);
            var withinTimeout = setpointLatencies.Count(l => l <= ackTimeout.TotalSeconds);
            var slowest = setpointLatencies.Max();
            Console.WriteLine($"[{profile.Name}] setpoints to {setpointLatencies.Length:N0} assets going offline: {withinTimeout:N0} answered "
                + $"within {ackTimeout.TotalSeconds:0.#} s, slowest {slowest:0.00} s");

            await Task.WhenAll(reports);
            var allStored = sw.Elapsed.TotalSeconds;
            var storedText = timedOut == 0
                ? $"{allStored:0.0} s"
                : $"{allStored:0.0} s, {timedOut:N0} calls past the 30 s call timeout";
            Console.WriteLine($"[{profile.Name}] all {assets:N0} offline statuses answered in {storedText} ({assets / allStored:N0}/s)");
            var row = $"| {profile.Name} | {storedText} | {assets / allStored:N0} | {dispatched} | {withinTimeout:N0} of {setpointLatencies.Length:N0}, slowest {slowest:0.00} s | {setup.TotalSeconds:0} s |";
            Console.WriteLine(row);
            rows.Add(row);
        }

        Console.WriteLine();
        Console.WriteLine($"| writer | {assets:N0} offline statuses stored | statuses/s | fleet dispatch during the outage | setpoints to assets going offline answered within the ack timeout | set-up (register + online) |");
        Console.WriteLine("|---|---:|---:|---|---:|---:|");
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    /// <summary>The battery every storage scenario registers.</summary>
    internal static AssetSpec Battery(string fleetId) => new()
    {
        FleetId = fleetId, Kind = AssetKind.Battery, MinPowerKw = -100, MaxPowerKw = 100, EnergyCapacityKwh = 400,
    };
}
