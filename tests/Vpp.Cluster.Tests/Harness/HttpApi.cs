using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Vpp.Cluster.Tests.Harness;

/// <summary>The HTTP API v1 as a trading system or gateway uses it, through one silo.</summary>
public static class HttpApi
{
    /// <summary>A battery of ±<paramref name="maxKw"/> kW with room to spare in both directions.</summary>
    public static async Task<JsonNode> PutBatteryAsync(this HttpClient http, string assetId, string fleetId, double maxKw = 100, double costEurPerMwh = 50)
    {
        var response = await http.PutAsJsonAsync($"/api/v1/assets/{assetId}", new
        {
            fleetId,
            kind = "battery",
            minPowerKw = -maxKw,
            maxPowerKw = maxKw,
            energyCapacityKwh = maxKw * 10,
            marginalCostEurPerMwh = costEurPerMwh,
        });
        return await ReadOkAsync(response, $"PUT asset {assetId}");
    }

    public static async Task PostTelemetryAsync(this HttpClient http, string assetId, double activePowerKw = 0, double socPercent = 50)
    {
        using var response = await http.PostAsJsonAsync($"/api/v1/assets/{assetId}/telemetry", new
        {
            timestamp = DateTimeOffset.UtcNow,
            activePowerKw,
            stateOfChargePercent = socPercent,
        });
        // Tests play several gateways reporting one asset at once: a sample that a newer one overtook on the way is
        // answered 409 (the asset keeps the newer one). The silo served it, which is what these tests check.
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return;
        }

        await EnsureAsync(response, HttpStatusCode.Accepted, $"telemetry {assetId}");
    }

    public static async Task<JsonNode> PostStatusAsync(this HttpClient http, string assetId, string status, string? reason = null) =>
        await ReadOkAsync(await http.PostAsJsonAsync($"/api/v1/assets/{assetId}/status", new { status, reason }), $"status {assetId}");

    public static async Task<JsonNode> DispatchAsync(
        this HttpClient http, string fleetId, double targetKw, string strategy = "meritOrder", CancellationToken cancellationToken = default) =>
        await ReadOkAsync(
            await http.PostAsJsonAsync($"/api/v1/fleets/{fleetId}/dispatch?setpoints=false", new { targetKw, strategy }, cancellationToken),
            $"dispatch {fleetId}");

    public static async Task<JsonNode> GetAssetAsync(this HttpClient http, string assetId) =>
        await ReadOkAsync(await http.GetAsync($"/api/v1/assets/{assetId}"), $"GET asset {assetId}");

    public static async Task<JsonNode> GetFleetAsync(this HttpClient http, string fleetId) =>
        await ReadOkAsync(await http.GetAsync($"/api/v1/fleets/{fleetId}"), $"GET fleet {fleetId}");

    public static async Task<JsonArray> GetEventsAsync(this HttpClient http, string fleetId, int limit = 500, long? before = null) =>
        (JsonArray)await ReadOkAsync(await http.GetAsync($"/api/v1/fleets/{fleetId}/events?limit={limit}{(before is { } b ? $"&before={b}" : "")}"),
            $"GET events {fleetId}");

    /// <summary>Every event the fleet retains from <paramref name="since"/> on, paging back with the <c>before</c> cursor.</summary>
    public static async Task<List<JsonNode>> GetEventsSinceAsync(this HttpClient http, string fleetId, DateTimeOffset since)
    {
        var events = new List<JsonNode>();
        long? before = null;
        while (true)
        {
            var page = await http.GetEventsAsync(fleetId, 500, before);
            events.AddRange(page.Select(e => e!));
            if (page.Count < 500 || DateTimeOffset.Parse((string)page[^1]!["at"]!) < since)
            {
                return events;
            }

            before = (long)page[^1]!["sequence"]!;
        }
    }

    /// <summary>Runs <paramref name="action"/> over <paramref name="items"/> with at most <paramref name="parallel"/> at a time.</summary>
    public static Task ForEachAsync<T>(IEnumerable<T> items, int parallel, Func<T, Task> action) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (item, _) => await action(item));

    private static async Task<JsonNode> ReadOkAsync(HttpResponseMessage response, string what)
    {
        using (response)
        {
            await EnsureAsync(response, HttpStatusCode.OK, what);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected)
        {
            throw new HttpRequestException(
                $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}", null, response.StatusCode);
        }
    }
}
