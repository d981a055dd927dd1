using Vpp.Domain.Schedules;

namespace Vpp.Domain.Market;

public enum BidDirection
{
    /// <summary>The same power both ways (FCR).</summary>
    Symmetric,

    /// <summary>More export (or less consumption).</summary>
    Up,

    /// <summary>Less export (or more consumption).</summary>
    Down,
}

/// <summary>
/// A bid for one product block: what the pool can guarantee over the whole block and the quantity to offer,
/// or, when the pool is too small, zero and the reason.
/// </summary>
public sealed record Bid(
    string Product,
    DateTimeOffset Start,
    DateTimeOffset End,
    BidDirection Direction,
    double PooledKw,
    double QuantityKw,
    string? Problem)
{
    public static readonly IReadOnlyList<string> DirectionNames = ["symmetric", "up", "down"];
}

/// <summary>
/// Turns pooled flexibility into bids. A block's capacity is the smallest over its quarter hours (a bid holds for the
/// whole block), computed with the product's energy duration; a symmetric product offers the smaller direction.
/// Many small assets pooled reach the minimum bid size that none of them reaches alone — the point of a VPP.
/// </summary>
public static class Bids
{
    public static IReadOnlyList<Bid> For(
        MarketProduct product, IReadOnlyList<FlexAsset> assets, SlotRange range, Commitments? commitments = null) =>
        Covering(product, range) is { } covering
            ? For(product, range, Flexibility.Of(assets, covering, product.EnergyDuration, commitments))
            : [];

    /// <summary>
    /// The whole blocks the range touches (a bid covers whole blocks), as the range to ask flexibility for; null when
    /// it touches none.
    /// </summary>
    public static SlotRange? Covering(MarketProduct product, SlotRange range)
    {
        var blocks = Blocks(product, range, Zone(product)).ToList();
        return blocks.Count == 0 ? null : new SlotRange(blocks[0][0], blocks[^1][^1] + QuarterHour.Length);
    }

    /// <summary>
    /// Bids from flexibility computed for the product's energy duration over (at least) <see cref="Covering"/> the range.
    /// <para>
    /// A symmetric (FCR) bid never offers more than <paramref name="fcrLimit"/> leaves free in its block: the band the
    /// fleet's contract check accepts (<c>fcr.maxBandKw</c>, batteries counted with the reserve they can sustain for
    /// the activation time) less the awards already held there, so an accepted bid is always a contract the fleet takes.
    /// </para>
    /// </summary>
    public static IReadOnlyList<Bid> For(
        MarketProduct product, SlotRange range, IReadOnlyList<FlexibilitySlot> coveringFlexibility, FcrBandLimit? fcrLimit = null)
    {
        var flexibility = coveringFlexibility.ToDictionary(s => s.Start);
        var bids = new List<Bid>();
        foreach (var block in Blocks(product, range, Zone(product)))
        {
            var upKw = block.Min(s => flexibility[s].UpKw);
            var downKw = block.Min(s => flexibility[s].DownKw);
            var (start, end) = (block[0], block[^1] + QuarterHour.Length);
            if (product.Symmetric)
            {
                var pooledKw = Math.Min(upKw, downKw);
                bids.Add(Make(product, start, end, BidDirection.Symmetric, fcrLimit is null ? pooledKw : Math.Min(pooledKw, fcrLimit.FreeKw(start, end))));
            }
            else
            {
                bids.Add(Make(product, start, end, BidDirection.Up, upKw));
                bids.Add(Make(product, start, end, BidDirection.Down, downKw));
            }
        }

        return bids;
    }

    private static TimeZoneInfo Zone(MarketProduct product) => TimeZoneInfo.FindSystemTimeZoneById(product.TimeZoneId);

    /// <summary>The product blocks overlapping the range, as lists of their quarter-hour starts (UTC).</summary>
    public static IEnumerable<IReadOnlyList<DateTimeOffset>> Blocks(MarketProduct product, SlotRange range, TimeZoneInfo zone)
    {
        var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(range.From, zone).DateTime);
        var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(range.To, zone).DateTime);
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            // On a DST day the block holding the change is an hour shorter or longer, as the market defines it.
            foreach (var block in ProductBlocks.SlotsByBlock(day, zone, product.BlockLength))
            {
                var starts = block.Select(s => s.StartUtc).ToList();
                if (starts[^1] >= range.From && starts[0] < range.To)
                {
                    yield return starts;
                }
            }
        }
    }

    private static Bid Make(MarketProduct product, DateTimeOffset start, DateTimeOffset end, BidDirection direction, double pooledKw)
    {
        var quantityKw = product.RoundDown(pooledKw);
        var problem = quantityKw > 0
            ? null
            : $"the pool can guarantee {pooledKw:0.###} kW {Bid.DirectionNames[(int)direction]}, below the minimum bid of {product.MinBidKw:0.###} kW "
              + $"for {product.Name} (short by {product.MinBidKw - pooledKw:0.###} kW)";
        return new Bid(product.Name, start, end, direction, pooledKw, quantityKw, problem);
    }
}

/// <summary>The FCR band the fleet's contract check accepts (<see cref="MaxBandKw"/>) and the awards it already holds.</summary>
public sealed record FcrBandLimit(double MaxBandKw, GridServices.FcrAwardBook Awards)
{
    /// <summary>What is left to offer over [from, to): the band less the largest award sum held in that period.</summary>
    public double FreeKw(DateTimeOffset from, DateTimeOffset to) => Math.Max(0, MaxBandKw - Awards.MaxKw(from, to));
}
