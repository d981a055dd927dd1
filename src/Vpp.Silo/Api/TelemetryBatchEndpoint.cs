using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Ingest;
using Vpp.Domain.Assets;
using Vpp.Domain.Validation;
using Vpp.Grains.Contracts;

namespace Vpp.Silo.Api;

/// <summary>
/// POST /api/v1/telemetry: many assets' measurements in one request, for device gateways. Each item is answered
/// on its own (accepted, or refused with the fields at fault) with the asset's status and current setpoint; only a
/// body that is not a JSON array of 1 to <see cref="ITelemetryIngestGrain.MaxBatchSize"/> items is refused whole.
/// </summary>
public static class TelemetryBatchEndpoint
{
    /// <summary>Maps the endpoint with its own body limit (Api:MaxTelemetryBatchBodyBytes), large enough for the largest batch.</summary>
    public static RouteHandlerBuilder MapTelemetryBatch(this RouteGroupBuilder api)
    {
        var limitBytes = ((IEndpointRouteBuilder)api).ServiceProvider.GetRequiredService<IOptions<Security.ApiLimitsOptions>>().Value.MaxTelemetryBatchBodyBytes;
        return api.MapPost("/telemetry", PostAsync).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(limitBytes));
    }

    private static async Task<IResult> PostAsync(
        HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json, Security.TelemetryItemRateLimiter itemLimit)
    {
        var (items, problem) = await JsonBody.ReadAsync<TelemetryBatchItemRequest?[]>(request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        if (items!.Length is 0 or > ITelemetryIngestGrain.MaxBatchSize)
        {
            return ApiProblems.Invalid("body", $"must be an array of 1 to {ITelemetryIngestGrain.MaxBatchSize} items");
        }

        if (itemLimit.TryAcquire(request.HttpContext.User, items.Length) is { } retryAfter)
        {
            request.HttpContext.Response.Headers.RetryAfter = ApiProblems.RetryAfterSeconds(retryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ApiProblems.TooManyRequests(retryAfter,
                $"a batch costs one permit per item: {items.Length} items exceed what this API key may still send in this window");
        }

        // Items malformed on the wire are answered here; the rest go to the assets in one batch.
        var outcomes = new TelemetryOutcome?[items.Length];
        var toSend = new List<(int Index, AssetTelemetry Item)>(items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            var errors = new FieldErrors();
            var telemetry = items[i] is { } item ? item.ToTelemetry(errors) : null;
            if (items[i] is null)
            {
                errors.Add("body", "an item must be a JSON object");
            }

            if (errors.Any)
            {
                outcomes[i] = TelemetryOutcome.Refused(items[i]?.AssetId ?? "", [.. errors.Errors.Select(e => new FieldProblem(e.Field, e.Message))]);
            }
            else
            {
                toSend.Add((i, new AssetTelemetry(items[i]!.AssetId!, telemetry!)));
            }
        }

        if (toSend.Count > 0)
        {
            var ingest = grains.GetGrain<ITelemetryIngestInternal>(0);
            AssetTelemetry[] batch = [.. toSend.Select(s => s.Item)];
            var result = Security.FleetScope.FleetsOf(request.HttpContext.User) is { } fleets
                ? await ingest.IngestForFleetsAsync(batch, [.. fleets])
                : await ingest.IngestAsync(batch);
            for (var j = 0; j < toSend.Count; j++)
            {
                outcomes[toSend[j].Index] = result.Outcomes[j];
            }
        }

        return Results.Ok(TelemetryBatchResponse.From(outcomes!));
    }
}

public sealed record TelemetryBatchItemRequest(
    string? AssetId, DateTimeOffset? Timestamp, double? ActivePowerKw, double? AvailablePowerKw, double? StateOfChargePercent)
{
    public Telemetry ToTelemetry(FieldErrors errors)
    {
        errors.Required("assetId", AssetId, "(the asset this measurement is from)");
        return new TelemetryRequest(Timestamp, ActivePowerKw, AvailablePowerKw, StateOfChargePercent).ToTelemetry(errors);
    }
}

/// <summary>One item's answer; <see cref="Outcome"/> is "accepted", "refused" (invalid or undeliverable) or "outOfOrder"
/// (older than the asset's last measurement, ignored).</summary>
public sealed record TelemetryItemResponse(
    string AssetId, bool Accepted, string Outcome, string? Status, double? SetpointKw, IDictionary<string, string[]>? Errors);

public sealed record TelemetryBatchResponse(int AcceptedCount, int RefusedCount, int OutOfOrderCount, TelemetryItemResponse[] Results)
{
    public static TelemetryBatchResponse From(IReadOnlyList<TelemetryOutcome> outcomes)
    {
        var results = outcomes.Select(o => new TelemetryItemResponse(
            o.AssetId,
            o.Accepted,
            o.Accepted ? "accepted" : o.OutOfOrder ? "outOfOrder" : "refused",
            o.Status?.ToWire(),
            o.SetpointKw,
            o.Problems.Length == 0 ? null : o.Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()))).ToArray();
        var accepted = results.Count(r => r.Accepted);
        var outOfOrder = outcomes.Count(o => o.OutOfOrder);
        return new TelemetryBatchResponse(accepted, results.Length - accepted - outOfOrder, outOfOrder, results);
    }
}
