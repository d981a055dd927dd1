using System.Security.Claims;
using Microsoft.OpenApi;
using Vpp.Grains.Contracts;
using Vpp.Abstractions.Fleets;
using Vpp.Silo.Security;

namespace Vpp.Silo.Api;

/// <summary>
/// What the operator console reads beyond the core API: the caller's roles, the list of fleets, and a fleet's
/// assets one page at a time (server-side filter, sort and paging, for fleets of 100,000 assets).
/// </summary>
public static class ConsoleEndpoints
{
    public static RouteGroupBuilder MapConsoleApi(this RouteGroupBuilder api)
    {
        // The console is read access first: a key that cannot read has nothing to see, so asking needs "read" too.
        api.MapGet("/me", GetMe)
            .WithMetadata(FleetScope.Aware)
            .RequireAuthorization(ApiRoles.Read)
            .WithTags("Console")
            .WithName("GetMe")
            .WithSummary("The calling key's name, roles, fleets (absent: every fleet) and trader (absent: the operator's key), so a page can offer only what the key may do")
            .Produces<MeResponse>()
            .ProducesValidationProblem();
        api.MapGet("/fleets", ListFleetsAsync)
            .WithMetadata(FleetScope.Aware)
            .RequireAuthorization(ApiRoles.Read)
            .WithTags("Fleets")
            .WithName("ListFleets")
            .WithSummary("Every fleet that ever had an asset (of a scoped key: its fleets), as GET /fleets/{fleetId} shows it, ordered by id")
            .Produces<FleetResponse[]>()
            .ProducesValidationProblem();
        api.MapGet("/fleets/{fleetId}/assets", ListAssetsAsync)
            .AddEndpointFilter(VppApi.ValidateIdAsync("fleetId"))
            .RequireAuthorization(ApiRoles.Read)
            .WithTags("Fleets")
            .WithName("ListFleetAssets")
            .WithSummary("One page of the fleet's assets, filtered and sorted on the server")
            .WithQueryParameter("page", JsonSchemaType.Integer, "page number from 1 (default 1)")
            .WithQueryParameter("pageSize", JsonSchemaType.Integer, $"rows per page, 1 to {AssetPageQuery.MaxPageSize} (default {AssetPageQuery.DefaultPageSize})")
            .WithQueryParameter("sort", JsonSchemaType.String, string.Join(", ", AssetPageQuery.SortNames) + " (default assetId; ties by assetId)")
            .WithQueryParameter("desc", JsonSchemaType.Boolean, "true sorts descending (default false)")
            .WithQueryParameter("kind", JsonSchemaType.String, "only assets of this kind: battery, solar, wind, flexibleLoad, chp")
            .WithQueryParameter("status", JsonSchemaType.String, "only assets with this status: online, offline, maintenance")
            .WithQueryParameter("q", JsonSchemaType.String, $"only assets whose id contains this text, ignoring case (at most {AssetPageQuery.MaxSearchLength} characters)")
            .Produces<AssetPageResponse>()
            .ProducesNotFound();
        return api;
    }

    private static IResult GetMe(ClaimsPrincipal user, HttpRequest request) =>
        NoParameters(request) ?? Results.Ok(new MeResponse(
            user.Identity?.Name ?? "", [.. ApiRoles.All.Where(user.IsInRole)], FleetScope.FleetsOf(user)?.Order(StringComparer.Ordinal).ToArray(),
            VirtualBatteryEndpoints.TraderOf(user)));

    private static async Task<IResult> ListFleetsAsync(IGrainFactory grains, HttpRequest request)
    {
        if (NoParameters(request) is { } refusal)
        {
            return refusal;
        }

        var scope = FleetScope.FleetsOf(request.HttpContext.User);
        var ids = (await TransientRetry.RunAsync(() => grains.GetGrain<IFleetDirectoryGrain>(IFleetDirectoryGrain.Key).GetFleetIdsAsync()))
            .Where(id => scope is null || scope.Contains(id));
        var views = await Task.WhenAll(ids.Select(id => TransientRetry.RunAsync(() => grains.GetGrain<IFleetGrain>(id).GetAsync())));
        return Results.Ok(views.OfType<FleetView>().Select(FleetResponse.From).ToArray());
    }

    private static IResult? NoParameters(HttpRequest request) =>
        AssetPageQuery.RefuseUnknownParameters(request.Query, []) is { Count: > 0 } problems ? ApiProblems.Invalid(problems) : null;

    private static async Task<IResult> ListAssetsAsync(string fleetId, HttpRequest request, IGrainFactory grains)
    {
        var (query, problems) = AssetPageQuery.Parse(request.Query);
        if (query is null)
        {
            return ApiProblems.Invalid(problems);
        }

        return await TransientRetry.RunAsync(() => FleetAssetPages.LoadAsync(grains, fleetId, query)) is { } page
            ? Results.Ok(page)
            : ApiProblems.NotFound("fleet", fleetId);
    }
}
