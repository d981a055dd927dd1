using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Vpp.Abstractions.Assets;
using Vpp.Silo.Security;

namespace Vpp.Silo.Api;

/// <summary>
/// <c>/api/v1/assets/{assetId}/unavailabilities</c>: windows in which an asset is out of service. Adding and removing
/// them is asset configuration (admin role); listing them needs the read role.
/// </summary>
public static class UnavailabilityEndpoints
{
    public static void MapUnavailabilities(this RouteGroupBuilder api)
    {
        var windows = api.MapGroup("/assets/{assetId}/unavailabilities").AddEndpointFilter(VppApi.ValidateIdAsync("assetId")).WithTags("Assets");
        windows.MapPost("", PostAsync)
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("PostUnavailability")
            .WithSummary("Report a window [from, until) in which the asset is out of service (kind planned or unplanned)")
            .WithJsonBody<UnavailabilityHttpRequest>()
            .Produces<UnavailabilityResponse>(StatusCodes.Status201Created)
            .ProducesNotFound()
            .ProducesProblem(StatusCodes.Status409Conflict);
        windows.MapGet("", GetAsync)
            .RequireAuthorization(ApiRoles.Read)
            .WithName("GetUnavailabilities")
            .WithSummary("The asset's unavailability windows with their ids, by start (ended ones for a week)")
            .Produces<UnavailabilityResponse[]>()
            .ProducesNotFound();
        windows.MapDelete("/{unavailabilityId}", DeleteAsync)
            .AddEndpointFilter(VppApi.ValidateIdAsync("unavailabilityId"))
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("DeleteUnavailability")
            .WithSummary("Remove a window; an asset in the middle of it returns to its previous status")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesNotFound();
    }

    private static async Task<IResult> PostAsync(string assetId, HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json)
    {
        var (body, problem) = await JsonBody.ReadAsync<UnavailabilityHttpRequest>(request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        var window = await TransientRetry.RunAsync(() => grains.GetGrain<IAssetAvailabilityGrain>(assetId).AddUnavailabilityAsync(body!.ToRequest()));
        return Results.Created($"/api/v1/assets/{assetId}/unavailabilities/{window.Id}", UnavailabilityResponse.Of(window));
    }

    private static async Task<IResult> GetAsync(string assetId, IGrainFactory grains) =>
        Results.Ok((await TransientRetry.RunAsync(() => grains.GetGrain<IAssetAvailabilityGrain>(assetId).GetUnavailabilitiesAsync()))
            .Select(UnavailabilityResponse.Of).ToArray());

    private static async Task<IResult> DeleteAsync(string assetId, string unavailabilityId, IGrainFactory grains)
    {
        await TransientRetry.RunAsync(() => grains.GetGrain<IAssetAvailabilityGrain>(assetId).RemoveUnavailabilityAsync(unavailabilityId));
        return Results.NoContent();
    }
}
