using Vpp.Domain.Market;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;

namespace Vpp.Domain.GridServices;

/// <summary>
/// An FCR award: ±<see cref="ContractedKw"/> to hold over [<see cref="From"/>, <see cref="To"/>) (UTC), for a market
/// product block (<see cref="Product"/>, e.g. "NEGPOS_08_12") or an explicit period. Outside its period it obliges
/// nothing; the FCR obligation lasts exactly the delivery period awarded (SOGL Art. 156(5) applies "while obliged").
/// </summary>
public sealed record FcrAward(double ContractedKw, DateTimeOffset From, DateTimeOffset To, string? Product = null)
{
    public bool IsActiveAt(DateTimeOffset instant) => From <= instant && instant < To;

    public bool Overlaps(DateTimeOffset from, DateTimeOffset to) => From < to && from < To;

    public bool SamePeriod(FcrAward other) => From == other.From && To == other.To;
}

/// <summary>
/// The awards a fleet holds. Awards whose periods overlap add up: several bids of one provider can be accepted for
/// the same block (the FCR auction is pay-as-cleared per bid), and the obligation is their sum.
/// </summary>
public sealed record FcrAwardBook(IReadOnlyList<FcrAward> Awards)
{
    public static readonly FcrAwardBook Empty = new([]);

    /// <summary>The band due at <paramref name="instant"/>.</summary>
    public double KwAt(DateTimeOffset instant) => Awards.Where(a => a.IsActiveAt(instant)).Sum(a => a.ContractedKw);

    /// <summary>The largest band due at any time in [from, to): the sum can only rise where an award starts.</summary>
    public double MaxKw(DateTimeOffset from, DateTimeOffset to) =>
        Awards.Where(a => a.Overlaps(from, to))
            .Select(a => a.From > from ? a.From : from)
            .Append(from)
            .Max(KwAt);

    /// <summary>
    /// The book with <paramref name="award"/> in place of any award for the same period (0 kW withdraws it), and
    /// without the awards that ended by <paramref name="now"/>.
    /// </summary>
    public FcrAwardBook With(FcrAward award, DateTimeOffset now) =>
        new([.. Awards.Where(a => !a.SamePeriod(award) && a.To > now).Concat(award.ContractedKw > 0 ? [award] : []).OrderBy(a => a.From)]);

    /// <summary>The awards still to deliver or in delivery at <paramref name="now"/>.</summary>
    public FcrAwardBook EndedBefore(DateTimeOffset now) =>
        Awards.All(a => a.To > now) ? this : new([.. Awards.Where(a => a.To > now)]);
}

/// <summary>
/// An FCR award as a trader sends it: the band and its delivery period, either a product block of the FCR market
/// (<see cref="Date"/>, the local delivery day in the market's zone, and <see cref="Block"/> 0–5, block 0 = 00–04)
/// or an explicit UTC period [<see cref="From"/>, <see cref="To"/>) on quarter hours, the imbalance settlement period
/// (EBGL, Regulation (EU) 2017/2195, Art. 53(1)).
/// </summary>
public sealed record FcrAwardRequest(double ContractedKw, DateOnly? Date = null, int? Block = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    /// <summary>Longest explicit period: awards come from daily auctions, so a month is far beyond any real one.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(31);

    /// <summary>The award, or null with errors naming the field (contractedKw, date, block, from, to).</summary>
    public FcrAward? Resolve(FieldErrors errors, DateTimeOffset now, MarketProduct product)
    {
        var contract = new FcrContract(ContractedKw).Validate();
        foreach (var error in contract)
        {
            errors.Add(error.Field, error.Message);
        }

        var byBlock = Date is not null || Block is not null;
        var byPeriod = From is not null || To is not null;
        FcrAward? award = null;
        if (byBlock && byPeriod)
        {
            errors.Add(From is not null ? "from" : "to", "give either date and block (a product block) or from and to, not both");
        }
        else if (byBlock)
        {
            award = BlockAward(errors, product);
        }
        else if (byPeriod)
        {
            award = PeriodAward(errors);
        }
        else
        {
            errors.Add("from", "a contract names its delivery period: date and block (an FCR product block) or from and to (UTC, on quarter hours)");
        }

        if (award is not null && award.To <= now)
        {
            errors.Add(byBlock ? "date" : "to", $"the period ended at {award.To:O}; a contract must still be to deliver");
        }

        return errors.Any || contract.Count > 0 ? null : award;
    }

    private FcrAward? BlockAward(FieldErrors errors, MarketProduct product)
    {
        if (Date is not { } day)
        {
            errors.Add("date", "is required with block: the delivery day in the market's time zone (yyyy-MM-dd)");
            return null;
        }

        var blocks = ProductBlocks.Of(day, TimeZoneInfo.FindSystemTimeZoneById(product.TimeZoneId), product.BlockLength);
        if (Block is not { } index || index < 0 || index >= blocks.Count)
        {
            errors.Add("block", $"must be 0 to {blocks.Count - 1}: the product block of the delivery day (0 = {blocks[0].SymmetricName(product.BlockLength)})");
            return null;
        }

        var block = blocks[index];
        return new FcrAward(ContractedKw, block.From, block.To, block.SymmetricName(product.BlockLength));
    }

    private FcrAward? PeriodAward(FieldErrors errors)
    {
        if (From is not { } from || To is not { } to)
        {
            errors.Add(From is null ? "from" : "to", "is required: a period names both from and to");
            return null;
        }

        var aligned = true;
        foreach (var (field, at) in new[] { ("from", from), ("to", to) })
        {
            if (!QuarterHour.IsAligned(at))
            {
                errors.Add(field, $"must be on a quarter hour (the imbalance settlement period), got {at:O}");
                aligned = false;
            }
        }

        if (aligned && to <= from)
        {
            errors.Add("to", "must be after from");
        }
        else if (aligned && to - from > MaxPeriod)
        {
            errors.Add("to", $"must be at most {MaxPeriod.TotalDays:0} days after from");
        }

        return errors.Any ? null : new FcrAward(ContractedKw, from.ToUniversalTime(), to.ToUniversalTime());
    }
}
