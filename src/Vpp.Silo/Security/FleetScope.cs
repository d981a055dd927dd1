using System.Security.Claims;
using Vpp.Abstractions.Assets;
using Vpp.Domain.Assets;
using Vpp.Silo.Api;

namespace Vpp.Silo.Security;

/// <summary>
/// Keys scoped to fleets (Auth:ApiKeys[].Fleets). Outside its fleets a scoped key meets 404, the same answer an id
/// that does not exist gets, so a leaked key cannot even learn which fleets and assets exist. Endpoints that span
/// fleets refuse it (403) unless they are marked <see cref="Aware"/> and narrow their answer themselves.
/// </summary>
public static class FleetScope
{
    /// <summary>Endpoint metadata: the endpoint applies the caller's scope itself (fleet list, telemetry batch, /me).</summary>
    public static readonly object Aware = new FleetScopeAware();

    /// <summary>The fleets the caller may use, or null for every fleet. A trader's key uses only the fleets it lists (none by default).</summary>
    public static IReadOnlySet<string>? FleetsOf(ClaimsPrincipal user)
    {
        var fleets = user.FindAll(ApiKeyClaims.Fleet).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return fleets.Count == 0 && !user.HasClaim(c => c.Type == ApiKeyClaims.Trader) ? null : fleets;
    }

    public static bool Allows(ClaimsPrincipal user, string fleetId) => FleetsOf(user) is not { } fleets || fleets.Contains(fleetId);

    /// <summary>
    /// The API group's filter: a scoped key reaches a fleet's routes only for its fleets, and an asset's routes only
    /// for assets of its fleets (registering a new asset is checked against the body's fleet by the endpoint).
    /// </summary>
    public static async ValueTask<object?> EnforceAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (FleetsOf(http.User) is not { } fleets)
        {
            return await next(context);
        }

        if (http.GetRouteValue("fleetId") is string fleetId)
        {
            // A malformed id is left to the endpoint's own 400; it addresses no grain here.
            return EntityId.IsValid(fleetId) && !fleets.Contains(fleetId) ? ApiProblems.NotFound("fleet", fleetId) : await next(context);
        }

        if (http.GetRouteValue("assetId") is string assetId)
        {
            if (!EntityId.IsValid(assetId))
            {
                return await next(context);
            }

            var grains = http.RequestServices.GetRequiredService<IGrainFactory>();
            var view = await TransientRetry.RunAsync(() => grains.GetGrain<IAssetGrain>(assetId).GetAsync());
            var registering = view is null && HttpMethods.IsPut(http.Request.Method) && http.GetRouteValue("unavailabilityId") is null
                && http.Request.Path.Value?.EndsWith("/assets/" + assetId, StringComparison.Ordinal) == true;
            return registering || (view is not null && fleets.Contains(view.Spec.FleetId))
                ? await next(context)
                : ApiProblems.NotFound("asset", assetId);
        }

        return http.GetEndpoint()?.Metadata.GetMetadata<FleetScopeAware>() is not null
            ? await next(context)
            : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The API key is scoped to fleets",
                detail: "this request concerns every fleet; it needs a key that is not limited to some fleets (Auth:ApiKeys[].Fleets)");
    }

    private sealed class FleetScopeAware;
}
