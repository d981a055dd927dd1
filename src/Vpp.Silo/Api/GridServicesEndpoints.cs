using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Vpp.Abstractions.GridServices;
using Vpp.Domain.GridServices;
using Vpp.Domain.Validation;
using Vpp.Grains;
using Vpp.Grains.Contracts;
using Vpp.Silo.Security;

namespace Vpp.Silo.Api;

/// <summary>
/// Frequency containment (FCR) and restoration (aFRR): the fleet's FCR band, the area's frequency measurements and
/// the TSO's aFRR setpoints, all offsets on the fleet's target; and the recorded aFRR steps.
/// </summary>
public static class GridServicesEndpoints
{
    /// <summary>The longest aFRR window one GET returns: the retention.</summary>
    public static readonly TimeSpan MaxAfrrWindow = TimeSpan.FromHours(24);

    public static RouteGroupBuilder MapGridServices(this RouteGroupBuilder api)
    {
        var fleets = api.MapGroup("/fleets/{fleetId}").AddEndpointFilter(VppApi.ValidateIdAsync("fleetId")).WithTags("Grid services");
        fleets.MapPut("/fcr", PutFcrAsync)
            .RequireAuthorization(ApiRoles.Dispatch)
            .WithName("PutFcrContract")
            .WithSummary("Set the FCR award for one delivery period: a product block {date, block} (Europe/Berlin, 0 = 00–04) or {from, to} "
                + "(UTC, quarter hours); 0 kW withdraws it. The band is due only within its period, where overlapping awards add up; 409 when a stored schedule "
                + "slot of the period would not leave the band free")
            .WithJsonBody<FcrContractRequest>()
            .Produces<FcrResponse>()
            .ProducesNotFound()
            .ProducesProblem(StatusCodes.Status409Conflict);
        fleets.MapDelete("/fcr", DeleteFcrAsync)
            .RequireAuthorization(ApiRoles.Dispatch)
            .WithName("DeleteFcrContracts")
            .WithSummary("Withdraw every FCR award of the fleet: the band returns to 0 kW now")
            .Produces<FcrResponse>()
            .ProducesNotFound();
        fleets.MapPost("/afrr", PostAfrrAsync)
            .RequireAuthorization(ApiRoles.Dispatch)
            .WithName("PostAfrrSetpoint")
            .WithSummary("Set the aFRR setpoint (kW on top of the fleet's target, about every 4 s); answers the effective target and what was clamped")
            .WithJsonBody<AfrrSetpointRequest>()
            .Produces<AfrrAcceptedResponse>()
            .ProducesNotFound()
            .ProducesProblem(StatusCodes.Status409Conflict);
        fleets.MapPut("/afrr/capacity", PutAfrrCapacityAsync)
            .RequireAuthorization(ApiRoles.Dispatch)
            .WithName("PutAfrrCapacity")
            .WithSummary("Set the aFRR capacity sold per direction (0 for none); flexibility and bids offer only what is left")
            .WithJsonBody<AfrrCapacityRequest>()
            .Produces<AfrrCapacityRequest>()
            .ProducesNotFound();
        fleets.MapGet("/afrr", GetAfrrAsync)
            .RequireAuthorization(ApiRoles.Read)
            .WithName("GetAfrrSteps")
            .WithSummary("Requested vs delivered aFRR per setpoint interval, oldest first")
            .WithQueryParameter("from", JsonSchemaType.String, "ISO 8601 instant with offset (default: one hour before to)")
            .WithQueryParameter("to", JsonSchemaType.String, $"ISO 8601 instant with offset (default: now); at most {MaxAfrrWindow.TotalHours:0} h after from")
            .Produces<AfrrStep[]>()
            .ProducesNotFound();
        api.MapPost("/grid/frequency", PostFrequencyAsync)
            .RequireAuthorization(ApiRoles.Dispatch)
            .WithTags("Grid services")
            .WithName("PostFrequency")
            .WithSummary("Feed a frequency measurement of the synchronous area to every fleet with an FCR contract; answers once their setpoints are sent")
            .WithJsonBody<FrequencyRequest>()
            .Produces<FrequencyResponse>()
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/grid/events", GetGridEventsAsync)
            .RequireAuthorization(ApiRoles.Read)
            .WithTags("Grid services")
            .WithName("GetGridEvents")
            .WithSummary("The synchronous area's frequency alarms (frequency outside the alarm limits), oldest first")
            .Produces<GridEventResponse[]>()
            .ProducesValidationProblem();
        return api;
    }

    private static async Task<IResult> PutFcrAsync(string fleetId, HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json)
    {
        var (award, problem) = await JsonBody.ReadValidAsync<FcrContractRequest, FcrAwardInput>(
            request, json.Value.SerializerOptions, (body, errors) => body.ToAward(errors));
        return problem ?? Results.Ok(FcrResponse.From(await TransientRetry.RunAsync(() => grains.GetGrain<IFleetGridServicesGrain>(fleetId).SetFcrContractAsync(award))));
    }

    private static async Task<IResult> DeleteFcrAsync(string fleetId, IGrainFactory grains) =>
        Results.Ok(FcrResponse.From(await TransientRetry.RunAsync(() => grains.GetGrain<IFleetGridServicesGrain>(fleetId).EndFcrContractsAsync())));

    private static async Task<IResult> PostAfrrAsync(string fleetId, HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json)
    {
        var (setpoint, problem) = await JsonBody.ReadValidAsync<AfrrSetpointRequest, AfrrSetpoint>(
            request, json.Value.SerializerOptions, (body, errors) => body.ToSetpoint(errors));
        return problem ?? Results.Ok(AfrrAcceptedResponse.From(await grains.GetGrain<IFleetGridServicesGrain>(fleetId).SetAfrrSetpointAsync(setpoint)));
    }

    private static async Task<IResult> PutAfrrCapacityAsync(string fleetId, HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json)
    {
        var (capacity, problem) = await JsonBody.ReadValidAsync<AfrrCapacityRequest, AfrrCapacity>(
            request, json.Value.SerializerOptions, (body, errors) => body.ToCapacity(errors));
        return problem ?? Results.Ok(AfrrCapacityRequest.From(
            await TransientRetry.RunAsync(() => grains.GetGrain<IFleetGridServicesInternal>(fleetId).SetAfrrCapacityAsync(capacity))));
    }

    private static async Task<IResult> GetAfrrAsync(
        string fleetId, HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json, [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock)
    {
        var errors = new FieldErrors();
        var to = ReadInstant(request, "to", json.Value.SerializerOptions, errors) ?? clock.GetUtcNow();
        var from = ReadInstant(request, "from", json.Value.SerializerOptions, errors) ?? to - TimeSpan.FromHours(1);
        if (!errors.Any && to <= from)
        {
            errors.Add("to", "must be after from");
        }
        else if (!errors.Any && to - from > MaxAfrrWindow)
        {
            errors.Add("to", $"must be at most {MaxAfrrWindow.TotalHours:0} h after from (the retention)");
        }

        if (errors.Any)
        {
            return ApiProblems.Invalid(errors.Errors.Select(e => new Abstractions.Errors.FieldProblem(e.Field, e.Message)));
        }

        var steps = await TransientRetry.RunAsync(() => grains.GetGrain<IFleetGridServicesGrain>(fleetId).GetAfrrStepsAsync(from, to));
        return Results.Ok(steps); // the stored step is the wire shape
    }

    private static async Task<IResult> PostFrequencyAsync(HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json, IOptions<VppOptions> options)
    {
        var (measurement, problem) = await JsonBody.ReadValidAsync<FrequencyRequest, FrequencyMeasurement>(
            request, json.Value.SerializerOptions, (body, errors) => body.ToMeasurement(errors));
        return problem ?? Results.Ok(FrequencyResponse.From(
            await grains.GetGrain<IGridAreaGrain>(options.Value.GridServices.Area).ReportFrequencyAsync(measurement)));
    }

    private static async Task<IResult> GetGridEventsAsync(HttpRequest request, IGrainFactory grains, IOptions<VppOptions> options)
    {
        if (AssetPageQuery.RefuseUnknownParameters(request.Query, []) is { Count: > 0 } problems)
        {
            return ApiProblems.Invalid(problems);
        }

        var events = await grains.GetGrain<IGridAreaInternal>(options.Value.GridServices.Area).GetEventsAsync();
        return Results.Ok(events.Select(GridEventResponse.Of).ToArray());
    }

    /// <summary>A query instant, read with the same strict rules as instants in bodies (offset required).</summary>
    private static DateTimeOffset? ReadInstant(HttpRequest request, string name, JsonSerializerOptions options, FieldErrors errors)
    {
        if (!request.Query.TryGetValue(name, out var raw))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<DateTimeOffset>(JsonSerializer.Serialize(raw.ToString()), options);
        }
        catch (JsonException)
        {
            errors.Add(name, "must be an ISO 8601 instant with an offset, e.g. 2026-11-25T12:00:00Z");
            return null;
        }
    }
}

/// <summary>An FCR award: the band and its delivery period, {date, block} or {from, to} (checked by the fleet).</summary>
public sealed record FcrContractRequest(double? ContractedKw, DateOnly? Date, int? Block, DateTimeOffset? From, DateTimeOffset? To)
{
    public FcrAwardInput ToAward(FieldErrors errors)
    {
        errors.Required("contractedKw", ContractedKw, "(kW, the symmetric band for the period; 0 withdraws the award for it)");
        errors.Finite("contractedKw", ContractedKw);
        return new FcrAwardInput(ContractedKw ?? 0, Date, Block, From, To);
    }
}

/// <summary>aFRR capacity sold (kW per direction); also the answer, with the values stored.</summary>
public sealed record AfrrCapacityRequest(double? UpKw, double? DownKw)
{
    public AfrrCapacity ToCapacity(FieldErrors errors)
    {
        errors.Required("upKw", UpKw, "(kW of positive aFRR sold; 0 for none)");
        errors.Required("downKw", DownKw, "(kW of negative aFRR sold; 0 for none)");
        errors.Finite("upKw", UpKw);
        errors.Finite("downKw", DownKw);
        return new AfrrCapacity(UpKw ?? 0, DownKw ?? 0);
    }

    public static AfrrCapacityRequest From(AfrrCapacity c) => new(c.UpKw, c.DownKw);
}

public sealed record FrequencyRequest(double? FrequencyHz, DateTimeOffset? Timestamp)
{
    public FrequencyMeasurement ToMeasurement(FieldErrors errors)
    {
        errors.Required("frequencyHz", FrequencyHz, "(Hz, the synchronous area's frequency)");
        if (FrequencyHz is { } hz)
        {
            Domain.GridServices.FcrDroop.CheckFrequency(errors, "frequencyHz", hz);
        }

        return new FrequencyMeasurement(FrequencyHz ?? 0, Timestamp);
    }
}

public sealed record AfrrSetpointRequest(double? SetpointKw, DateTimeOffset? Timestamp)
{
    public AfrrSetpoint ToSetpoint(FieldErrors errors)
    {
        errors.Required("setpointKw", SetpointKw, "(kW on top of the fleet's target, positive = more export)");
        errors.Finite("setpointKw", SetpointKw);
        return new AfrrSetpoint(SetpointKw ?? 0, Timestamp);
    }
}

public sealed record FcrResponse(
    double ContractedKw, double? FrequencyHz, double ResponseKw, DateTimeOffset? MeasuredAt, double SocManagementKw, double? PooledSocPercent,
    bool FrequencyStale, double MaxBandKw, double DeliverableKw, double ShortfallKw,
    double SocTradeSellKwh, double SocTradeBuyKwh, bool Alert, string? AlertDirection, FcrAwardResponse[] Awards)
{
    public static FcrResponse From(FcrView v) =>
        new(v.ContractedKw, v.FrequencyHz, v.ResponseKw, v.MeasuredAt, v.SocManagementKw, v.PooledSocPercent, v.FrequencyStale,
            v.MaxBandKw, v.DeliverableKw, v.ShortfallKw, v.SocTradeSellKwh, v.SocTradeBuyKwh, v.Alert, v.AlertDirection,
            [.. (v.Awards ?? []).Select(a => new FcrAwardResponse(a.ContractedKw, a.From, a.To, a.Product))]);
}

/// <summary>One FCR award: the band over [from, to) UTC, and the market block's name when awarded as one.</summary>
public sealed record FcrAwardResponse(double ContractedKw, DateTimeOffset From, DateTimeOffset To, string? Product);

/// <summary>The area's answer to a measurement; <see cref="Alarm"/> says why the frequency is alarming, null when it is not.</summary>
public sealed record FrequencyResponse(
    string Area, double FrequencyHz, DateTimeOffset Timestamp, int FleetCount, double ResponseKw, string[] FailedFleetIds, string? Alarm)
{
    public static FrequencyResponse From(FrequencyApplied a) => new(a.Area, a.FrequencyHz, a.At, a.FleetCount, a.ResponseKw, a.FailedFleetIds, a.Alarm);
}

public sealed record GridEventResponse(DateTimeOffset Timestamp, string Kind, double FrequencyHz, string Message)
{
    public static GridEventResponse Of(GridAreaEvent e) => new(e.At, e.Kind, e.FrequencyHz, e.Message);
}

public sealed record AfrrAcceptedResponse(double SetpointKw, DateTimeOffset Timestamp, double TargetKw, double ClampedKw, double AllocatedKw)
{
    public static AfrrAcceptedResponse From(AfrrAccepted a) => new(a.SetpointKw, a.At, a.TargetKw, a.ClampedKw, a.AllocatedKw);
}
