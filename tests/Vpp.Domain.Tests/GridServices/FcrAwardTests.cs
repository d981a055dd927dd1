using Vpp.Domain.GridServices;
using Vpp.Domain.Market;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Tests.GridServices;

public sealed class FcrAwardTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeSpan FourHours = TimeSpan.FromHours(4);
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Utc(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_winter_day_has_six_four_hour_blocks_from_local_midnight()
    {
        var blocks = ProductBlocks.Of(new DateOnly(2026, 11, 26), Berlin, FourHours);

        Assert.Equal([0, 1, 2, 3, 4, 5], blocks.Select(b => b.Index));
        Assert.Equal(Utc(2026, 11, 25, 23), blocks[0].From); // 00:00 CET
        Assert.All(blocks, b => Assert.Equal(FourHours, b.To - b.From));
        Assert.Equal(Utc(2026, 11, 26, 23), blocks[^1].To);
        Assert.Equal(["NEGPOS_00_04", "NEGPOS_04_08", "NEGPOS_08_12", "NEGPOS_12_16", "NEGPOS_16_20", "NEGPOS_20_24"],
            blocks.Select(b => b.SymmetricName(FourHours)));
    }

    [Fact]
    public void On_the_spring_clock_change_the_first_block_lasts_three_hours()
    {
        // Last Sunday of March 2027: 02:00 CET becomes 03:00 CEST.
        var blocks = ProductBlocks.Of(new DateOnly(2027, 3, 28), Berlin, FourHours);

        Assert.Equal(6, blocks.Count);
        Assert.Equal((Utc(2027, 3, 27, 23), Utc(2027, 3, 28, 2)), (blocks[0].From, blocks[0].To));
        Assert.Equal(TimeSpan.FromHours(3), blocks[0].To - blocks[0].From);
        Assert.All(blocks.Skip(1), b => Assert.Equal(FourHours, b.To - b.From));
        Assert.Equal(Utc(2027, 3, 28, 22), blocks[^1].To); // 24:00 CEST
    }

    [Theory]
    [InlineData(2026, 25)]
    [InlineData(2027, 31)]
    public void On_the_autumn_clock_change_the_first_block_lasts_five_hours(int year, int lastSunday)
    {
        // Last Sunday of October: 03:00 CEST becomes 02:00 CET, so 02:00–03:00 local happens twice.
        var blocks = ProductBlocks.Of(new DateOnly(year, 10, lastSunday), Berlin, FourHours);

        Assert.Equal(6, blocks.Count);
        Assert.Equal((Utc(year, 10, lastSunday - 1, 22), Utc(year, 10, lastSunday, 3)), (blocks[0].From, blocks[0].To));
        Assert.Equal(TimeSpan.FromHours(5), blocks[0].To - blocks[0].From);
        Assert.Equal((Utc(year, 10, lastSunday, 3), Utc(year, 10, lastSunday, 7)), (blocks[1].From, blocks[1].To));
        Assert.All(blocks.Skip(1), b => Assert.Equal(FourHours, b.To - b.From));
        Assert.Equal(Utc(year, 10, lastSunday, 23), blocks[^1].To); // 24:00 CET
    }

    [Fact]
    public void A_block_request_resolves_to_its_utc_period_and_product_name()
    {
        var errors = new FieldErrors();

        var award = new FcrAwardRequest(1000, new DateOnly(2027, 3, 28), 0).Resolve(errors, Now, MarketProduct.Fcr);

        Assert.False(errors.Any);
        Assert.Equal(new FcrAward(1000, Utc(2027, 3, 27, 23), Utc(2027, 3, 28, 2), "NEGPOS_00_04"), award);
    }

    [Theory]
    [InlineData(null, null, null, null, "from")] // no period
    [InlineData("2026-11-26", 6, null, null, "block")]
    [InlineData("2026-11-26", -1, null, null, "block")]
    [InlineData(null, 2, null, null, "date")]
    [InlineData("2026-11-24", 0, null, null, "date")] // over
    [InlineData("2026-11-26", 1, "2026-11-26T04:00:00Z", null, "from")] // both forms
    [InlineData(null, null, "2026-11-26T04:05:00Z", "2026-11-26T08:00:00Z", "from")]
    [InlineData(null, null, "2026-11-26T04:00:00Z", "2026-11-26T07:59:00Z", "to")]
    [InlineData(null, null, "2026-11-26T08:00:00Z", "2026-11-26T08:00:00Z", "to")]
    [InlineData(null, null, "2026-11-26T08:00:00Z", "2026-11-26T04:00:00Z", "to")]
    [InlineData(null, null, "2026-11-26T08:00:00Z", null, "to")]
    [InlineData(null, null, "2026-11-25T08:00:00Z", "2026-11-25T12:00:00Z", "to")] // ended at now
    [InlineData(null, null, "2026-11-26T00:00:00Z", "2026-12-28T00:00:00Z", "to")] // longer than 31 days
    public void A_bad_period_is_refused_naming_the_field(string? date, int? block, string? from, string? to, string field)
    {
        var errors = new FieldErrors();
        var request = new FcrAwardRequest(
            100, date is null ? null : DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), block,
            from is null ? null : DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture),
            to is null ? null : DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Null(request.Resolve(errors, Now, MarketProduct.Fcr));
        Assert.Equal([field], errors.Errors.Select(e => e.Field).Distinct());
    }

    [Fact]
    public void A_period_in_delivery_is_accepted_and_a_negative_band_is_refused()
    {
        var errors = new FieldErrors();
        Assert.NotNull(new FcrAwardRequest(100, From: Now.AddHours(-1), To: Now.AddMinutes(15)).Resolve(errors, Now, MarketProduct.Fcr));
        Assert.False(errors.Any);

        Assert.Null(new FcrAwardRequest(-1, From: Now, To: Now.AddHours(1)).Resolve(errors, Now, MarketProduct.Fcr));
        Assert.Equal(["contractedKw"], errors.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Awards_are_due_only_in_their_periods_and_overlapping_ones_add_up()
    {
        var book = FcrAwardBook.Empty
            .With(new FcrAward(100, Utc(2026, 11, 25, 13), Utc(2026, 11, 25, 15)), Now)
            .With(new FcrAward(50, Utc(2026, 11, 25, 14), Utc(2026, 11, 25, 18)), Now);

        Assert.Equal(0, book.KwAt(Utc(2026, 11, 25, 12)));
        Assert.Equal(100, book.KwAt(Utc(2026, 11, 25, 13)));
        Assert.Equal(150, book.KwAt(Utc(2026, 11, 25, 14)));
        Assert.Equal(50, book.KwAt(Utc(2026, 11, 25, 15))); // the first ended: its end is exclusive
        Assert.Equal(0, book.KwAt(Utc(2026, 11, 25, 18)));
        Assert.Equal(150, book.MaxKw(Utc(2026, 11, 25, 12), Utc(2026, 11, 25, 20)));
        Assert.Equal(100, book.MaxKw(Utc(2026, 11, 25, 12), Utc(2026, 11, 25, 14)));
    }

    [Fact]
    public void An_award_for_the_same_period_replaces_the_last_one_zero_withdraws_it_and_ended_ones_are_dropped()
    {
        var from = Utc(2026, 11, 25, 13);
        var book = FcrAwardBook.Empty.With(new FcrAward(100, from, from.AddHours(4)), Now).With(new FcrAward(80, from, from.AddHours(4)), Now);
        Assert.Equal(80, Assert.Single(book.Awards).ContractedKw);

        Assert.Empty(book.With(new FcrAward(0, from, from.AddHours(4)), Now).Awards);
        Assert.Same(book, book.EndedBefore(from.AddHours(4).AddTicks(-1)));
        Assert.Empty(book.EndedBefore(from.AddHours(4)).Awards);
    }

    [Fact]
    public void An_fcr_bid_offers_no_more_than_the_band_the_contract_check_accepts_less_the_awards_in_its_block()
    {
        var limit = new FcrBandLimit(2500, new FcrAwardBook([new FcrAward(1000, Utc(2026, 11, 25, 15), Utc(2026, 11, 25, 19))]));
        var range = new SlotRange(Utc(2026, 11, 25, 11), Utc(2026, 11, 25, 19));
        var flexibility = range.Starts.Select(s => new FlexibilitySlot(s, MarketProduct.Fcr.EnergyDuration, 4000, 4000, 1, 0)).ToList();

        var bids = Bids.For(MarketProduct.Fcr, range, flexibility, limit);

        Assert.Equal([2000.0, 1000.0], bids.Select(b => b.QuantityKw)); // 12–16 local: 2500 kW; 16–20: 2500 − 1000
        Assert.Equal([2500.0, 1500.0], bids.Select(b => b.PooledKw));
        Assert.Equal([4000.0, 4000.0], Bids.For(MarketProduct.Fcr, range, flexibility).Select(b => b.QuantityKw));
    }
}
