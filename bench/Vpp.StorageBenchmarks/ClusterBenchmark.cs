using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Vpp.Testing;

namespace Vpp.StorageBenchmarks;

/// <summary>
/// A large fleet on several real silo processes (<see cref="SiloCluster"/>: <c>dotnet Vpp.Silo.dll</c>, Postgres
/// profile, mutual TLS, the silo's own Server GC) on $VPP_POSTGRES, driven only through the HTTP API as an operator's
/// systems drive it: N batteries registered in bulk (<c>PUT /fleets/{id}/assets</c>, batches of 10,000 round-robin over
/// the silos), one measurement each (<c>POST /telemetry</c>), then dispatches through the silos in turn (plain run) or
/// back to back through silo 1 while the last silo is SIGKILLed (<c>--kill</c>). The run's rows are deleted at the end.
/// </summary>
internal static class ClusterBenchmark
{
    private const int Batch = 10_000;
    private const int BatchesInFlight = 3;
    private const int MaxSends = 5;
    private const double AssetMaxKw = 10;
    private static readonly double[] CostsEurPerMwh = [20, 35, 50, 65, 80];
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ScalePatience = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var assets) || assets < 1)
        {
            Console.Error.WriteLine("usage: cluster <assets> [--silos 3] [--dispatches 10] [--kill] [--ack-timeout 00:00:02] [--workstation-gc] [--silo-env NAME=VALUE]...");
            return 2;
        }

        var silos = IntOption(args, "--silos", 3);
        var dispatches = IntOption(args, "--dispatches", 10);
        var kill = args.Contains("--kill");
        var ackTimeout = Option(args, "--ack-timeout");
        var workstationGc = args.Contains("--workstation-gc");
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("VPP_POSTGRES")))
        {
            Console.Error.WriteLine("cluster: VPP_POSTGRES is not set; the silos need PostgreSQL: eval \"$(scripts/postgres.sh env)\" first");
            return 2;
        }

        if (kill && silos < 2)
        {
            Console.Error.WriteLine("cluster --kill: needs at least 2 silos (one is killed, the others carry on)");
            return 2;
        }

        // The plain run measures whole dispatches: every acknowledgement is waited for (as the one-silo ScaleBenchmark
        // does), not counted missing after the product's 2 s and re-dispatched. --kill keeps the product's deadlines
        // unless --ack-timeout says otherwise: recovery is measured as an operator runs it.
        var settings = new Dictionary<string, string>
        {
            ["Vpp__OfflineAfter"] = "01:00:00",
            ["Vpp__PartitionsPerFleet"] = "256",
        };
        if (!kill)
        {
            settings["Vpp__SetpointAckTimeout"] = settings["Orleans__Messaging__ResponseTimeout"] = ScalePatience.ToString();
        }

        if (ackTimeout is not null)
        {
            settings["Vpp__SetpointAckTimeout"] = ackTimeout;
        }

        // The product's GC (Server, background gen2, from the silo's runtimeconfig), not the tests' workstation GC;
        // --workstation-gc runs the silos with workstation background GC (one heap, collected on the allocating thread),
        // the setting to compare for several silos sharing few cores.
        // --silo-env NAME=VALUE (repeatable) sets a variable for the silo processes only, e.g. a runtime knob to compare.
        var siloEnvironment = new Dictionary<string, string?> { ["DOTNET_gcServer"] = workstationGc ? "0" : null };
        foreach (var (name, value) in Options(args, "--silo-env").Select(SplitAssignment))
        {
            siloEnvironment[name] = value;
        }

        var cluster = SiloCluster.Create("bench");
        cluster.ProcessEnvironment = siloEnvironment;
        Console.WriteLine($"silo GC: {(workstationGc ? "workstation (DOTNET_gcServer=0)" : "server (the silo's runtimeconfig)")}, background gen2; "
            + $"silo environment: {string.Join(" ", siloEnvironment.Where(e => e.Value is not null).Select(e => $"{e.Key}={e.Value}").DefaultIfEmpty("none added"))}");
        var run = new ClusterRun(cluster, assets, settings);
        Console.CancelKeyPress += (_, _) => cluster.Silos.ForEach(s => s.Kill());
        try
        {
            return await run.ExecuteAsync(silos, dispatches, kill);
        }
        finally
        {
            await cluster.DisposeAsync();
            var deleted = await cluster.DeleteRowsAsync(TimeSpan.FromMinutes(10));
            Console.WriteLine($"deleted rows of service {cluster.ServiceId} / cluster {cluster.ClusterId}: "
                + string.Join(", ", deleted.Select(d => $"{d.Table} {d.Rows:N0}")));
        }
    }

    private static int IntOption(string[] args, string name, int fallback) =>
        Option(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    private static IEnumerable<string> Options(string[] args, string name) =>
        args.Select((arg, i) => (arg, i)).Where(a => a.arg == name && a.i + 1 < args.Length).Select(a => args[a.i + 1]);

    private static (string Name, string Value) SplitAssignment(string assignment) =>
        assignment.IndexOf('=', StringComparison.Ordinal) is var at and > 0
            ? (assignment[..at], assignment[(at + 1)..])
            : throw new ArgumentException($"--silo-env: expected NAME=VALUE, got '{assignment}'");

    /// <summary>One run: the cluster, its clients and the fleet.</summary>
    private sealed class ClusterRun(SiloCluster cluster, int assets, IReadOnlyDictionary<string, string> settings)
    {
        private readonly string _fleetId = $"cb-{Guid.NewGuid().ToString("N")[..6]}";
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private List<HttpClient> _clients = [];

        private SiloCluster Cluster { get; } = cluster;

        public async Task<int> ExecuteAsync(int silos, int dispatches, bool kill)
        {
            Console.WriteLine($"Cluster — {assets:N0} assets on {silos} silo processes, {Environment.ProcessorCount} cores, load {Load()}; "
                + $"service {Cluster.ServiceId}; settings {string.Join(" ", settings.Select(s => $"{s.Key}={s.Value}"))}");
            await Cluster.StartAsync(silos, settings, TimeSpan.FromMinutes(3));
            // A client per silo that outwaits the silos' own response timeout, so a slow call ends in their answer.
            _clients = [.. Cluster.Silos.Select(s =>
            {
                var client = s.Client(SiloProcess.ApiKey);
                client.Timeout = ScalePatience + TimeSpan.FromMinutes(1);
                return client;
            })];
            try
            {
                Console.WriteLine($"  {silos} silos ready after {_clock.Elapsed.TotalSeconds:0.0} s: {SiloStats.Rss(Cluster.Silos)}");
                var (registered, online) = await BringOnlineAsync();
                var row = kill ? await FailoverAsync(registered, online) : await DispatchAsync(dispatches, registered, online);
                Console.WriteLine($"load after: {Load()}");
                Console.WriteLine(row);
                return 0;
            }
            finally
            {
                _clients.ForEach(c => c.Dispose());
            }
        }

        private async Task<(TimeSpan Registered, TimeSpan Online)> BringOnlineAsync()
        {
            var batches = Enumerable.Range(0, assets).Select(i => $"cb-{i:D7}").Chunk(Batch).Select((ids, n) => (ids, n)).ToArray();
            var sw = Stopwatch.StartNew();
            await ForEachBatchAsync(batches, "registered", sw, async (http, ids, n) =>
            {
                var body = ids.Select((id, i) => new
                {
                    assetId = id,
                    kind = "battery",
                    minPowerKw = -AssetMaxKw,
                    maxPowerKw = AssetMaxKw,
                    energyCapacityKwh = 20.0,
                    marginalCostEurPerMwh = CostsEurPerMwh[(n * Batch + i) % CostsEurPerMwh.Length],
                });
                var result = await ReadOkAsync(await http.PutAsJsonAsync($"/api/v1/fleets/{_fleetId}/assets", body), "register");
                if ((int)result["refusedCount"]! > 0)
                {
                    throw new InvalidOperationException($"batch {n}: {result["refusedCount"]} refused, e.g. "
                        + ((JsonArray)result["results"]!).First(r => !(bool)r!["registered"]!)!.ToJsonString());
                }
            });
            var registered = sw.Elapsed;
            Console.WriteLine($"  registered {assets:N0} in {registered.TotalSeconds:0.0} s = {assets / registered.TotalSeconds:N0}/s");

            sw.Restart();
            var resent = 0;
            await ForEachBatchAsync(batches, "measured", sw, async (http, ids, n) =>
            {
                // A gateway sends again what was not delivered (an activation that outlasted Orleans' activation
                // timeout on a starved machine) or a whole batch answered 504 (past the silo's response timeout);
                // anything refused for another reason is a fault of the benchmark.
                for (var attempt = 1; ids.Length > 0; attempt++)
                {
                    var body = ids.Select(id => new { assetId = id, activePowerKw = 0.0, stateOfChargePercent = 50.0 });
                    JsonArray results;
                    try
                    {
                        results = (JsonArray)(await ReadOkAsync(await http.PostAsJsonAsync("/api/v1/telemetry", body), "telemetry"))["results"]!;
                    }
                    catch (HttpRequestException ex) when (ex.StatusCode == System.Net.HttpStatusCode.GatewayTimeout && attempt < MaxSends)
                    {
                        Interlocked.Add(ref resent, ids.Length);
                        continue;
                    }

                    var refused = results.Where(r => (string?)r!["outcome"] == "refused").ToList();
                    var invalid = refused.FirstOrDefault(r => r!["errors"]?["delivery"] is null);
                    if (invalid is not null || (refused.Count > 0 && attempt == MaxSends))
                    {
                        throw new InvalidOperationException($"telemetry batch {n}, send {attempt}: {refused.Count} refused, e.g. {(invalid ?? refused[0])!.ToJsonString()}");
                    }

                    ids = [.. refused.Select(r => (string)r!["assetId"]!)];
                    Interlocked.Add(ref resent, ids.Length);
                }
            });
            if (resent > 0)
            {
                Console.WriteLine($"  {resent:N0} measurements sent again (not delivered in time: an activation or the whole batch timed out)");
            }

            await UntilFleetAsync(f => (int)f["onlineCount"]! == assets, "every asset online",
                ScalePatience + TimeSpan.FromMilliseconds(assets), sw);
            Console.WriteLine($"  {assets:N0} online {sw.Elapsed.TotalSeconds:0.0} s after the first measurement was sent: {SiloStats.Rss(Cluster.Silos)}");
            return (registered, sw.Elapsed);
        }

        /// <summary>The batches round-robin over the silos, a few in flight, progress every 100,000 assets.</summary>
        private async Task ForEachBatchAsync((string[] Ids, int N)[] batches, string what, Stopwatch sw, Func<HttpClient, string[], int, Task> send)
        {
            var done = 0;
            var lastPrinted = (Count: 0, At: TimeSpan.Zero);
            var gate = new object();
            await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = BatchesInFlight }, async (batch, _) =>
            {
                await send(_clients[batch.N % _clients.Count], batch.Ids, batch.N);
                lock (gate)
                {
                    done += batch.Ids.Length;
                    if (done / 100_000 > lastPrinted.Count / 100_000 || done == assets)
                    {
                        var rate = (done - lastPrinted.Count) / (sw.Elapsed - lastPrinted.At).TotalSeconds;
                        Console.WriteLine($"  {done:N0} {what}, {rate:N0}/s over the last {done - lastPrinted.Count:N0}, "
                            + $"{sw.Elapsed.TotalSeconds:0.0} s: {SiloStats.Rss(Cluster.Silos)}");
                        lastPrinted = (done, sw.Elapsed);
                    }
                }
            });
        }

        private async Task<string> DispatchAsync(int count, TimeSpan registered, TimeSpan online)
        {
            var timesMs = new List<double>();
            for (var i = 0; i < count; i++)
            {
                var outcome = await DispatchOnceAsync(_clients[i % _clients.Count], TargetKw(i));
                timesMs.Add((outcome.EndedAt - outcome.StartedAt).TotalMilliseconds);
                Console.WriteLine($"  dispatch {i + 1}/{count} via silo{i % _clients.Count + 1}: {timesMs[^1]:N0} ms, {outcome.Rounds} round(s), "
                    + $"{assets - outcome.AcknowledgedCount:N0} unacknowledged, allocated {outcome.AllocatedKw:N2} of {outcome.TargetKw:N0} kW");
                if (outcome.AcknowledgedCount != assets || Math.Abs(outcome.AllocatedKw - outcome.TargetKw) > 0.01)
                {
                    throw new InvalidOperationException($"dispatch {i + 1}: {outcome.AcknowledgedCount:N0} of {assets:N0} acknowledged, "
                        + $"allocated {outcome.AllocatedKw} kW for {outcome.TargetKw} kW");
                }
            }

            timesMs.Sort();
            var stats = await SiloStats.ScrapeAsync(Cluster.Silos, _clients);
            var p50 = timesMs[(timesMs.Count - 1) / 2];
            Console.WriteLine($"CLUSTER assets={assets} silos={_clients.Count} dispatches={count} p50_ms={p50:0} slowest_ms={timesMs[^1]:0} "
                + $"register_per_s={assets / registered.TotalSeconds:0} online_s={online.TotalSeconds:0.0} {SiloStats.Line(stats)}");
            return $"| {assets:N0} | {_clients.Count} | {assets / registered.TotalSeconds:N0}/s | {online.TotalSeconds:0.0} s | {p50:N0} / {timesMs[^1]:N0} ms "
                + $"| {SiloStats.Cells(stats)} | {Load()} |";
        }

        private async Task<string> FailoverAsync(TimeSpan registered, TimeSpan online)
        {
            await DispatchAsync(3, registered, online);
            var (through, victim) = (_clients[0], Cluster[Cluster.Silos.Count - 1]);
            var outcomes = new ConcurrentQueue<Outcome>();
            using var stop = new CancellationTokenSource();
            var dispatching = Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    outcomes.Enqueue(await DispatchOnceAsync(through, TargetKw(i)));
                }
            });
            await Until(() => Task.FromResult(outcomes.Any(o => o.Ok)), ok => ok, "a back-to-back dispatch before the kill", ScalePatience);

            var killedAt = DateTime.UtcNow;
            var sw = Stopwatch.StartNew();
            victim.Kill();
            Console.WriteLine($"  SIGKILL {victim.Name} (pid {victim.Pid}, port {victim.SiloPort})");
            var declaredDead = Until(Cluster.MembershipAsync, rows => rows.GetValueOrDefault(victim.SiloPort) == SiloCluster.SiloStatusDead,
                "the killed silo's membership row Dead", ScalePatience, TimeSpan.FromMilliseconds(250)).ContinueWith(t => { t.Wait(); return sw.Elapsed; });
            var recovered = await Until(
                () => Task.FromResult(outcomes.FirstOrDefault(o => o.StartedAt > killedAt && o.IsFullyApplied(assets))),
                o => o is not null, "a dispatch started after the kill that every asset acknowledged within 1 % of target",
                ScalePatience + TimeSpan.FromMilliseconds(2 * assets));
            var dead = await declaredDead;
            await stop.CancelAsync();
            await dispatching;

            var recoveryS = (recovered!.EndedAt - killedAt).TotalSeconds;
            var (ok, failed) = (outcomes.Count(o => o.Ok), outcomes.Count(o => !o.Ok));
            foreach (var o in outcomes.Where(o => o.StartedAt > killedAt.AddSeconds(-30)))
            {
                Console.WriteLine($"    {(o.StartedAt - killedAt).TotalSeconds,6:0.0} s → {(o.EndedAt - killedAt).TotalSeconds,6:0.0} s: "
                    + (o.Ok ? $"{o.AcknowledgedCount:N0} acknowledged, {o.Rounds} round(s), allocated {o.AllocatedKw:N0} of {o.TargetKw:N0} kW" : $"failed: {o.Error}"));
            }

            var survivors = Cluster.Silos.Where(s => s != victim).ToList();
            var rss = SiloStats.Rss(survivors);
            Console.WriteLine($"CLUSTER-FAILOVER assets={assets} silos={Cluster.Silos.Count} kill=SIGKILL recovery_s={recoveryS:0.0} "
                + $"declared_dead_s={dead.TotalSeconds:0.0} dispatches_ok={ok} dispatches_failed={failed} "
                + $"ack_timeout={settings.GetValueOrDefault("Vpp__SetpointAckTimeout", "00:00:02 (product)")} survivors_rss=\"{rss}\"");
            return $"| {assets:N0} | {Cluster.Silos.Count} | {settings.GetValueOrDefault("Vpp__SetpointAckTimeout", "2 s (product)")} | {recoveryS:0.0} s "
                + $"| {dead.TotalSeconds:0.0} s | {ok} / {failed} | {rss} | {Load()} |";
        }

        /// <summary>60 % and 30 % of the fleet's maximum in turn (pro rata: every battery's setpoint changes each time).</summary>
        private double TargetKw(int i) => assets * AssetMaxKw * (i % 2 == 0 ? 0.6 : 0.3);

        private async Task<Outcome> DispatchOnceAsync(HttpClient http, double targetKw)
        {
            var startedAt = DateTime.UtcNow;
            try
            {
                var response = await http.PostAsJsonAsync($"/api/v1/fleets/{_fleetId}/dispatch?setpoints=false", new { targetKw, strategy = "proRata" });
                var result = await ReadOkAsync(response, "dispatch");
                return new Outcome(startedAt, DateTime.UtcNow, targetKw, (double)result["allocatedKw"]!, (int)result["acknowledgedCount"]!,
                    (int)result["rounds"]!, null);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return new Outcome(startedAt, DateTime.UtcNow, targetKw, 0, 0, 0, ex.Message);
            }
        }

        private Task UntilFleetAsync(Func<JsonNode, bool> condition, string what, TimeSpan within, Stopwatch sw)
        {
            var lastPrinted = TimeSpan.Zero;
            return Until(async () =>
            {
                var fleet = await ReadOkAsync(await _clients[0].GetAsync($"/api/v1/fleets/{_fleetId}"), "fleet");
                if (sw.Elapsed - lastPrinted > TimeSpan.FromSeconds(20))
                {
                    lastPrinted = sw.Elapsed;
                    Console.WriteLine($"    {sw.Elapsed.TotalSeconds:0} s: {fleet["onlineCount"]:N0} of {assets:N0} online");
                }

                return fleet;
            }, condition, what, within);
        }

        private static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan within, TimeSpan? pollEvery = null)
        {
            var deadline = Stopwatch.StartNew();
            T value;
            while (!condition(value = await read()))
            {
                if (deadline.Elapsed > within)
                {
                    throw new TimeoutException($"not {what} within {within.TotalSeconds:0} s; last: {value}");
                }

                await Task.Delay(pollEvery ?? PollEvery);
            }

            return value;
        }

        private static async Task<JsonNode> ReadOkAsync(HttpResponseMessage response, string what)
        {
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync();
                return response.IsSuccessStatusCode
                    ? JsonNode.Parse(text)!
                    : throw new HttpRequestException($"{what}: {(int)response.StatusCode} {text}", null, response.StatusCode);
            }
        }

        private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Aggregate((a, b) => $"{a} {b}");
    }

    private sealed record Outcome(DateTime StartedAt, DateTime EndedAt, double TargetKw, double AllocatedKw, int AcknowledgedCount, int Rounds, string? Error)
    {
        public bool Ok => Error is null;

        public bool IsFullyApplied(int assets) =>
            Ok && AcknowledgedCount == assets && Math.Abs(AllocatedKw - TargetKw) <= Math.Abs(TargetKw) * 0.01;
    }
}
