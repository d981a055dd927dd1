using System.Globalization;
using System.Text;
using Microsoft.OpenApi;
using Vpp.Abstractions.Errors;
using Vpp.Domain.Assets;
using Vpp.Domain.Settlement;
using Vpp.Silo.Api;
using Vpp.Silo.Security;

namespace Vpp.Silo.Audit;

public sealed record AuditEntryResponse(
    long Id,
    DateTimeOffset AtUtc,
    string Actor,
    string Method,
    string Route,
    string Path,
    IReadOnlyList<string> Entities,
    string? Body,
    bool BodyTruncated,
    int Status);

/// <summary>A page of entries, oldest first; <c>nextAfterId</c> (when set) fetches the next page with <c>?after=</c>.</summary>
public sealed record AuditPageResponse(IReadOnlyList<AuditEntryResponse> Entries, long? NextAfterId);

/// <summary>GET /api/v1/audit for <c>admin</c> keys: JSON, or CSV with <c>Accept: text/csv</c> or <c>?format=csv</c>.</summary>
public static class AuditEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    public const int MaxActorLength = 200;

    private static readonly string[] ParameterNames = ["from", "to", "actor", "entity", "limit", "after", "format"];

    public static RouteHandlerBuilder MapAudit(this RouteGroupBuilder api) =>
        api.MapGet("/audit", GetAsync)
            .RequireAuthorization(ApiRoles.Admin)
            .WithTags("Audit")
            .WithName("GetAudit")
            .WithSummary("The audit trail: every state-changing call with the key's name, the UTC time, route, ids, body (capped) and status")
            .WithQueryParameter("from", JsonSchemaType.String, "first instant (ISO 8601 with offset), inclusive")
            .WithQueryParameter("to", JsonSchemaType.String, "end instant, exclusive")
            .WithQueryParameter("actor", JsonSchemaType.String, "the API key name")
            .WithQueryParameter("entity", JsonSchemaType.String, "an asset, fleet or other id in the call's route")
            .WithQueryParameter("limit", JsonSchemaType.Integer, $"entries per page, 1 to {MaxLimit} (default {DefaultLimit})")
            .WithQueryParameter("after", JsonSchemaType.Integer, "the previous page's nextAfterId")
            .WithQueryParameter("format", JsonSchemaType.String, "json (default) or csv")
            .Produces<AuditPageResponse>()
            .Produces(StatusCodes.Status200OK, contentType: SettlementEndpoints.CsvContentType)
            .ProducesValidationProblem();

    private static async Task<IResult> GetAsync(HttpRequest request, IAuditStore store, CancellationToken cancellationToken)
    {
        var problems = AssetPageQuery.RefuseUnknownParameters(request.Query, ParameterNames);
        var (from, to) = MarketEndpoints.ReadRange(request, problems);
        if (from is { } f && to is { } t && t < f)
        {
            problems.Add(new FieldProblem("to", "must not be before from"));
        }

        var actor = Single(request, "actor", problems);
        if (actor is { Length: 0 or > MaxActorLength })
        {
            problems.Add(new FieldProblem("actor", $"must be 1 to {MaxActorLength} characters"));
        }

        var entity = Single(request, "entity", problems);
        if (entity is not null && EntityId.Problem(entity) is { } entityProblem)
        {
            problems.Add(new FieldProblem("entity", entityProblem));
        }

        var limit = Number(request, "limit", DefaultLimit, 1, MaxLimit, problems);
        var after = Number(request, "after", 0, 0, long.MaxValue, problems);
        var format = Single(request, "format", problems) ?? (SettlementEndpoints.WantsCsv(request) ? "csv" : "json");
        if (format is not ("json" or "csv"))
        {
            problems.Add(new FieldProblem("format", "must be json or csv"));
        }

        if (problems.Count > 0)
        {
            return ApiProblems.Invalid(problems);
        }

        var entries = await store.QueryAsync(new AuditQuery(from, to, actor, entity, after, (int)limit), cancellationToken);
        long? next = entries.Count == limit ? entries[^1].Id : null;
        if (format == "csv")
        {
            return Results.Text(ToCsv(entries), SettlementEndpoints.CsvContentType + "; charset=utf-8");
        }

        return Results.Ok(new AuditPageResponse(
            [.. entries.Select(e => new AuditEntryResponse(e.Id, e.AtUtc, e.Actor, e.Method, e.Route, e.Path, e.Entities, e.Body, e.BodyTruncated, e.Status))],
            next));
    }

    /// <summary>One row per entry; the ids joined by spaces.</summary>
    public static string ToCsv(IEnumerable<AuditEntry> entries)
    {
        var csv = new StringBuilder("id,atUtc,actor,method,route,path,entities,status,bodyTruncated,body\n");
        foreach (var e in entries)
        {
            csv.Append(e.Id.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(e.AtUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)).Append(',')
                .Append(SettlementCsv.Text(e.Actor)).Append(',')
                .Append(e.Method).Append(',')
                .Append(SettlementCsv.Text(e.Route)).Append(',')
                .Append(SettlementCsv.Text(e.Path)).Append(',')
                .Append(SettlementCsv.Text(string.Join(' ', e.Entities))).Append(',')
                .Append(e.Status.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(e.BodyTruncated ? "true" : "false").Append(',')
                .Append(SettlementCsv.Text(e.Body ?? "")).Append('\n');
        }

        return csv.ToString();
    }

    private static string? Single(HttpRequest request, string name, List<FieldProblem> problems)
    {
        if (!request.Query.TryGetValue(name, out var raw))
        {
            return null;
        }

        if (raw.Count != 1)
        {
            problems.Add(new FieldProblem(name, "must be given once"));
            return null;
        }

        return raw.ToString();
    }

    private static long Number(HttpRequest request, string name, long fallback, long min, long max, List<FieldProblem> problems)
    {
        var raw = Single(request, name, problems);
        if (raw is null)
        {
            return fallback;
        }

        if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            problems.Add(new FieldProblem(name, $"must be a whole number from {min} to {max}"));
            return fallback;
        }

        return value;
    }
}
