using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vpp.Domain.Availability;
using Vpp.Domain.Market;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;
using static Vpp.Domain.Tests.Market.MarketCases;

namespace Vpp.Domain.Tests.Market;

public sealed class BidsTests
{
    private static readonly DateTimeOffset T = BerlinMidnight;
    private static readonly SlotRange FirstBlock = new(T, T.AddHours(4));

    /// <summary>40 home batteries of ±30 kW each: 1.2 MW together, 3 % of the minimum FCR bid each.</summary>
    private static FlexAsset[] HomeBatteries() => Enumerable.Range(0, 40).Select(i => Symmetric($"home-{i}", 30)).ToArray();

    [Fact]
    public void Small_assets_that_each_miss_the_minimum_bid_reach_it_together()
    {
        var homes = HomeBatteries();
        foreach (var home in homes)
        {
            var alone = Assert.Single(Bids.For(MarketProduct.Fcr, [home], FirstBlock));
            Assert.Equal(0, alone.QuantityKw);
            Assert.Contains("below the minimum bid of 1000 kW", alone.Problem);
            Assert.Contains("short by 970 kW", alone.Problem);
        }

        var pooled = Assert.Single(Bids.For(MarketProduct.Fcr, homes, FirstBlock));
        Assert.Equal(("fcr", T, T.AddHours(4), BidDirection.Symmetric), (pooled.Product, pooled.Start, pooled.End, pooled.Direction));
        Assert.Equal(1200, pooled.PooledKw, 9);
        Assert.Equal(1000, pooled.QuantityKw);
        Assert.Null(pooled.Problem);
    }

    [Fact]
    public void Bid_sizes_round_down_to_the_minimum_plus_whole_increments()
    {
        Assert.Equal(0, MarketProduct.Fcr.RoundDown(999.9));
        Assert.Equal(1000, MarketProduct.Fcr.RoundDown(1000));
        Assert.Equal(2000, MarketProduct.Fcr.RoundDown(2999.9));
        Assert.Equal(3000, MarketProduct.Fcr.RoundDown(2999.9999999));
        Assert.Equal(1200, MarketProduct.Intraday.RoundDown(1234), 9);
        Assert.Equal(0, MarketProduct.Intraday.RoundDown(99));
        Assert.Equal(1500, (MarketProduct.Afrr with { MinBidKw = 500 }).RoundDown(1700));
    }

    [Fact]
    public void A_block_offers_what_holds_through_all_its_quarter_hours()
    {
        // One home battery out for maintenance for 15 minutes in the first block: 39 · 30 = 1170 kW guaranteed.
        var homes = HomeBatteries();
        homes[0] = Symmetric("home-0", 30, UnavailabilityCalendar.Of([
            new UnavailabilityWindow("m", T.AddHours(1), T.AddHours(1).AddMinutes(15), UnavailabilityKind.Planned, "maintenance")]));
        homes[1] = homes[1] with { MaxKw = 0 }; // cannot export: the symmetric FCR offer is the smaller side

        var bids = Bids.For(MarketProduct.Fcr, homes, new SlotRange(T, T.AddHours(8)));

        Assert.Equal(2, bids.Count);
        Assert.Equal(38 * 30, bids[0].PooledKw, 9);
        Assert.Equal(39 * 30, bids[1].PooledKw, 9);
    }

    [Fact]
    public void Asymmetric_products_bid_each_direction_and_a_query_inside_a_block_gets_the_whole_block()
    {
        var assets = new[] { new FlexAsset("load", -3000, -500, -3000, null, null, UnavailabilityCalendar.Empty) };
        var bids = Bids.For(MarketProduct.Afrr, assets, new SlotRange(T.AddHours(5), T.AddHours(6)));

        Assert.Equal(2, bids.Count);
        Assert.Equal((T.AddHours(4), T.AddHours(8)), (bids[0].Start, bids[0].End));
        Assert.Equal((BidDirection.Up, 2000.0, null), (bids[0].Direction, bids[0].QuantityKw, bids[0].Problem));
        Assert.Equal((BidDirection.Down, 0.0), (bids[1].Direction, bids[1].QuantityKw));
        Assert.NotNull(bids[1].Problem);
    }

    [Fact]
    public void Intraday_bids_every_quarter_hour_in_100_kw_steps()
    {
        var bids = Bids.For(MarketProduct.Intraday, [Symmetric("a", 1234)], new SlotRange(T, T.AddHours(1)));
        Assert.Equal(8, bids.Count);
        Assert.All(bids, b => Assert.Equal(1200, b.QuantityKw, 9));
    }

    [Theory]
    [InlineData(2026, 3, 29, 12)]
    [InlineData(2026, 10, 25, 20)]
    [InlineData(2026, 7, 1, 16)]
    public void Four_hour_blocks_follow_local_time_so_the_first_block_of_a_dst_day_is_shorter_or_longer(int y, int m, int d, int firstBlockSlots)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var day = LocalDay.Slots(new DateOnly(y, m, d), zone);
        var blocks = Bids.Blocks(MarketProduct.Fcr, new SlotRange(day[0].StartUtc, day[^1].EndUtc), zone).ToList();

        Assert.Equal(6, blocks.Count);
        Assert.Equal(firstBlockSlots, blocks[0].Count);
        Assert.All(blocks.Skip(1), b => Assert.Equal(16, b.Count));
    }

    [Fact]
    public void Products_are_found_by_wire_name_and_checked()
    {
        var errors = new FieldErrors();
        Assert.Same(MarketProduct.Intraday, MarketProduct.Find(errors, "product", "intraday"));
        Assert.Null(MarketProduct.Find(errors, "product", "FCR"));
        Assert.Equal("product", Assert.Single(errors.Errors).Field);
        Assert.All(MarketProduct.Defaults, p => Assert.Empty(p.Validate()));
        Assert.Equal(["incrementKw", "blockLength", "timeZoneId"],
            (MarketProduct.Fcr with { IncrementKw = 0, BlockLength = TimeSpan.FromHours(5), TimeZoneId = "Nowhere/City" }).Validate().Select(e => e.Field));
    }

    [Property(MaxTest = 500)]
    public Property A_bid_is_the_largest_valid_size_not_above_the_pool() =>
        Prop.ForAll(Gen.Choose(0, 10_000_000).Select(i => i / 100.0).ToArbitrary(), Gen.Elements(MarketProduct.Defaults.ToArray()).ToArbitrary(), (pooledKw, product) =>
        {
            var q = product.RoundDown(pooledKw);
            var steps = (q - product.MinBidKw) / product.IncrementKw;
            var valid = q == 0 || (q >= product.MinBidKw && Math.Abs(steps - Math.Round(steps)) < 1e-6);
            var notAbove = q <= pooledKw + 1e-3;
            var largest = q == 0 ? pooledKw < product.MinBidKw : q + product.IncrementKw > pooledKw + 1e-3;
            return valid.Label("valid size").And(notAbove).Label("not above pool").And(largest).Label("largest");
        });
}
