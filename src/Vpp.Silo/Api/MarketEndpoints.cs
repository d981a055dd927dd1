using System.Globalization;
using Microsoft.OpenApi;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Silo.Security;

namespace Vpp.Silo.Api;

public sealed record FlexibilitySlotResponse(
    DateTimeOffset Start, DateTimeOffset End, double UpKw, double DownKw, double UpKwh, double DownKwh, int AssetsCounted, int AssetsNotCounted);

public sealed record FlexibilityResponse(
    string FleetId, double ProductDurationMinutes, int ScheduledSlots, double FcrReserveKw, IReadOnlyList<FlexibilitySlotResponse> Slots)
{
    public static FlexibilityResponse From(FlexibilityView v) => new(
        v.FleetId, v.ProductDuration.TotalMinutes, v.ScheduledSlots, v.FcrReserveKw,
        [.. v.Slots.Select(s => new FlexibilitySlotResponse(s.Start, s.End, s.UpKw, s.DownKw, s.UpKwh, s.DownKwh, s.AssetsCounted, s.AssetsNotCounted))]);
}

public sealed record BidResponse(DateTimeOffset Start, DateTimeOffset End, string Direction, double PooledKw, double QuantityKw, string? Problem);

public sealed record BidsResponse(string FleetId, string Product, double MinBidKw, double IncrementKw, IReadOnlyList<BidResponse> Bids)
{
    public static BidsResponse From(BidsView v) => new(
        v.FleetId, v.Product, v.MinBidKw, v.IncrementKw,
        [.. v.Bids.Select(b => new BidResponse(b.Start, b.End, b.Direction, b.PooledKw, b.QuantityKw, b.Problem))]);
}

/// <summary>GET /api/v1/fleets/{fleetId}/flexibility and /bids: what the pool can offer, and the bids it makes.</summary>
public static class MarketEndpoints
{
    public const int DefaultDurationMinutes = 15;

    public static void MapMarket(this RouteGroupBuilder fleets)
    {
        fleets.MapGet("/flexibility", GetFlexibilityAsync)
            .RequireAuthorization(ApiRoles.Read)
            .WithName("GetFleetFlexibility")
            .WithSummary("Per 15-minute slot: up and down power (kW) and energy (kWh) the fleet can guarantee, net of what is committed")
            .WithQueryParameter("from", JsonSchemaType.String, "first instant (ISO 8601 with offset; floored to the quarter hour)")
            .WithQueryParameter("to", JsonSchemaType.String, "end instant (ceiled to the quarter hour; at most Vpp:Market:MaxQuerySlots after from)")
            .WithQueryParameter("durationMinutes", JsonSchemaType.Integer, $"how long the offered power must be held, 15 to 1440 (default {DefaultDurationMinutes})")
            .Produces<FlexibilityResponse>()
            .ProducesNotFound();
        fleets.MapGet("/bids", GetBidsAsync)
            .RequireAuthorization(ApiRoles.Read)
            .WithName("GetFleetBids")
            .WithSummary("Bid quantities per product block: pooled flexibility rounded down to the market's minimum size and increment")
            .WithQueryParameter("product", JsonSchemaType.String, "fcr, afrr or intraday")
            .WithQueryParameter("from", JsonSchemaType.String, "first instant (ISO 8601 with offset)")
            .WithQueryParameter("to", JsonSchemaType.String, "end instant; every product block the range touches is bid whole")
            .Produces<BidsResponse>()
            .ProducesNotFound();
    }

    private static async Task<IResult> GetFlexibilityAsync(string fleetId, HttpRequest request, IGrainFactory grains)
    {
        var problems = new List<FieldProblem>();
        var (from, to) = ReadRange(request, problems);
        var durationMinutes = DefaultDurationMinutes;
        if (request.Query.TryGetValue("durationMinutes", out var raw)
            && (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out durationMinutes) || durationMinutes is < 15 or > 1440))
        {
            problems.Add(new FieldProblem("durationMinutes", "must be a whole number of minutes from 15 to 1440"));
        }

        if (problems.Count > 0)
        {
            return ApiProblems.Invalid(problems);
        }

        var view = await TransientRetry.RunAsync(
            () => grains.GetGrain<IFleetQueryGrain>(fleetId).GetFlexibilityAsync(from, to, TimeSpan.FromMinutes(durationMinutes)));
        return Results.Ok(FlexibilityResponse.From(view));
    }

    private static async Task<IResult> GetBidsAsync(string fleetId, HttpRequest request, IGrainFactory grains)
    {
        var problems = new List<FieldProblem>();
        var (from, to) = ReadRange(request, problems);
        if (problems.Count > 0)
        {
            return ApiProblems.Invalid(problems);
        }

        var product = request.Query.TryGetValue("product", out var raw) ? raw.ToString() : null;
        var view = await TransientRetry.RunAsync(() => grains.GetGrain<IFleetQueryGrain>(fleetId).GetBidsAsync(product, from, to));
        return Results.Ok(BidsResponse.From(view));
    }

    /// <summary>
    /// Reads ?from=&amp;to= as instants with an offset; a missing one is left null for the grain to name, one that is
    /// present but unreadable is a problem here.
    /// </summary>
    public static (DateTimeOffset? From, DateTimeOffset? To) ReadRange(HttpRequest request, List<FieldProblem> problems) =>
        (ReadInstant(request, "from", problems), ReadInstant(request, "to", problems));

    private static DateTimeOffset? ReadInstant(HttpRequest request, string name, List<FieldProblem> problems)
    {
        if (!request.Query.TryGetValue(name, out var raw))
        {
            return null;
        }

        if (raw.Count != 1 || !UtcInstantConverter.TryParse(raw.ToString(), out var instant))
        {
            problems.Add(new FieldProblem(name, "must be one ISO 8601 instant with an offset, e.g. 2026-11-25T12:00:00Z"));
            return null;
        }

        return instant;
    }
}
