using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Vpp.Abstractions.Forecasts;
using Vpp.Silo.Security;

namespace Vpp.Silo.Api;

public sealed record ForecastHttpPoint(DateTimeOffset? From, double? Kw);

/// <summary>PUT /fleets/{fleetId}/forecasts/{name} as sent; every field optional so validation can name what is missing.</summary>
public sealed record ForecastHttpRequest(ForecastHttpPoint?[]? Points)
{
    public ForecastPoint?[]? ToPoints() => Points?.Select(p => p is null ? null : new ForecastPoint(p.From, p.Kw)).ToArray();
}

/// <summary>
/// <c>/api/v1/fleets/{fleetId}/forecasts</c>: the fleet's named 15-minute forecasts. Reading needs the read role;
/// replacing one needs the dispatch role (the optimiser plans with it).
/// </summary>
public static class ForecastEndpoints
{
    public static void MapForecasts(this RouteGroupBuilder fleets)
    {
        var forecasts = fleets.MapGroup("/forecasts").WithTags("Forecasts");
        forecasts.MapGet("", ListAsync)
            .RequireAuthorization(ApiRoles.Read)
            .WithName("ListForecasts")
            .WithSummary("The fleet's forecasts: every stored one, and the VPP's own pv, wind and load forecasts (two days from the current quarter hour) where none is stored")
            .Produces<ForecastView[]>()
            .ProducesNotFound();
        forecasts.MapGet("/{name}", GetAsync)
            .RequireAuthorization(ApiRoles.Read)
            .WithName("GetForecast")
            .WithSummary("One forecast: the stored one, or the VPP's own for pv, wind and load")
            .Produces<ForecastView>()
            .ProducesNotFound();
        forecasts.MapPut("/{name}", PutAsync)
            .RequireAuthorization(ApiRoles.Dispatch)
            .WithName("PutForecast")
            .WithSummary("Replace a forecast ({points: [{from, kw}]}: one point per quarter hour, UTC, in order without gaps, at most 7 days; "
                + "pv and wind: available kW, load: consumption kW, both positive)")
            .WithJsonBody<ForecastHttpRequest>()
            .Produces<ForecastView>()
            .ProducesNotFound()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ListAsync(string fleetId, IGrainFactory grains) =>
        Results.Ok(await TransientRetry.RunAsync(() => grains.GetGrain<IFleetForecastGrain>(fleetId).ListAsync()));

    private static async Task<IResult> GetAsync(string fleetId, string name, IGrainFactory grains) =>
        Results.Ok(await TransientRetry.RunAsync(() => grains.GetGrain<IFleetForecastGrain>(fleetId).GetAsync(name)));

    private static async Task<IResult> PutAsync(string fleetId, string name, HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json)
    {
        var (body, problem) = await JsonBody.ReadAsync<ForecastHttpRequest>(request, json.Value.SerializerOptions);
        return problem ?? Results.Ok(await TransientRetry.RunAsync(() => grains.GetGrain<IFleetForecastGrain>(fleetId).PutAsync(name, body!.ToPoints())));
    }
}
