using System.Net;
using Vpp.Cluster.Tests.Harness;

namespace Vpp.Cluster.Tests;

/// <summary>Three silo processes form one cluster through PostgreSQL membership; each serves everything.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class ClusterServingTests : IAsyncLifetime
{
    private readonly SiloCluster _cluster = SiloCluster.Create("serve");

    public Task InitializeAsync() => _cluster.StartAsync(3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Three_silos_join_one_cluster_and_each_answers_health_probes_and_the_dashboard()
    {
        var membership = await Eventually.Until(
            _cluster.MembershipAsync,
            rows => rows.Count == 3 && rows.Values.All(s => s == SiloCluster.SiloStatusActive),
            "three active silos in the membership table", SiloCluster.StartTimeout,
            rows => string.Join(", ", rows.Select(r => $"{r.Key}:{r.Value}")));
        Assert.Equal(_cluster.Silos.Select(s => s.SiloPort).Order(), membership.Keys.Order());

        foreach (var silo in _cluster.Silos)
        {
            foreach (var probe in new[] { "/health", "/health/live", "/health/ready" })
            {
                using var response = await silo.Http.GetAsync(probe);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{silo.Name} {probe}: {(int)response.StatusCode}");
            }

            using var dashboard = await silo.Http.GetAsync("/dashboard/");
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
            Assert.Contains("Orleans", await dashboard.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Any_silo_serves_any_request()
    {
        const string fleetId = "serve-fleet";
        var assets = Enumerable.Range(0, 12).Select(i => $"serve-b{i:00}").ToArray();

        // Written through one silo each, in turn, and read back through every other.
        for (var i = 0; i < assets.Length; i++)
        {
            var writer = _cluster[i % 3].Http;
            await writer.PutBatteryAsync(assets[i], fleetId);
            await writer.PostTelemetryAsync(assets[i]);
        }

        // The gateways keep reporting, as real ones do: on a loaded machine the reads below can outlast the 15 s after
        // which a silent asset counts as offline, and its re-dispatch would replace the dispatch this test checks.
        await using var telemetry = new TelemetryFeed(assets, () => _cluster.Silos.Select(s => s.Http).ToList());
        telemetry.Start();

        foreach (var silo in _cluster.Silos)
        {
            foreach (var assetId in assets)
            {
                var asset = await silo.Http.GetAssetAsync(assetId);
                Assert.Equal(fleetId, (string?)asset["fleetId"]);
                Assert.Equal(100.0, (double)asset["spec"]!["maxPowerKw"]!);
            }
        }

        await Eventually.Until(
            () => _cluster[1].Http.GetFleetAsync(fleetId), f => (int)f["onlineCount"]! == assets.Length,
            "all assets online in the fleet", describe: f => f.ToJsonString());

        var dispatch = await _cluster[2].Http.DispatchAsync(fleetId, 600);
        Assert.Equal(assets.Length, (int)dispatch["acknowledgedCount"]!);
        Assert.Equal(600.0, (double)dispatch["allocatedKw"]!, 0.01);

        foreach (var silo in _cluster.Silos)
        {
            var fleet = await silo.Http.GetFleetAsync(fleetId);
            Assert.Equal(600.0, (double)fleet["targetKw"]!);
            Assert.Equal((string?)dispatch["dispatchId"], (string?)fleet["lastDispatchId"]);
        }

        var setpointsKw = await Task.WhenAll(assets.Select(async a => (double)(await _cluster[0].Http.GetAssetAsync(a))["setpointKw"]!));
        Assert.Equal(600.0, setpointsKw.Sum(), 0.01);

        // Every silo serves ASP.NET Core's, Orleans' and Npgsql's series (storage and membership are PostgreSQL here);
        // the dispatch is timed where the fleet grain runs, on one of them.
        string[] everywhere =
        [
            "http_server_request_duration_seconds_bucket{", "orleans_catalog_activations{", "db_client_operation_duration_seconds_bucket{",
        ];
        var dispatched = "vpp_dispatch_duration_seconds_count{";
        bool Serves(string[] lines, string name) => lines.Any(l => l.StartsWith(name, StringComparison.Ordinal)
            && (name != dispatched || l.Contains($"fleet=\"{fleetId}\"", StringComparison.Ordinal)));
        await Eventually.Until(
            () => Task.WhenAll(_cluster.Silos.Select(async silo => (await silo.Http.GetStringAsync("/metrics")).Split('\n'))),
            silos => silos.All(lines => everywhere.All(name => Serves(lines, name))) && silos.Any(lines => Serves(lines, dispatched)),
            "every instrumentation's series in /metrics", TimeSpan.FromSeconds(60),
            silos => string.Join("; ", silos.Select((lines, i) =>
                $"silo {i} missing: " + string.Join(", ", everywhere.Append(dispatched).Where(name => !Serves(lines, name))))));
    }
}
