using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Vpp.Silo.Tests.Api;
using Vpp.Silo.Tests.Security;

namespace Vpp.Silo.Tests.Metrics;

/// <summary>/metrics of the real silo (Prometheus text): the plant's own series after a dispatch.</summary>
[Collection(VppApiCollection.Name)]
public sealed class MetricsEndpointTests(VppApiFixture fixture)
{
    [Fact]
    public async Task After_a_dispatch_metrics_show_every_named_series_for_the_fleet()
    {
        var fleetId = VppApiFixture.NewId("metrics");
        var assetId = VppApiFixture.NewId("metrics-bat");
        var client = fixture.Client;
        await client.OnlineBatteryAsync(assetId, fleetId);
        await client.WaitForOnlineAsync(fleetId, 1, 100);
        await (await client.PutJsonAsync($"/api/v1/fleets/{fleetId}/fcr", TestFcrAwards.Json(10))).ExpectJsonAsync();
        var now = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        await (await client.PostJsonAsync("/api/v1/grid/frequency", $$"""{"frequencyHz": 50.0, "timestamp": "{{now}}"}""")).ExpectJsonAsync();
        await (await client.PostJsonAsync($"/api/v1/fleets/{fleetId}/afrr", """{"setpointKw": 5}""")).ExpectJsonAsync();
        await (await client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 20}""")).ExpectJsonAsync();
        await client.TelemetryAsync(assetId, """{"activePowerKw": 20, "stateOfChargePercent": 50}""");
        await client.GetFleetAsync(fleetId);

        var fleet = $"fleet=\"{fleetId}\"";
        (string Series, string[] Labels, string? Value)[] expected =
        [
            ("vpp_dispatch_duration_seconds_bucket", [fleet], null),
            ("vpp_dispatch_duration_seconds_count", [fleet], "1"),
            ("vpp_dispatch_rounds_total", [fleet], null),
            ("vpp_dispatch_unacknowledged_total", [fleet], "0"),
            ("vpp_dispatch_clamped_total", [fleet], null),
            ("vpp_fleet_assets", [fleet, "status=\"online\""], "1"),
            ("vpp_fleet_assets", [fleet, "status=\"not_online\""], "0"),
            ("vpp_fcr_response_kw", [fleet], null),
            ("vpp_fcr_frequency_age_seconds", [fleet], null),
            ("vpp_afrr_deviation_kw", [fleet], null),
            ("vpp_telemetry_samples_total", ["outcome=\"accepted\""], null),
            ("vpp_storage_write_duration_seconds_bucket", [], null),
            ("vpp_runtime_longest_stall_seconds", [], null),
            ("vpp_runtime_longest_gc_pause_seconds", [], null),
            ("dotnet_gc_collections_total", [], null),
            ("dotnet_process_memory_working_set_bytes", [], null),
        ];
        using var reader = fixture.ClientWithKey(TestKeys.Reader);
        var lines = await Eventually.Until(
            async () => (await (await reader.GetAsync("/metrics")).Content.ReadAsStringAsync()).Split('\n'),
            l => expected.All(e => Found(l, e)),
            "every named series in /metrics",
            describe: l => "missing: " + string.Join("; ", expected.Where(e => !Found(l, e)).Select(e => $"{e.Series} {string.Join(',', e.Labels)} {e.Value}")));

        Assert.All(expected, e => Assert.True(Found(lines, e), $"{e.Series} {string.Join(',', e.Labels)} {e.Value}"));

        // The dashboard and the alert rules query only series the silo serves (conflicts appear after the first one,
        // the settlement deviation when a quarter hour closes, stalls after the first of 50 ms).
        string[] appearLater =
            ["vpp_storage_write_conflicts_total", "vpp_settlement_deviation_kwh_sum", "vpp_runtime_stall_seconds_count", "vpp_runtime_stall_seconds_bucket"];
        foreach (var file in new[] { Path.Combine(RepositoryRoot.Path, "deploy", "grafana", "vpp-orleans.json"), AlertRulesTests.RulesPath })
        {
            var queried = Regex.Matches(File.ReadAllText(file), "vpp_[a-z_]+").Select(m => m.Value).Distinct().ToList();
            Assert.Contains("vpp_dispatch_duration_seconds_bucket", queried);
            Assert.All(
                queried.Except(appearLater),
                q => Assert.True(lines.Any(l => l.StartsWith(q + "{", StringComparison.Ordinal)), $"{Path.GetFileName(file)} queries {q}, which /metrics does not serve"));
        }
        await (await client.PutJsonAsync($"/api/v1/fleets/{fleetId}/fcr", TestFcrAwards.Json(0))).ExpectJsonAsync();
    }

    private static bool Found(string[] lines, (string Series, string[] Labels, string? Value) e) =>
        lines.Any(line => line.StartsWith(e.Series + "{", StringComparison.Ordinal)
                          && e.Labels.All(l => line.Contains(l, StringComparison.Ordinal))
                          && (e.Value is null || line.EndsWith("} " + e.Value, StringComparison.Ordinal)));

    [Fact]
    public async Task Metrics_need_a_key_with_the_read_role()
    {
        using var anonymous = fixture.ClientWithKey(null);
        using var gateway = fixture.ClientWithKey(TestKeys.Gateway);
        using var reader = fixture.ClientWithKey(TestKeys.Reader);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.GetAsync("/metrics")).StatusCode);
        var answer = await reader.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("text/plain", answer.Content.Headers.ContentType?.MediaType);
    }
}
