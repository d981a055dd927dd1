using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Silo.Security;

namespace Vpp.Silo.Api;

/// <summary>HTTP API v1: the outward face for trading systems and asset gateways.</summary>
public static class VppApi
{
    public const int DefaultEventLimit = 50;
    public const int MaxEventLimit = 500;

    public static RouteGroupBuilder MapVppApi(this IEndpointRouteBuilder app)
    {
        // Every endpoint needs a valid key (even one a later change forgets to give a role), and its own role below.
        var api = app.MapGroup("/api/v1")
            .AddEndpointFilter(MapGrainErrorsAsync)
            .AddEndpointFilter(FleetScope.EnforceAsync)
            .RequireAuthorization()
            .RequireRateLimiting(ApiRateLimiting.PolicyName);

        var assets = api.MapGroup("/assets/{assetId}").AddEndpointFilter(ValidateIdAsync("assetId")).WithTags("Assets");
        assets.MapPut("", PutAssetAsync)
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("PutAsset")
            .WithSummary("Register an asset, or change the spec of a registered one")
            .WithJsonBody<AssetSpecRequest>()
            .Produces<AssetResponse>()
            .ProducesProblem(StatusCodes.Status409Conflict);
        assets.MapGet("", GetAssetAsync)
            .RequireAuthorization(ApiRoles.Read)
            .WithName("GetAsset")
            .WithSummary("The asset's spec, status, latest telemetry, setpoint and capability now")
            .Produces<AssetResponse>()
            .ProducesNotFound();
        assets.MapDelete("", DeleteAssetAsync)
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("DeleteAsset")
            .WithSummary("Remove an asset: it leaves its fleet (which re-dispatches its standing target) and its state is cleared")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesNotFound();
        assets.MapPost("/telemetry", PostTelemetryAsync)
            .RequireAuthorization(ApiRoles.Telemetry)
            .WithName("PostTelemetry")
            .WithSummary("Report a measurement; an online asset stays online while it reports. A timestamp more than Vpp:MaxClockSkew ahead is refused (400); one older than the last measurement is ignored (409 timestamp)")
            .WithJsonBody<TelemetryRequest>()
            .Produces(StatusCodes.Status202Accepted)
            .ProducesNotFound()
            .ProducesProblem(StatusCodes.Status409Conflict);
        assets.MapPost("/status", PostStatusAsync)
            .RequireAuthorization(ApiRoles.StatusReporters)
            .WithName("PostStatus")
            .WithSummary("Report the asset online, offline or in maintenance")
            .WithJsonBody<StatusRequest>()
            .Produces<AssetResponse>()
            .ProducesNotFound();

        var fleets = api.MapGroup("/fleets/{fleetId}").AddEndpointFilter(ValidateIdAsync("fleetId")).WithTags("Fleets");
        fleets.MapGet("", GetFleetAsync)
            .RequireAuthorization(ApiRoles.Read)
            .WithName("GetFleet")
            .WithSummary("The fleet's size, capability, standing target and last dispatch")
            .Produces<FleetResponse>()
            .ProducesNotFound();
        fleets.MapPost("/dispatch", DispatchAsync)
            .RequireAuthorization(ApiRoles.Dispatch)
            .WithName("Dispatch")
            .WithSummary("Split a net export target over the fleet's assets and send them their setpoints")
            .WithJsonBody<DispatchHttpRequest>()
            .WithQueryParameter("setpoints", JsonSchemaType.Boolean, "false leaves the per-asset setpoints out of the answer (default true)")
            .Produces<DispatchResponse>()
            .ProducesNotFound();
        fleets.MapGet("/events", GetEventsAsync)
            .RequireAuthorization(ApiRoles.Read)
            .WithName("GetFleetEvents")
            .WithSummary("The fleet's recent events, newest first")
            .WithQueryParameter("limit", JsonSchemaType.Integer, $"how many events, 1 to {MaxEventLimit} (default {DefaultEventLimit})")
            .WithQueryParameter("before", JsonSchemaType.Integer, "only events with a smaller sequence: the smallest sequence of one page pages back to the next")
            .Produces<FleetEvent[]>()
            .ProducesValidationProblem();
        fleets.MapEventStream()
            .RequireAuthorization(ApiRoles.Read)
            .WithName("StreamFleetEvents")
            .WithSummary("The fleet's events as they happen, as Server-Sent Events (Last-Event-ID resumes after an event); at most Api:MaxEventStreamsPerKey streams per key")
            .Produces(StatusCodes.Status200OK, contentType: EventStreamEndpoint.ContentType)
            .ProducesNotFound()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        fleets.MapAssetBatch();
        fleets.MapFleetOutput();
        fleets.MapMarket();
        fleets.MapOptimisation();
        fleets.MapForecasts();
        fleets.MapSettlement();
        api.MapTelemetryBatch()
            .WithMetadata(FleetScope.Aware)
            .RequireAuthorization(ApiRoles.Telemetry)
            .WithTags("Telemetry")
            .WithName("PostTelemetryBatch")
            .WithSummary("Report many assets' measurements in one request (device gateways); answers each asset's setpoint")
            .WithJsonBody<TelemetryBatchItemRequest[]>()
            .Produces<TelemetryBatchResponse>()
            .ProducesValidationProblem();
        api.MapGridServices();
        api.MapSchedules();
        api.MapUnavailabilities();
        api.MapConsoleApi();
        api.MapVirtualBatteries();
        return api;
    }

    private static async Task<IResult> PutAssetAsync(string assetId, HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json)
    {
        var (spec, problem) = await JsonBody.ReadValidAsync<AssetSpecRequest, AssetSpec>(
            request, json.Value.SerializerOptions, (body, errors) =>
            {
                if (body.AssetId is { } named && named != assetId)
                {
                    errors.Add("assetId", $"names '{named}', but the path names '{assetId}' (leave it out)");
                }

                return body.ToSpec(errors);
            });
        if (problem is null && !FleetScope.Allows(request.HttpContext.User, spec.FleetId))
        {
            return ApiProblems.NotFound("fleet", spec.FleetId);
        }

        return problem ?? Results.Ok(AssetResponse.From(await TransientRetry.RunAsync(() => grains.GetGrain<IAssetGrain>(assetId).ConfigureAsync(spec))));
    }

    private static async Task<IResult> GetAssetAsync(string assetId, IGrainFactory grains) =>
        await TransientRetry.RunAsync(() => grains.GetGrain<IAssetGrain>(assetId).GetAsync()) is { } view
            ? Results.Ok(AssetResponse.From(view))
            : ApiProblems.NotFound("asset", assetId);

    private static async Task<IResult> DeleteAssetAsync(string assetId, IGrainFactory grains)
    {
        await grains.GetGrain<IAssetGrain>(assetId).RemoveAsync();
        return Results.NoContent();
    }

    private static async Task<IResult> PostTelemetryAsync(string assetId, HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json)
    {
        var (telemetry, problem) = await JsonBody.ReadValidAsync<TelemetryRequest, Telemetry>(
            request, json.Value.SerializerOptions, (body, errors) => body.ToTelemetry(errors));
        if (problem is not null)
        {
            return problem;
        }

        await TransientRetry.RunAsync(() => grains.GetGrain<IAssetGrain>(assetId).ReportTelemetryAsync(telemetry));
        return Results.Accepted();
    }

    private static async Task<IResult> PostStatusAsync(string assetId, HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json)
    {
        var ((status, reason), problem) = await JsonBody.ReadValidAsync<StatusRequest, (AssetStatus, string?)>(
            request, json.Value.SerializerOptions, (body, errors) => (body.ToStatus(errors), body.Reason));
        return problem ?? Results.Ok(AssetResponse.From(await TransientRetry.RunAsync(() => grains.GetGrain<IAssetGrain>(assetId).ReportStatusAsync(status, reason))));
    }

    private static async Task<IResult> GetFleetAsync(string fleetId, IGrainFactory grains) =>
        await TransientRetry.RunAsync(() => grains.GetGrain<IFleetGrain>(fleetId).GetAsync()) is { } view
            ? Results.Ok(FleetResponse.From(view))
            : ApiProblems.NotFound("fleet", fleetId);

    private static async Task<IResult> DispatchAsync(string fleetId, HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json)
    {
        var includeSetpoints = true;
        if (request.Query.TryGetValue("setpoints", out var raw) && !bool.TryParse(raw, out includeSetpoints))
        {
            return ApiProblems.Invalid("setpoints", "must be true or false");
        }

        var (dispatch, problem) = await JsonBody.ReadValidAsync<DispatchHttpRequest, DispatchRequest>(
            request, json.Value.SerializerOptions, (body, errors) => body.ToRequest(errors, includeSetpoints));
        return problem ?? Results.Ok(DispatchResponse.From(await TransientRetry.RunAsync(() => grains.GetGrain<IFleetGrain>(fleetId).DispatchAsync(dispatch)), includeSetpoints));
    }

    private static async Task<IResult> GetEventsAsync(string fleetId, HttpRequest request, IGrainFactory grains)
    {
        var limit = DefaultEventLimit;
        if (request.Query.TryGetValue("limit", out var raw)
            && (!int.TryParse(raw, out limit) || limit < 1 || limit > MaxEventLimit))
        {
            return ApiProblems.Invalid("limit", $"must be a whole number from 1 to {MaxEventLimit}");
        }

        if (!request.Query.TryGetValue("before", out var rawBefore))
        {
            return Results.Ok(await TransientRetry.RunAsync(() => grains.GetGrain<IFleetGrain>(fleetId).GetEventsAsync(limit)));
        }

        if (!long.TryParse(rawBefore, out var before) || before < 1)
        {
            return ApiProblems.Invalid("before", "must be an event sequence, a whole number of at least 1");
        }

        return Results.Ok(await TransientRetry.RunAsync(() => grains.GetGrain<IFleetGrain>(fleetId).GetEventsBeforeAsync(before, limit)));
    }

    /// <summary>Rejects malformed ids before any grain is touched (an all-digit key would even address another grain).</summary>
    internal static Func<EndpointFilterInvocationContext, EndpointFilterDelegate, ValueTask<object?>> ValidateIdAsync(string name) =>
        async (context, next) =>
        {
            var id = context.HttpContext.GetRouteValue(name) as string;
            return EntityId.Problem(id) is { } problem
                ? ApiProblems.Invalid(name, problem)
                : await next(context);
        };

    private static async ValueTask<object?> MapGrainErrorsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (!IsCallerGone(context.HttpContext, ex) && ApiProblems.FromException(ex) is { } result)
        {
            return result;
        }
    }

    /// <summary>The caller aborted the request, or the answer is already on its way (an event stream): nothing to answer.</summary>
    private static bool IsCallerGone(HttpContext http, Exception ex) =>
        http.Response.HasStarted || (ex is OperationCanceledException && http.RequestAborted.IsCancellationRequested);

    /// <summary>JSON conventions of the API: camelCase, nulls omitted, unknown fields refused, strict instants, a fleet event's record chosen by its "kind".</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        options.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        options.PropertyNameCaseInsensitive = false;
        options.AllowDuplicateProperties = false;
        options.AllowOutOfOrderMetadataProperties = true; // a fleet event's "kind" may come after other fields
        options.Converters.Add(new UtcInstantConverter());
    }
}
