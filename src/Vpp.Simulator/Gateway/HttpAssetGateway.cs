using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vpp.Domain.Assets;

namespace Vpp.Simulator.Gateway;

/// <summary>
/// A gateway over the VPP's HTTP API v1 (for a VPP reached only over HTTP, or a non-.NET deployment). Sends the
/// API key as <c>X-Api-Key</c>. Telemetry goes in batches (<c>POST /api/v1/telemetry</c>, whose answer carries each
/// asset's setpoint); registration has no batch call, so it is one PUT per asset, <see cref="MaxConcurrency"/> at a time.
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

    /// <summary>One <c>POST /api/v1/telemetry</c> per batch; each item's answer carries the asset's current setpoint.</summary>
    public async Task<IReadOnlyList<TelemetryReceipt>> ReportTelemetryAsync(IReadOnlyList<AssetTelemetry> batch, CancellationToken cancellationToken)
    {
        var body = batch.Select(s => new
        {
            assetId = s.AssetId,
            timestamp = s.Telemetry.Timestamp,
            activePowerKw = s.Telemetry.ActivePowerKw,
            availablePowerKw = s.Telemetry.AvailablePowerKw,
            stateOfChargePercent = s.Telemetry.StateOfChargePercent,
        });
        using var response = await SendAsync(() => _http.PostAsJsonAsync("/api/v1/telemetry", body, Json, cancellationToken));
        if (!response.IsSuccessStatusCode)
        {
            // The whole batch was refused (e.g. too large): every sample shares the reason.
            var problem = await ProblemAsync(response, cancellationToken);
            return [.. batch.Select(s => new TelemetryReceipt(s.AssetId, false, null, problem))];
        }

        var answer = await response.Content.ReadFromJsonAsync<JsonObject>(Json, cancellationToken);
        var results = answer?["results"] as JsonArray ?? throw new GatewayUnavailableException("the telemetry answer has no results");
        return [.. results.Select((r, i) => new TelemetryReceipt(
            r?["assetId"]?.GetValue<string>() ?? batch[i].AssetId,
            r?["accepted"]?.GetValue<bool>() == true,
            r?["setpointKw"] is JsonNode setpoint ? setpoint.GetValue<double>() : null,
            r?["errors"] is JsonObject errors ? string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value?.ToJsonString()}")) : null))];
    }

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

    public async Task<ProposedDay> OptimiseAsync(
        string fleetId, DateTimeOffset fromUtc, IReadOnlyList<double> pricesEurPerMwh, double? endSocPercent, CancellationToken cancellationToken)
    {
        var body = new
        {
            from = fromUtc,
            to = fromUtc.AddMinutes(15 * pricesEurPerMwh.Count),
            prices = pricesEurPerMwh.Select((p, i) => new { from = fromUtc.AddMinutes(15 * i), eurPerMwh = p }).ToArray(),
            endSocPercent,
        };
        using var response = await SendAsync(() => _http.PostAsJsonAsync($"/api/v1/fleets/{Uri.EscapeDataString(fleetId)}/optimise", body, Json, cancellationToken));
        var proposal = await ReadRefusingAsync(response, cancellationToken);
        return new ProposedDay(
            proposal["revenueEur"]!.GetValue<double>(), proposal["profitEur"]!.GetValue<double>(), proposal["greedyProfitEur"]?.GetValue<double>(),
            [.. proposal["slots"]!.AsArray().OfType<JsonObject>().Select(s => new ProposedDaySlot(
                s["start"]!.GetValue<DateTimeOffset>(), s["priceEurPerMwh"]!.GetValue<double>(), s["targetKw"]!.GetValue<double>(), s["revenueEur"]!.GetValue<double>()))]);
    }

    public async Task<IReadOnlyList<SettledSlot>> GetSettlementAsync(string fleetId, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken)
    {
        var query = $"from={Uri.EscapeDataString(fromUtc.UtcDateTime.ToString("O"))}&to={Uri.EscapeDataString(toUtc.UtcDateTime.ToString("O"))}&assets=none";
        using var response = await SendAsync(() => _http.GetAsync($"/api/v1/fleets/{Uri.EscapeDataString(fleetId)}/settlement?{query}", cancellationToken));
        var settlement = await ReadRefusingAsync(response, cancellationToken);
        return [.. settlement["slots"]!.AsArray().OfType<JsonObject>().Select(s => new SettledSlot(
            s["start"]!.GetValue<DateTimeOffset>(), s["requestedKwh"]!.GetValue<double>(), s["deliveredKwh"]!.GetValue<double>(), s["complete"]!.GetValue<bool>()))];
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
        startUpCostEur = s.StartUpCostEur,
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

    /// <summary>The answer's JSON object; a refusal (4xx) as <see cref="GatewayRefusedException"/> with the problem in one line.</summary>
    private static async Task<JsonObject> ReadRefusingAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new GatewayRefusedException($"the VPP refused: {await ProblemAsync(response, cancellationToken)}");
        }

        return await response.Content.ReadFromJsonAsync<JsonObject>(Json, cancellationToken)
            ?? throw new GatewayUnavailableException("the VPP's answer was empty");
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
