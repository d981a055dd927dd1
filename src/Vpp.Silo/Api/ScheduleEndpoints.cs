using System.Globalization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Vpp.Abstractions.Schedules;
using Vpp.Silo.Security;

namespace Vpp.Silo.Api;

/// <summary>
/// <c>/api/v1/fleets/{fleetId}/schedule</c>: 15-minute slots the fleet dispatches at their boundaries. PUT and DELETE
/// need the dispatch role (they move the fleet), GET the read role.
/// </summary>
public static class ScheduleEndpoints
{
    public static void MapSchedules(this RouteGroupBuilder api)
    {
        var schedule = api.MapGroup("/fleets/{fleetId}/schedule").AddEndpointFilter(VppApi.ValidateIdAsync("fleetId")).WithTags("Schedules");
        schedule.MapPut("", PutAsync)
            .RequireAuthorization(ApiRoles.Dispatch)
            .WithName("PutSchedule")
            .WithSummary("Store 15-minute slots ({start, slots} in UTC, or {localDate, timeZone, slots} for a whole local day); later slots replace earlier ones with the same start")
            .WithJsonBody<ScheduleHttpRequest>()
            .Produces<ScheduleResponse>()
            .ProducesNotFound();
        schedule.MapGet("", GetAsync)
            .RequireAuthorization(ApiRoles.Read)
            .WithName("GetSchedule")
            .WithSummary("The stored slots overlapping [from, to) (default: the next two days)")
            .WithQueryParameter("from", JsonSchemaType.String, "UTC instant (ISO 8601 with Z or an encoded offset), floored to a quarter hour")
            .WithQueryParameter("to", JsonSchemaType.String, "UTC instant after from, ceiled to a quarter hour (at most 31 days after from)")
            .Produces<ScheduleResponse>()
            .ProducesNotFound();
        schedule.MapDelete("", DeleteAsync)
            .RequireAuthorization(ApiRoles.Dispatch)
            .WithName("DeleteSchedule")
            .WithSummary("Remove the slots overlapping [from, to); removing the slot in force returns the fleet to 0 kW")
            .WithQueryParameter("from", JsonSchemaType.String, "UTC instant (required)")
            .WithQueryParameter("to", JsonSchemaType.String, "UTC instant after from (required)")
            .Produces<ScheduleDeletedResponse>()
            .ProducesNotFound();
    }

    private static async Task<IResult> PutAsync(string fleetId, HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json)
    {
        var (body, problem) = await JsonBody.ReadAsync<ScheduleHttpRequest>(request, json.Value.SerializerOptions);
        return problem ?? Results.Ok(ScheduleResponse.From(
            await TransientRetry.RunAsync(() => grains.GetGrain<IFleetScheduleGrain>(fleetId).SubmitAsync(body!.ToRequest()))));
    }

    private static async Task<IResult> GetAsync(string fleetId, HttpRequest request, IGrainFactory grains)
    {
        var (from, to, problem) = ReadRange(request, required: false);
        return problem ?? Results.Ok(ScheduleResponse.From(
            await TransientRetry.RunAsync(() => grains.GetGrain<IFleetScheduleGrain>(fleetId).GetAsync(from, to))));
    }

    private static async Task<IResult> DeleteAsync(string fleetId, HttpRequest request, IGrainFactory grains)
    {
        var (from, to, problem) = ReadRange(request, required: true);
        if (problem is not null)
        {
            return problem;
        }

        var removed = await TransientRetry.RunAsync(() => grains.GetGrain<IFleetScheduleGrain>(fleetId).DeleteAsync(from, to));
        return Results.Ok(new ScheduleDeletedResponse(fleetId, removed));
    }

    /// <summary>?from=&amp;to= as instants with an offset; the grain checks their order and span.</summary>
    private static (DateTimeOffset? From, DateTimeOffset? To, IResult? Problem) ReadRange(HttpRequest request, bool required)
    {
        var problems = new List<Abstractions.Errors.FieldProblem>();
        var from = ReadInstant(request, "from", required, problems);
        var to = ReadInstant(request, "to", required, problems);
        return problems.Count > 0 ? (null, null, ApiProblems.Invalid(problems)) : (from, to, null);
    }

    private static DateTimeOffset? ReadInstant(HttpRequest request, string name, bool required, List<Abstractions.Errors.FieldProblem> problems)
    {
        if (!request.Query.TryGetValue(name, out var raw))
        {
            if (required)
            {
                problems.Add(new(name, "is required (a UTC instant such as 2026-11-25T12:00:00Z)"));
            }

            return null;
        }

        var text = raw.ToString();
        var time = text.IndexOf('T', StringComparison.Ordinal) is var t and >= 0 ? text[t..] : "";
        var hasOffset = time.EndsWith('Z') || time.EndsWith('z') || time.LastIndexOfAny(['+', '-']) > 0;
        if (raw.Count != 1 || !hasOffset
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            problems.Add(new(name, "must be one ISO 8601 instant with an offset, e.g. 2026-11-25T12:00:00Z (encode a '+' offset as %2B)"));
            return null;
        }

        return value.ToUniversalTime();
    }
}
