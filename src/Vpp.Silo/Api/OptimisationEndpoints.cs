using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Vpp.Abstractions.Optimisation;
using Vpp.Silo.Security;

namespace Vpp.Silo.Api;

public sealed record PriceHttpPoint(DateTimeOffset? From, double? EurPerMwh);

/// <summary>POST /fleets/{fleetId}/optimise as sent; every field optional so validation can name what is missing.</summary>
public sealed record OptimiseHttpRequest(DateTimeOffset? From, DateTimeOffset? To, PriceHttpPoint?[]? Prices, string? Objective, double? EndSocPercent)
{
    public OptimiseRequest ToRequest() =>
        new(From, To, Prices?.Select(p => p is null ? null : new PricePoint(p.From, p.EurPerMwh)).ToArray(), Objective, EndSocPercent);
}

/// <summary>
/// <c>POST /api/v1/fleets/{fleetId}/optimise</c>: a schedule proposed from prices. Proposing needs the read role;
/// <c>?apply=true</c> also stores it as the fleet's schedule and so needs the dispatch role, like PUT schedule.
/// </summary>
public static class OptimisationEndpoints
{
    public static void MapOptimisation(this RouteGroupBuilder fleets)
    {
        fleets.MapPost("/optimise", OptimiseAsync)
            .RequireAuthorization(ApiRoles.Read)
            .WithTags("Optimisation")
            .WithName("OptimiseFleet")
            .WithSummary("Propose the fleet's 15-minute schedule from prices ({from, to, prices: [{from, eurPerMwh}], objective?, endSocPercent?}, "
                + "UTC quarter hours, at most 2 days; objective \"arbitrage\" (default: the most profit) or \"selfConsumption\" (the least energy "
                + "imported, then the most profit): per slot the fleet target, each group's power and SoC, revenue and the binding limits")
            .WithQueryParameter("apply", JsonSchemaType.Boolean, "true: also store the proposal as the fleet's schedule (needs the dispatch role)")
            .WithJsonBody<OptimiseHttpRequest>()
            .Produces<OptimisationProposal>()
            .ProducesNotFound()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> OptimiseAsync(string fleetId, HttpContext context, IGrainFactory grains, IOptions<JsonOptions> json)
    {
        var apply = false;
        if (context.Request.Query.TryGetValue("apply", out var raw) && (raw.Count != 1 || !bool.TryParse(raw.ToString(), out apply)))
        {
            return ApiProblems.Invalid("apply", "must be true or false");
        }

        if (apply && !context.User.IsInRole(ApiRoles.Dispatch))
        {
            return ApiProblems.Forbidden([ApiRoles.Dispatch]);
        }

        var (body, problem) = await JsonBody.ReadAsync<OptimiseHttpRequest>(context.Request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        // Not retried: a solve is long and CPU-bound; a transient failure is for the caller to judge.
        var proposal = await grains.GetGrain<IScheduleOptimiserGrain>(0).OptimiseAsync(fleetId, body!.ToRequest(), apply, context.RequestAborted);
        return Results.Ok(proposal);
    }
}
