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
    IReadOnlyList<CompensationResponse> Compensations);

public sealed record SettlementResponse(string FleetId, IReadOnlyList<SlotSettlementResponse> Slots)
{
    public static SettlementResponse From(SettlementView v) => new(v.FleetId, [.. v.Slots.Select(s => new SlotSettlementResponse(
        s.Start, s.End, s.RequestedKwh, s.DeliveredKwh, s.DeviationKwh, s.DeviationPercent, s.Complete, s.AssetsWithGaps,
        [.. s.Assets.Select(a => new AssetSettlementResponse(
            a.AssetId, a.RequestedKwh, a.PlannedKwh, a.DeliveredKwh, a.DeviationKwh, a.UnknownTime.TotalSeconds, a.CoveragePercent, a.SharePercent))],
        [.. s.Compensations.Select(c => new CompensationResponse(c.CompensatingAssetId, c.ForAssetId, c.Kwh))]))]);
}

/// <summary>GET /api/v1/fleets/{fleetId}/settlement (JSON, or CSV with Accept: text/csv) and /settlement.csv.</summary>
public static class SettlementEndpoints
{
    public const string CsvContentType = "text/csv";

    public static void MapSettlement(this RouteGroupBuilder fleets)
    {
        fleets.MapGet("/settlement", (string fleetId, HttpRequest request, IGrainFactory grains) =>
                GetAsync(fleetId, request, grains, csv: WantsCsv(request)))
            .RequireAuthorization(ApiRoles.Read)
            .WithName("GetFleetSettlement")
            .WithSummary("Per 15-minute slot: requested and delivered energy, deviation (null while a meter has a gap), per-asset shares and compensations")
            .WithQueryParameter("from", JsonSchemaType.String, "first instant (ISO 8601 with offset; floored to the quarter hour)")
            .WithQueryParameter("to", JsonSchemaType.String, "end instant (ceiled to the quarter hour)")
            .Produces<SettlementResponse>()
            .Produces(StatusCodes.Status200OK, contentType: CsvContentType)
            .ProducesNotFound();
        fleets.MapGet("/settlement.csv", (string fleetId, HttpRequest request, IGrainFactory grains) => GetAsync(fleetId, request, grains, csv: true))
            .RequireAuthorization(ApiRoles.Read)
            .WithName("GetFleetSettlementCsv")
            .WithSummary("The settlement as CSV: a fleet row per slot, then a row per asset; empty cells for unknown values")
            .WithQueryParameter("from", JsonSchemaType.String, "first instant (ISO 8601 with offset)")
            .WithQueryParameter("to", JsonSchemaType.String, "end instant")
            .Produces(StatusCodes.Status200OK, contentType: CsvContentType)
            .ProducesNotFound();
    }

    private static bool WantsCsv(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(CsvContentType, StringComparison.OrdinalIgnoreCase));

    private static async Task<IResult> GetAsync(string fleetId, HttpRequest request, IGrainFactory grains, bool csv)
    {
        var problems = new List<FieldProblem>();
        var (from, to) = MarketEndpoints.ReadRange(request, problems);
        if (problems.Count > 0)
        {
            return ApiProblems.Invalid(problems);
        }

        var view = await TransientRetry.RunAsync(() => grains.GetGrain<IFleetGrain>(fleetId).GetSettlementAsync(from, to));
        return csv
            ? Results.Text(SettlementCsv.ToCsv(view.Slots.Select(ToDomain)), CsvContentType + "; charset=utf-8")
            : Results.Ok(SettlementResponse.From(view));
    }

    private static SlotSettlement ToDomain(SlotSettlementView s) => new(
        s.Start, s.RequestedKwh, s.DeliveredKwh,
        [.. s.Assets.Select(a => new AssetSlotSettlement(a.AssetId, a.RequestedKwh, a.PlannedKwh, a.DeliveredKwh, a.UnknownTime, a.CoveragePercent, a.SharePercent))],
        [.. s.Compensations.Select(c => new Compensation(c.CompensatingAssetId, c.ForAssetId, c.Kwh))]);
}
