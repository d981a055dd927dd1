using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Vpp.Abstractions.Assets;
using Vpp.Domain.Assets;
using Vpp.Domain.Validation;
using Vpp.Grains.Contracts;
using Vpp.Silo.Security;

namespace Vpp.Silo.Api;

/// <summary>
/// PUT /api/v1/fleets/{fleetId}/assets: registers (or updates) many assets of one fleet in one request, for operators
/// importing a fleet. The whole batch is checked first — one invalid item answers 400 naming <c>[i].field</c> and
/// registers nothing; what only an asset can refuse (its kind would change, or a fleet-scoped key names an asset of a
/// fleet outside its scope) or storage could not take is answered per item.
/// </summary>
public static class AssetBatchEndpoint
{
    /// <summary>Maps the endpoint with its own body limit (Api:MaxAssetBatchBodyBytes), large enough for the largest batch.</summary>
    public static RouteHandlerBuilder MapAssetBatch(this RouteGroupBuilder fleets)
    {
        var limitBytes = ((IEndpointRouteBuilder)fleets).ServiceProvider.GetRequiredService<IOptions<ApiLimitsOptions>>().Value.MaxAssetBatchBodyBytes;
        return fleets.MapPut("/assets", PutAsync)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(limitBytes))
            .RequireAuthorization(ApiRoles.Admin)
            .WithName("PutFleetAssets")
            .WithSummary($"Register or update up to {AssetBatch.MaxSize} assets of the fleet in one request; an invalid item registers nothing")
            .WithJsonBody<AssetSpecRequest[]>()
            .Produces<AssetBatchResponse>()
            .ProducesValidationProblem();
    }

    private static async Task<IResult> PutAsync(string fleetId, HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json)
    {
        var (items, problem) = await JsonBody.ReadAsync<AssetSpecRequest?[]>(request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        if (items!.Length is 0 or > AssetBatch.MaxSize)
        {
            return ApiProblems.Invalid("body", $"must be an array of 1 to {AssetBatch.MaxSize} assets");
        }

        var errors = new FieldErrors();
        var batch = new AssetRegistration[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i] is not { } item)
            {
                errors.Add($"[{i}]", "must be a JSON object");
                continue;
            }

            var itemErrors = new FieldErrors();
            var spec = (item with { FleetId = item.FleetId ?? fleetId }).ToSpec(itemErrors);
            itemErrors.Required("assetId", item.AssetId, "(the asset's id)");
            foreach (var error in itemErrors.Errors)
            {
                errors.Add($"[{i}].{error.Field}", error.Message);
            }

            batch[i] = new AssetRegistration(item.AssetId ?? "", spec);
        }

        if (errors.Any)
        {
            return ApiProblems.Invalid(errors.Errors.Select(e => new Abstractions.Errors.FieldProblem(e.Field, e.Message)));
        }

        // A key scoped to fleets may not take over an asset of a fleet it cannot see (as for one asset's PUT): that
        // item is refused on its own, and only the assets that have a row already are asked.
        var registration = grains.GetGrain<IAssetRegistrationInternal>(0);
        var result = FleetScope.FleetsOf(request.HttpContext.User) is { } scope
            ? await registration.RegisterInScopeAsync(fleetId, batch, [.. scope])
            : await registration.RegisterAsync(fleetId, batch);
        return Results.Ok(AssetBatchResponse.From(result));
    }
}

/// <summary>One item's answer: registered, or refused with the fields at fault; <c>retryable</c> when sending it again may work.</summary>
public sealed record AssetBatchItemResponse(string AssetId, bool Registered, bool Retryable, IDictionary<string, string[]>? Errors);

public sealed record AssetBatchResponse(int RegisteredCount, int RefusedCount, AssetBatchItemResponse[] Results)
{
    public static AssetBatchResponse From(AssetRegistrationResult result) => new(
        result.RegisteredCount,
        result.RefusedCount,
        [.. result.Outcomes.Select(o => new AssetBatchItemResponse(
            o.AssetId, o.Registered, o.Retryable,
            o.Problems.Length == 0 ? null : o.Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray())))]);
}
