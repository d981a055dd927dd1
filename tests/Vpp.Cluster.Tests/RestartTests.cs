using System.Text.Json.Nodes;
using Vpp.Cluster.Tests.Harness;

namespace Vpp.Cluster.Tests;

/// <summary>Every silo stops, new ones start on other ports: what the API acknowledged is read back unchanged.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class RestartTests : IAsyncLifetime
{
    private const string ExportFleet = "rs-export";
    private const string ImportFleet = "rs-import";

    /// <summary>Statuses an owner reported: unlike "online", they do not depend on telemetry still arriving.</summary>
    private static readonly HashSet<string> ReportedStatuses = ["rs-x03", "rs-m04"];

    private readonly SiloCluster _cluster = SiloCluster.Create("restart");

    public Task InitializeAsync() => _cluster.StartAsync(3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Assets_fleets_standing_targets_and_events_survive_a_restart_of_every_silo()
    {
        var exportAssets = Enumerable.Range(0, 20).Select(i => $"rs-x{i:00}").ToArray();
        var importAssets = Enumerable.Range(0, 10).Select(i => $"rs-m{i:00}").ToArray();
        var all = exportAssets.Concat(importAssets).ToArray();
        await HttpApi.ForEachAsync(all.Select((id, i) => (id, i)), 6, a => _cluster[a.i % 3].Http.PutBatteryAsync(
            a.id, a.i < exportAssets.Length ? ExportFleet : ImportFleet, maxKw: 50 + a.i, costEurPerMwh: 20 + a.i));

        // Gateways report until the snapshot: telemetry is part of what must survive.
        await using (var telemetry = new TelemetryFeed(all, () => _cluster.Silos.Select(s => s.Http).ToList()))
        {
            telemetry.Start();
            await _cluster[0].Http.PostStatusAsync("rs-x03", "maintenance", "inverter swap");
            await _cluster[1].Http.PostStatusAsync("rs-m04", "offline", "gateway replaced");
            await Eventually.Until(() => _cluster[2].Http.GetFleetAsync(ExportFleet), f => (int)f["onlineCount"]! == exportAssets.Length - 1,
                "the export fleet's assets online", TimeSpan.FromSeconds(60), f => f.ToJsonString());
            await Eventually.Until(() => _cluster[2].Http.GetFleetAsync(ImportFleet), f => (int)f["onlineCount"]! == importAssets.Length - 1,
                "the import fleet's assets online", TimeSpan.FromSeconds(60), f => f.ToJsonString());
            await _cluster[0].Http.DispatchAsync(ExportFleet, 400);
            await _cluster[1].Http.DispatchAsync(ImportFleet, -150, strategy: "proRata");
        }

        var before = await SnapshotAsync(_cluster[2].Http, all);
        // The snapshot holds what it claims to: telemetry for every asset, both dispatches, both reported statuses.
        Assert.All(before.Where(kv => kv.Key.EndsWith(" telemetry")), kv => Assert.DoesNotContain("\"lastSeen\":null", kv.Value));
        Assert.Equal(2, before.Count(kv => kv.Key.Contains(" event ") && kv.Value.Contains("\"kind\":\"dispatch\"")));
        Assert.Equal(2, before.Count(kv => kv.Key.EndsWith(" status")));

        await _cluster.StopAllAsync();
        await _cluster.StartAsync(3);

        foreach (var silo in _cluster.Silos)
        {
            var after = await SnapshotAsync(silo.Http, all);
            foreach (var (key, value) in before)
            {
                Assert.True(after.TryGetValue(key, out var read), $"{key} missing after the restart (through {silo.Name})");
                Assert.True(value == read, $"{key} changed across the restart (through {silo.Name}):\nbefore {value}\nafter  {read}");
            }
        }
    }

    /// <summary>
    /// What must survive, as JSON per key. Not the live status of assets whose telemetry stopped with the test's
    /// gateways (they go offline by design, which also re-dispatches), but reported statuses, spec, last
    /// telemetry, targets and every event recorded so far.
    /// </summary>
    private static async Task<Dictionary<string, string>> SnapshotAsync(HttpClient http, string[] assets)
    {
        var snapshot = new Dictionary<string, string>();
        foreach (var assetId in assets)
        {
            var asset = await http.GetAssetAsync(assetId);
            snapshot[$"asset {assetId} spec"] = asset["spec"]!.ToJsonString();
            snapshot[$"asset {assetId} telemetry"] = Pick(asset, "lastSeen", "activePowerKw", "stateOfChargePercent");
            if (ReportedStatuses.Contains(assetId))
            {
                snapshot[$"asset {assetId} status"] = Pick(asset, "status", "statusReason");
            }
        }

        foreach (var fleetId in new[] { ExportFleet, ImportFleet })
        {
            var fleet = await http.GetFleetAsync(fleetId);
            // Not lastDispatchId: assets falling silent after the gateways stop trigger re-dispatches (recorded as events).
            snapshot[$"fleet {fleetId}"] = Pick(fleet, "assetCount", "targetKw", "strategy");
            var events = await http.GetEventsAsync(fleetId);
            // Oldest first: events added after the restart (assets going silent) may only come after these.
            var oldestFirst = events.Reverse().ToArray();
            for (var i = 0; i < oldestFirst.Length; i++)
            {
                snapshot[$"fleet {fleetId} event {i}"] = oldestFirst[i]!.ToJsonString();
            }
        }

        return snapshot;
    }

    private static string Pick(JsonNode node, params string[] names) =>
        new JsonObject(names.Select(n => KeyValuePair.Create(n, node[n]?.DeepClone()))).ToJsonString();
}
