using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vpp.Domain.Assets;

namespace Vpp.Simulator.Gateway;

/// <summary>
/// A gateway over the VPP's HTTP API v1 (for a VPP reached only over HTTP, or a non-.NET deployment). Sends the
/// API key as <c>X-Api-Key</c>. The v1 API has no batch telemetry call, so a batch becomes one telemetry POST and
/// one GET (for the setpoint) per asset, <see cref="MaxConcurrency"/> at a time: fine for hundreds of assets, not
/// for tens of thousands — use the SDK gateway for those.
/// </summary>
public sealed class HttpAssetGateway : IAssetGateway
{
    public const int MaxConcurrency = 32;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;
    private readonly bool _ownsClient;

    public HttpAssetGateway(Uri baseAddress, string? apiKey)
        : this(new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) }, apiKey, ownsClient: true)
    {
    }

    /// <summary>Over a given client (e.g. a test server's); its BaseAddress must point at the silo.</summary>
    public HttpAssetGateway(HttpClient http, string? apiKey, bool ownsClient = false)
    {
        _http = http;
        _ownsClient = ownsClient;
        if (!string.IsNullOrEmpty(apiKey))
        {
            _http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }
    }

    public string Describe() => $"HTTP API at {_http.BaseAddress}";

    public async Task<IReadOnlyList<GatewayOutcome>> RegisterAsync(IReadOnlyList<AssetRegistration> assets, CancellationToken cancellationToken) =>
        await ForEachAsync(assets, async (asset, ct) =>
        {
            using var response = await SendAsync(() => _http.PutAsJsonAsync(AssetPath(asset.AssetId), SpecBody(asset.Spec), Json, ct));
            return response.IsSuccessStatusCode
                ? GatewayOutcome.Ok(asset.AssetId)
                : new GatewayOutcome(asset.AssetId, false, await ProblemAsync(response, ct));
        }, cancellationToken);

    public async Task<IReadOnlyList<TelemetryReceipt>> ReportTelemetryAsync(IReadOnlyList<AssetTelemetry> batch, CancellationToken cancellationToken) =>
        await ForEachAsync(batch, async (sample, ct) =>
        {
            var t = sample.Telemetry;
            var body = new { timestamp = t.Timestamp, activePowerKw = t.ActivePowerKw, availablePowerKw = t.AvailablePowerKw, stateOfChargePercent = t.StateOfChargePercent };
            using (var posted = await SendAsync(() => _http.PostAsJsonAsync(AssetPath(sample.AssetId) + "/telemetry", body, Json, ct)))
            {
                if (!posted.IsSuccessStatusCode)
                {
                    return new TelemetryReceipt(sample.AssetId, false, null, await ProblemAsync(posted, ct));
                }
            }

            using var read = await SendAsync(() => _http.GetAsync(AssetPath(sample.AssetId), ct));
            var asset = read.IsSuccessStatusCode ? await read.Content.ReadFromJsonAsync<JsonObject>(Json, ct) : null;
            return new TelemetryReceipt(sample.AssetId, true, asset?["setpointKw"]?.GetValue<double>());
        }, cancellationToken);

    public async Task<GatewayOutcome> ReportStatusAsync(string assetId, AssetStatus status, string reason, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => _http.PostAsJsonAsync(
            AssetPath(assetId) + "/status", new { status = status.ToWire(), reason }, Json, cancellationToken));
        return response.IsSuccessStatusCode ? GatewayOutcome.Ok(assetId) : new GatewayOutcome(assetId, false, await ProblemAsync(response, cancellationToken));
    }

    public async Task<FleetSnapshot?> GetFleetAsync(string fleetId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => _http.GetAsync($"/api/v1/fleets/{Uri.EscapeDataString(fleetId)}", cancellationToken));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        var fleet = await response.Content.ReadFromJsonAsync<JsonObject>(Json, cancellationToken)
            ?? throw new GatewayUnavailableException("the fleet view was empty");
        return new FleetSnapshot(
            fleetId,
            fleet["assetCount"]?.GetValue<int>() ?? 0,
            fleet["onlineCount"]?.GetValue<int>() ?? 0,
            fleet["targetKw"]?.GetValue<double>(),
            fleet["allocatedKw"]?.GetValue<double>() ?? 0,
            fleet["shortfallKw"]?.GetValue<double>() ?? 0);
    }

    public async Task<double> DispatchAsync(string fleetId, double targetKw, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => _http.PostAsJsonAsync(
            $"/api/v1/fleets/{Uri.EscapeDataString(fleetId)}/dispatch?setpoints=false", new { targetKw }, Json, cancellationToken));
        await EnsureSuccessAsync(response, cancellationToken);
        var result = await response.Content.ReadFromJsonAsync<JsonObject>(Json, cancellationToken);
        return result?["allocatedKw"]?.GetValue<double>() ?? 0;
    }

    public async Task<IReadOnlyList<FleetEventRecord>> GetFleetEventsAsync(string fleetId, int limit, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => _http.GetAsync($"/api/v1/fleets/{Uri.EscapeDataString(fleetId)}/events?limit={limit}", cancellationToken));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        await EnsureSuccessAsync(response, cancellationToken);
        var events = await response.Content.ReadFromJsonAsync<JsonArray>(Json, cancellationToken) ?? [];
        return events.OfType<JsonObject>()
            .Select(e => new FleetEventRecord(
                e["sequence"]?.GetValue<long>() ?? 0,
                e["at"]?.GetValue<DateTimeOffset>() ?? default,
                e["kind"]?.GetValue<string>() ?? "",
                e["message"]?.GetValue<string>() ?? ""))
            .ToArray();
    }

    public ValueTask DisposeAsync()
    {
        if (_ownsClient)
        {
            _http.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static string AssetPath(string assetId) => $"/api/v1/assets/{Uri.EscapeDataString(assetId)}";

    private static object SpecBody(AssetSpec s) => new
    {
        fleetId = s.FleetId,
        kind = s.Kind.ToWire(),
        minPowerKw = s.MinPowerKw,
        maxPowerKw = s.MaxPowerKw,
        rampRateKwPerSecond = s.RampRateKwPerSecond,
        marginalCostEurPerMwh = s.MarginalCostEurPerMwh,
        energyCapacityKwh = s.EnergyCapacityKwh,
        minSocPercent = s.MinSocPercent,
        maxSocPercent = s.MaxSocPercent,
        roundTripEfficiencyPercent = s.RoundTripEfficiencyPercent,
        minStablePowerKw = s.MinStablePowerKw,
        minUpTimeSeconds = s.MinUpTimeSeconds,
        minDownTimeSeconds = s.MinDownTimeSeconds,
    };

    private static async Task<IReadOnlyList<T>> ForEachAsync<TIn, T>(
        IReadOnlyList<TIn> items, Func<TIn, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var results = new T[items.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, items.Count),
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrency, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await call(items[i], ct));
        return results;
    }

    /// <summary>Authentication and server failures concern the whole gateway, not one asset: they surface as unavailable.</summary>
    private static async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        HttpResponseMessage response;
        try
        {
            response = await send();
        }
        catch (HttpRequestException ex)
        {
            throw new GatewayUnavailableException($"the VPP cannot be reached: {ex.Message}", ex);
        }

        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || (int)response.StatusCode >= 500
            || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var problem = await ProblemAsync(response, CancellationToken.None);
            response.Dispose();
            throw new GatewayUnavailableException($"the VPP answered {(int)response.StatusCode}: {problem}");
        }

        return response;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new GatewayUnavailableException($"the VPP answered {(int)response.StatusCode}: {await ProblemAsync(response, cancellationToken)}");
        }
    }

    /// <summary>The problem document's detail and field errors, in one line.</summary>
    private static async Task<string> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            if (JsonNode.Parse(text) is JsonObject problem)
            {
                var errors = problem["errors"] as JsonObject;
                var fields = errors is null ? "" : " " + string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value?.ToJsonString()}"));
                return $"{(int)response.StatusCode} {problem["title"]?.GetValue<string>()}{fields}".Trim();
            }
        }
        catch (JsonException)
        {
            // Not a problem document: fall back to the raw text.
        }

        return $"{(int)response.StatusCode} {text[..Math.Min(text.Length, 200)]}";
    }
}
