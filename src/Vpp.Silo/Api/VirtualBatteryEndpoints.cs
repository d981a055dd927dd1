using System.Security.Claims;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Vpp.Grains.Contracts;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.VirtualBatteries;
using Vpp.Silo.Security;

namespace Vpp.Silo.Api;

/// <summary>
/// <c>/api/v1/virtual-batteries</c>: traders' slices of pooled fleets. A trader's key (Auth:ApiKeys[].Trader) sees only
/// its own virtual batteries and gets 404 for any other's, the answer an id that does not exist gets, so it cannot
/// learn that another trader's exists; the operator's keys (no trader) see every virtual battery of the fleets they may use.
/// </summary>
public static class VirtualBatteryEndpoints
{
    private const string ViewItem = "Vpp.VirtualBattery";

    /// <summary>The slice a settlement is asked for: a booked one, or one deleted whose settlement stays readable.</summary>
    private const string SliceItem = "Vpp.VirtualBatterySlice";

    public static void MapVirtualBatteries(this RouteGroupBuilder api)
    {
        var all = api.MapGroup("/virtual-batteries").WithTags("Virtual batteries").WithMetadata(FleetScope.Aware)
            .AddEndpointFilter(MapErrorsAsync).AddEndpointFilter(ActAsTraderAsync);
        all.MapGet("", ListAsync)
            .RequireAuthorization(ApiRoles.Read)
            .WithName("ListVirtualBatteries")
            .WithSummary("The virtual batteries this key may see (a trader's key: its own), with virtual SoC and setpoints now")
            .Produces<VirtualBatteryResponse[]>()
            .ProducesValidationProblem();
        all.MapGet("/settlement", (HttpContext http, IGrainFactory grains) => SettleAllAsync(http, grains, csv: SettlementEndpoints.WantsCsv(http.Request)))
            .RequireAuthorization(ApiRoles.Read)
            .WithName("GetVirtualBatteriesSettlement")
            .WithSummary("Settlement per slot of every virtual battery this key may see, with per-trader totals (CSV with Accept: text/csv)")
            .WithSettlementRange()
            .Produces<VirtualBatterySettlementResponse>()
            .Produces(StatusCodes.Status200OK, contentType: SettlementEndpoints.CsvContentType)
            .ProducesValidationProblem();
        all.MapGet("/settlement.csv", (HttpContext http, IGrainFactory grains) => SettleAllAsync(http, grains, csv: true))
            .RequireAuthorization(ApiRoles.Read)
            .WithName("GetVirtualBatteriesSettlementCsv")
            .WithSummary("The settlement of every virtual battery this key may see as CSV: a row per slot and slice (row=slot), then a totals row per trader (row=total); empty cells for unknown values")
            .WithSettlementRange()
            .Produces(StatusCodes.Status200OK, contentType: SettlementEndpoints.CsvContentType)
            .ProducesValidationProblem();

        all.MapGet("/books", ListBooksAsync)
            .RequireAuthorization(ApiRoles.Read)
            .WithName("ListSliceBooks")
            .WithSummary("How each fleet the key may use is sliced (the operator's view): power and energy sold and free, per trader and per slice; a trader's key gets 404")
            .Produces<SliceBookResponse[]>()
            .ProducesNotFound()
            .ProducesValidationProblem();

        var one = all.MapGroup("/{vbId}").AddEndpointFilter(VppApi.ValidateIdAsync("vbId")).AddEndpointFilter(EnforceTenancyAsync);
        one.MapPut("", PutAsync)
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("PutVirtualBattery")
            .WithSummary("Create or change a trader's slice of a fleet's batteries; refused (409, with what is free) beyond the fleet's registered batteries less FCR/aFRR commitments and the reserve")
            .WithJsonBody<VirtualBatteryHttpRequest>()
            .Produces<VirtualBatteryResponse>()
            .ProducesNotFound()
            .ProducesProblem(StatusCodes.Status409Conflict);
        one.MapDelete("", DeleteAsync)
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("DeleteVirtualBattery")
            .WithSummary("Delete a slice (operator only): its capacity is free again and its setpoint leaves the fleet's base target; its settlement stays readable by its trader")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesNotFound();
        one.MapGet("", (HttpContext http) => Results.Ok(VirtualBatteryResponse.Of((VirtualBatteryView)http.Items[ViewItem]!)))
            .RequireAuthorization(ApiRoles.Read)
            .WithName("GetVirtualBattery")
            .WithSummary("Power, energy, virtual SoC, what is requested and delivered now (curtailment and why), available power now, next slots")
            .Produces<VirtualBatteryResponse>()
            .ProducesNotFound();
        one.MapPost("/dispatch", DispatchAsync)
            .RequireAuthorization(ApiRoles.Dispatch)
            .WithName("DispatchVirtualBattery")
            .WithSummary("Set the slice's standing setpoint now (kW, positive discharging); 400 with reason power, energy, soc or window when the slice cannot hold it")
            .WithJsonBody<VirtualBatteryDispatchHttpRequest>()
            .Produces<VirtualBatteryResponse>()
            .ProducesNotFound();
        one.MapPut("/schedule", ScheduleAsync)
            .RequireAuthorization(ApiRoles.Dispatch)
            .WithName("PutVirtualBatterySchedule")
            .WithSummary("Store 15-minute slots as for fleets; 400 with reason power, energy, soc or window when the plan would take the virtual SoC outside 0–100 % or exceed the slice")
            .WithJsonBody<ScheduleHttpRequest>()
            .Produces<VirtualBatteryResponse>()
            .ProducesNotFound();
        one.MapGet("/settlement", (string vbId, HttpContext http, IGrainFactory grains) => SettleOneAsync(vbId, http, grains, csv: SettlementEndpoints.WantsCsv(http.Request)))
            .RequireAuthorization(ApiRoles.Read)
            .WithName("GetVirtualBatterySettlement")
            .WithSummary("Per slot: requested, setpoint after curtailment, delivered (its share of the fleet's measured delivery), deviation, curtailment and why, virtual SoC at slot end")
            .WithSettlementRange()
            .Produces<VirtualBatterySettlementResponse>()
            .Produces(StatusCodes.Status200OK, contentType: SettlementEndpoints.CsvContentType)
            .ProducesNotFound();
        one.MapGet("/settlement.csv", (string vbId, HttpContext http, IGrainFactory grains) => SettleOneAsync(vbId, http, grains, csv: true))
            .RequireAuthorization(ApiRoles.Read)
            .WithName("GetVirtualBatterySettlementCsv")
            .WithSummary("The slice's settlement as CSV; empty cells for unknown values")
            .WithSettlementRange()
            .Produces(StatusCodes.Status200OK, contentType: SettlementEndpoints.CsvContentType)
            .ProducesNotFound();
        one.MapGet("/events", EventsAsync)
            .RequireAuthorization(ApiRoles.Read)
            .WithName("GetVirtualBatteryEvents")
            .WithSummary("The fleet's events about this virtual battery (curtailments), newest first")
            .Produces<FleetEvent[]>()
            .ProducesNotFound();
        one.MapGet("/events/stream", StreamEventsAsync)
            .RequireAuthorization(ApiRoles.Read)
            .WithName("StreamVirtualBatteryEvents")
            .WithSummary("This slice's events (curtailments) as Server-Sent Events, from its fleet's event stream: the same ids, Last-Event-ID resumes; another trader's key gets 404")
            .Produces(StatusCodes.Status200OK, contentType: EventStreamEndpoint.ContentType)
            .ProducesNotFound();
    }

    /// <summary>The <c>from</c> and <c>to</c> query parameters of a settlement, read as <see cref="Domain.Schedules.SlotRange"/>.</summary>
    private static RouteHandlerBuilder WithSettlementRange(this RouteHandlerBuilder endpoint) => endpoint
        .WithQueryParameter("from", JsonSchemaType.String, "first instant (ISO 8601 with offset; floored to the quarter hour), required")
        .WithQueryParameter("to", JsonSchemaType.String, "end instant (ceiled to the quarter hour), required");

    /// <summary>The trader a key belongs to; null for the operator's keys.</summary>
    public static string? TraderOf(ClaimsPrincipal user) => user.FindFirst(ApiKeyClaims.Trader)?.Value;

    /// <summary>A trader's key sees its own slices; an operator's key the slices of the fleets it may use.</summary>
    public static bool Sees(ClaimsPrincipal user, VirtualBatteryConfig spec) =>
        TraderOf(user) is { } trader ? trader == spec.TraderId : FleetScope.Allows(user, spec.FleetId);

    /// <summary>
    /// A trader's key calls the grains for its trader (<see cref="TraderScope"/>), so the virtual-battery grains apply the
    /// rule the SDK's trader-scoped client meets; the checks below answer 404 before a grain is asked.
    /// </summary>
    private static ValueTask<object?> ActAsTraderAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (TraderOf(context.HttpContext.User) is { } trader)
        {
            // Async-local: it goes with this request's grain calls only.
            RequestContext.Set(TraderScope.Key, trader);
        }

        return next(context);
    }

    /// <summary>
    /// Another trader's virtual battery answers 404 like one that does not exist; creating one is left to PUT. A deleted
    /// one answers only its settlement, to whom saw it.
    /// </summary>
    private static async ValueTask<object?> EnforceTenancyAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var id = (string)http.GetRouteValue("vbId")!;
        var grains = http.RequestServices.GetRequiredService<IGrainFactory>();
        var slice = grains.GetGrain<IVirtualBatteryGrain>(id);
        var view = await TransientRetry.RunAsync(() => slice.GetAsync());
        if (view is null && IsSettlement(http.Request) && await TransientRetry.RunAsync(() => slice.GetDeletedAsync()) is { } deleted
            && Sees(http.User, deleted.Spec))
        {
            http.Items[SliceItem] = (id, deleted.Spec.FleetId);
            return await next(context);
        }

        var creating = view is null && HttpMethods.IsPut(http.Request.Method) && http.Request.Path.Value?.EndsWith("/" + id, StringComparison.Ordinal) == true;
        if (!creating && (view is null || !Sees(http.User, view.Spec)))
        {
            return ApiProblems.NotFound("virtualBattery", id);
        }

        http.Items[ViewItem] = view;
        http.Items[SliceItem] = view is null ? null : (id, view.Spec.FleetId);
        return await next(context);
    }

    private static bool IsSettlement(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Path.Value is { } path
        && (path.EndsWith("/settlement", StringComparison.Ordinal) || path.EndsWith("/settlement.csv", StringComparison.Ordinal));

    /// <summary>The operator's: a trader's key (even the owner's) gets 404, as for anything outside its own slices' trading.</summary>
    private static async Task<IResult> DeleteAsync(string vbId, HttpContext http, IGrainFactory grains)
    {
        if (TraderOf(http.User) is not null)
        {
            return ApiProblems.NotFound("virtualBattery", vbId);
        }

        // Not retried: a delete that went through and is sent again answers 404.
        await grains.GetGrain<IVirtualBatteryGrain>(vbId).DeleteAsync();
        return Results.NoContent();
    }

    private static async Task<IResult> PutAsync(
        string vbId, HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json, IOptionsMonitor<AuthOptions> auth)
    {
        var (config, problem) = await JsonBody.ReadValidAsync<VirtualBatteryHttpRequest, VirtualBatteryConfig>(
            request, json.Value.SerializerOptions, (body, errors) => body.ToConfig(errors));
        if (problem is not null)
        {
            return problem;
        }

        if (vbId is "settlement" or "settlement.csv" or "books")
        {
            return ApiProblems.Invalid("vbId", $"'{vbId}' names a listing of all virtual batteries; choose another id");
        }

        var user = request.HttpContext.User;
        if (TraderOf(user) is { } trader && trader != config.TraderId)
        {
            return ApiProblems.NotFound("trader", config.TraderId);
        }

        if (TraderOf(user) is null && !FleetScope.Allows(user, config.FleetId))
        {
            return ApiProblems.NotFound("fleet", config.FleetId);
        }

        if (!auth.CurrentValue.Traders.Any(t => t.Id == config.TraderId))
        {
            return ApiProblems.Invalid("traderId", $"'{config.TraderId}' is not a configured trader (Auth:Traders)");
        }

        return Results.Ok(VirtualBatteryResponse.Of(await TransientRetry.RunAsync(() => grains.GetGrain<IVirtualBatteryGrain>(vbId).ConfigureAsync(config))));
    }

    private static async Task<IResult> DispatchAsync(string vbId, HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json)
    {
        var (targetKw, problem) = await JsonBody.ReadValidAsync<VirtualBatteryDispatchHttpRequest, double>(
            request, json.Value.SerializerOptions, (body, errors) =>
            {
                errors.Required("targetKw", body.TargetKw, "(kW, positive discharging)");
                return body.TargetKw ?? 0;
            });
        return problem ?? Results.Ok(VirtualBatteryResponse.Of(
            await TransientRetry.RunAsync(() => grains.GetGrain<IVirtualBatteryGrain>(vbId).DispatchAsync(targetKw))));
    }

    private static async Task<IResult> ScheduleAsync(string vbId, HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json)
    {
        var (body, problem) = await JsonBody.ReadAsync<ScheduleHttpRequest>(request, json.Value.SerializerOptions);
        return problem ?? Results.Ok(VirtualBatteryResponse.Of(
            await TransientRetry.RunAsync(() => grains.GetGrain<IVirtualBatteryGrain>(vbId).SubmitScheduleAsync(body!.ToRequest()))));
    }

    private static async Task<IResult> EventsAsync(string vbId, HttpContext http, IGrainFactory grains)
    {
        var view = (VirtualBatteryView)http.Items[ViewItem]!;
        var events = await TransientRetry.RunAsync(() => grains.GetGrain<IFleetGrain>(view.Spec.FleetId).GetEventsAsync(VppApi.MaxEventLimit));
        return Results.Ok(events.Where(e => e is SliceCurtailmentEvent c && c.VirtualBatteryIds.Contains(vbId)).ToArray());
    }

    private static Task<IResult> StreamEventsAsync(
        string vbId, HttpContext http, IGrainFactory grains, IConfiguration config, ILoggerFactory loggers, IOptions<JsonOptions> json,
        EventStreamSlots slots, IHostApplicationLifetime lifetime)
    {
        var view = (VirtualBatteryView)http.Items[ViewItem]!;
        return EventStreamEndpoint.StreamAsync(
            view.Spec.FleetId, e => e is SliceCurtailmentEvent c && c.VirtualBatteryIds.Contains(vbId), http, grains, config, loggers, json, slots, lifetime);
    }

    private static async Task<IResult> ListAsync(HttpContext http, IGrainFactory grains)
    {
        if (AssetPageQuery.RefuseUnknownParameters(http.Request.Query, []) is { Count: > 0 } problems)
        {
            return ApiProblems.Invalid(problems);
        }

        var trader = TraderOf(http.User);
        var views = await TransientRetry.RunAsync(() => grains.GetGrain<IVirtualBatteriesGrain>(IVirtualBatteriesGrain.Key)
            .ListAsync(trader, trader is null ? FleetScope.FleetsOf(http.User)?.ToArray() : null));
        return Results.Ok(views.Select(VirtualBatteryResponse.Of).ToArray());
    }

    /// <summary>Every fleet's book the operator's key may use, by fleet id; a trader sees only its own slices, never the books (404).</summary>
    private static async Task<IResult> ListBooksAsync(HttpContext http, IGrainFactory grains)
    {
        if (TraderOf(http.User) is not null)
        {
            return ApiProblems.NotFound("virtualBattery", "books");
        }

        if (AssetPageQuery.RefuseUnknownParameters(http.Request.Query, []) is { Count: > 0 } problems)
        {
            return ApiProblems.Invalid(problems);
        }

        var books = await BooksAsync(grains);
        return Results.Ok(books.Where(b => FleetScope.Allows(http.User, b.FleetId)).OrderBy(b => b.FleetId, StringComparer.Ordinal).Select(SliceBookResponse.Of).ToArray());
    }

    private static async Task<IResult> SettleOneAsync(string vbId, HttpContext http, IGrainFactory grains, bool csv)
    {
        var problems = new List<FieldProblem>();
        var (from, to) = MarketEndpoints.ReadRange(http.Request, problems);
        var errors = new Domain.Validation.FieldErrors();
        var range = problems.Count == 0 ? Domain.Schedules.SlotRange.Parse(errors, from, to) : null;
        problems.AddRange(errors.Errors.Select(e => new FieldProblem(e.Field, e.Message)));
        if (problems.Count > 0 || range is not { } r)
        {
            return ApiProblems.Invalid(problems);
        }

        var (id, fleetId) = ((string, string))http.Items[SliceItem]!;
        var view = await TransientRetry.RunAsync(() => grains.GetGrain<ISliceBookGrain>(fleetId).GetSettlementAsync(r.From, r.To, [id]));
        return Settlement(view, csv);
    }

    /// <summary>
    /// Every slice the key may see, booked or deleted: a trader's key its trader's, an operator's key those of the
    /// fleets it may use. The settlement grain merges and totals them, as for the SDK.
    /// </summary>
    private static async Task<IResult> SettleAllAsync(HttpContext http, IGrainFactory grains, bool csv)
    {
        var problems = new List<FieldProblem>();
        var (from, to) = MarketEndpoints.ReadRange(http.Request, problems);
        if (problems.Count > 0)
        {
            return ApiProblems.Invalid(problems);
        }

        var trader = TraderOf(http.User);
        var fleets = trader is null ? FleetScope.FleetsOf(http.User)?.ToArray() : null;
        var view = await TransientRetry.RunAsync(() =>
            grains.GetGrain<IVirtualBatteriesGrain>(IVirtualBatteriesGrain.Key).GetSettlementAsync(from, to, trader, fleets));
        // A trader's key names a configured trader: one without slices has nothing to settle yet.
        return Settlement(view ?? Empty(from!.Value, to!.Value), csv);
    }

    private static SliceSettlementView Empty(DateTimeOffset from, DateTimeOffset to) =>
        new(Domain.Schedules.QuarterHour.Floor(from), Domain.Schedules.QuarterHour.Ceiling(to), [], []);

    private static IResult Settlement(SliceSettlementView view, bool csv)
    {
        var response = VirtualBatterySettlementResponse.Of(view);
        return csv ? Results.Text(response.ToCsv(), SettlementEndpoints.CsvContentType + "; charset=utf-8") : Results.Ok(response);
    }

    private static async Task<SliceBookView[]> BooksAsync(IGrainFactory grains)
    {
        var fleetIds = await TransientRetry.RunAsync(() => grains.GetGrain<IFleetDirectoryGrain>(IFleetDirectoryGrain.Key).GetFleetIdsAsync());
        return await Task.WhenAll(fleetIds.Select(id => TransientRetry.RunAsync(() => grains.GetGrain<ISliceBookGrain>(id).GetAsync())));
    }

    /// <summary>The refusals of virtual batteries: overbooking (409 with what is free) and undeliverable requests (400 with the reason).</summary>
    private static async ValueTask<object?> MapErrorsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (Refusal(ex) is { } result)
        {
            return result;
        }
    }

    private static IResult? Refusal(Exception ex) => ex switch
    {
        SliceOverbookedException overbooked => Results.Problem(
            statusCode: StatusCodes.Status409Conflict, title: "The fleet has no room for this virtual battery", detail: overbooked.Message,
            extensions: new Dictionary<string, object?>
            {
                ["field"] = overbooked.Field, ["freePowerKw"] = overbooked.FreePowerKw, ["freeEnergyKwh"] = overbooked.FreeEnergyKwh,
            }),
        UndeliverableException undeliverable => Results.ValidationProblem(
            new Dictionary<string, string[]> { [undeliverable.Field] = [undeliverable.Problem] },
            detail: $"{undeliverable.Field} {undeliverable.Problem}", title: "The virtual battery cannot deliver this",
            extensions: new Dictionary<string, object?> { ["reason"] = undeliverable.Reason }),
        { InnerException: { } inner } => Refusal(inner),
        _ => null,
    };
}
