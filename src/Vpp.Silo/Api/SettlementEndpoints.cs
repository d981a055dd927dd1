using System.Text.Json.Serialization;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Settlement;
using Vpp.Silo.Security;

namespace Vpp.Silo.Api;

public sealed record AssetSettlementResponse(
    string AssetId,
    double RequestedKwh,
    double PlannedKwh,
    double DeliveredKwh,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? DeviationKwh,
    double UnknownSeconds,
    double CoveragePercent,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? SharePercent);

public sealed record CompensationResponse(string CompensatingAssetId, string ForAssetId, double Kwh);

/// <summary>One slot on the wire; unknown deviations are written as null, never left out or zero.</summary>
public sealed record SlotSettlementResponse(
    DateTimeOffset Start,
    DateTimeOffset End,
    double RequestedKwh,
    double DeliveredKwh,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? DeviationKwh,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? DeviationPercent,
    bool Complete,
    IReadOnlyList<string> AssetsWithGaps,
    IReadOnlyList<AssetSettlementResponse> Assets,
    IReadOnlyList<CompensationResponse> Compensations,
    int AssetCount,
    int AssetsWithGapsCount,
    double SocManagementKwh);

public sealed record SettlementResponse(string FleetId, IReadOnlyList<SlotSettlementResponse> Slots)
{
    public static SettlementResponse From(SettlementView v) => new(v.FleetId, [.. v.Slots.Select(s => new SlotSettlementResponse(
        s.Start, s.End, s.RequestedKwh, s.DeliveredKwh, s.DeviationKwh, s.DeviationPercent, s.Complete, s.AssetsWithGaps,
        [.. s.Assets.Select(a => new AssetSettlementResponse(
            a.AssetId, a.RequestedKwh, a.PlannedKwh, a.DeliveredKwh, a.DeviationKwh, a.UnknownTime.TotalSeconds, a.CoveragePercent, a.SharePercent))],
        [.. s.Compensations.Select(c => new CompensationResponse(c.CompensatingAssetId, c.ForAssetId, c.Kwh))],
        s.AssetCount, s.AssetsWithGapsCount, s.SocManagementKwh))]);
}

/// <summary>GET /api/v1/fleets/{fleetId}/settlement (JSON, or CSV with Accept: text/csv) and /settlement.csv.</summary>
public static class SettlementEndpoints
{
    public const string CsvContentType = "text/csv";

    private static readonly SettlementLimiter Limiter = new();

    public static void MapSettlement(this RouteGroupBuilder fleets)
    {
        fleets.MapGet("/settlement", (string fleetId, HttpContext http, IGrainFactory grains, IConfiguration config) =>
                GetAsync(fleetId, http, grains, config, csv: WantsCsv(http.Request)))
            .RequireAuthorization(ApiRoles.Read)
            .WithName("GetFleetSettlement")
            .WithSummary("Per 15-minute slot: requested and delivered energy, deviation (null while a meter has a gap), per-asset shares and compensations")
            .WithQueryParameter("from", JsonSchemaType.String, "first instant (ISO 8601 with offset; floored to the quarter hour)")
            .WithQueryParameter("to", JsonSchemaType.String, "end instant (ceiled to the quarter hour)")
            .WithQueryParameter("assets", JsonSchemaType.String, AssetsDescription)
            .Produces<SettlementResponse>()
            .Produces(StatusCodes.Status200OK, contentType: CsvContentType)
            .ProducesNotFound()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        fleets.MapGet("/settlement.csv", (string fleetId, HttpContext http, IGrainFactory grains, IConfiguration config) =>
                GetAsync(fleetId, http, grains, config, csv: true))
            .RequireAuthorization(ApiRoles.Read)
            .WithName("GetFleetSettlementCsv")
            .WithSummary("The settlement as CSV: a fleet row per slot, then a row per asset; empty cells for unknown values")
            .WithQueryParameter("from", JsonSchemaType.String, "first instant (ISO 8601 with offset)")
            .WithQueryParameter("to", JsonSchemaType.String, "end instant")
            .WithQueryParameter("assets", JsonSchemaType.String, AssetsDescription)
            .Produces(StatusCodes.Status200OK, contentType: CsvContentType)
            .ProducesNotFound()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    private const string AssetsDescription =
        "all (default): every asset per slot, with compensations (limited to Vpp:Market:MaxSettlementAssetSlots asset rows); "
        + "none: the fleet figures only, summed in the partitions — for large fleets and long ranges";

    /// <summary>The client asked for CSV in its Accept header.</summary>
    public static bool WantsCsv(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(CsvContentType, StringComparison.OrdinalIgnoreCase));

    private static async Task<IResult> GetAsync(string fleetId, HttpContext http, IGrainFactory grains, IConfiguration config, bool csv)
    {
        var request = http.Request;
        var problems = new List<FieldProblem>();
        var (from, to) = MarketEndpoints.ReadRange(request, problems);
        var assets = request.Query.TryGetValue("assets", out var raw) ? raw.ToString() : "all";
        if (assets is not ("all" or "none"))
        {
            problems.Add(new FieldProblem("assets", "must be one of: all, none"));
        }

        if (problems.Count > 0)
        {
            return ApiProblems.Invalid(problems);
        }

        var max = config.GetValue(SettlementLimiter.ConfigKey, SettlementLimiter.DefaultMaxConcurrent);
        using var slot = Limiter.TryEnter(http.User.Identity?.Name ?? "", fleetId, max);
        if (slot is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many settlements at once",
                detail: $"this API key already has {max} settlement(s) of fleet '{fleetId}' running; retry when one has answered",
                extensions: new Dictionary<string, object?> { ["maxConcurrent"] = max });
        }

        // Computed away from the fleet grain: a large settlement never holds up its dispatch or FCR.
        var query = grains.GetGrain<ISettlementQueryGrain>(fleetId);
        if (assets == "none")
        {
            var totals = await TransientRetry.RunAsync(() => query.GetSettlementTotalsAsync(from, to));
            return csv
                ? Results.Text(SettlementCsv.ToCsv(totals.Slots.Select(s => new SlotTotals(s.Start, s.RequestedKwh, s.DeliveredKwh, s.AssetCount, s.AssetsWithGapsCount))), CsvContentType + "; charset=utf-8")
                : Results.Ok(SettlementResponse.From(totals));
        }

        var view = await TransientRetry.RunAsync(() => query.GetSettlementAsync(from, to));
        return csv
            ? Results.Stream(body => WriteCsvAsync(body, view), CsvContentType + "; charset=utf-8")
            : Results.Ok(SettlementResponse.From(view));
    }

    /// <summary>Streams the CSV a slot at a time (up to a million asset rows): never the whole text in memory at once.</summary>
    private static async Task WriteCsvAsync(Stream body, SettlementView view)
    {
        await using var writer = new StreamWriter(body, new System.Text.UTF8Encoding(false), bufferSize: 64 * 1024) { NewLine = "\n" };
        await writer.WriteLineAsync(SettlementCsv.Header);
        using var slot = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        foreach (var settled in view.Slots)
        {
            slot.GetStringBuilder().Clear();
            SettlementCsv.WriteSlot(slot, ToDomain(settled));
            await writer.WriteAsync(slot.GetStringBuilder());
        }

        await writer.FlushAsync();
    }

    private static SlotSettlement ToDomain(SlotSettlementView s) => new(
        s.Start, s.RequestedKwh, s.DeliveredKwh,
        [.. s.Assets.Select(a => new AssetSlotSettlement(a.AssetId, a.RequestedKwh, a.PlannedKwh, a.DeliveredKwh, a.UnknownTime, a.CoveragePercent, a.SharePercent))],
        [.. s.Compensations.Select(c => new Compensation(c.CompensatingAssetId, c.ForAssetId, c.Kwh))]);
}
