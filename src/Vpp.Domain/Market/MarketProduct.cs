using Vpp.Domain.Assets;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Market;

/// <summary>
/// A product the fleet can bid for. Blocks are <see cref="BlockLength"/> long, counted from local midnight in the
/// market's time zone (FCR and aFRR trade 4-hour blocks of German time, so on daylight-saving days one block lasts
/// 3 or 5 hours). <see cref="EnergyDuration"/> is how long a battery must be able to hold the offered power:
/// the FCR activation time (15 min; SoC management restores it), the whole block for aFRR, the slot for intraday.
/// </summary>
public sealed record MarketProduct(
    string Name,
    TimeSpan BlockLength,
    double MinBidKw,
    double IncrementKw,
    bool Symmetric,
    TimeSpan EnergyDuration,
    string TimeZoneId = "Europe/Berlin")
{
    public static readonly MarketProduct Fcr = new("fcr", TimeSpan.FromHours(4), 1000, 1000, true, TimeSpan.FromMinutes(15));
    public static readonly MarketProduct Afrr = new("afrr", TimeSpan.FromHours(4), 1000, 1000, false, TimeSpan.FromHours(4));
    public static readonly MarketProduct Intraday = new("intraday", TimeSpan.FromMinutes(15), 100, 100, false, TimeSpan.FromMinutes(15));

    public static readonly IReadOnlyList<MarketProduct> Defaults = [Fcr, Afrr, Intraday];

    /// <summary>Finds a product by its wire name; adds an error naming the field when unknown.</summary>
    public static MarketProduct? Find(FieldErrors errors, string field, string? name, IReadOnlyList<MarketProduct>? products = null)
    {
        products ??= Defaults;
        var product = products.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
        if (product is null)
        {
            errors.Add(field, (name is null ? "is required: " : "") + WireNames.OneOf(products.Select(p => p.Name).ToList()));
        }

        return product;
    }

    public IReadOnlyList<FieldError> Validate()
    {
        var e = new FieldErrors();
        e.Positive("minBidKw", MinBidKw);
        e.Positive("incrementKw", IncrementKw);
        if (BlockLength < Schedules.QuarterHour.Length || TimeSpan.FromDays(1).Ticks % BlockLength.Ticks != 0
            || BlockLength.Ticks % Schedules.QuarterHour.Length.Ticks != 0)
        {
            e.Add("blockLength", "must be a whole number of quarter hours that divides a day");
        }

        if (EnergyDuration <= TimeSpan.Zero)
        {
            e.Add("energyDuration", "must be longer than zero");
        }

        Schedules.LocalDay.FindZone(e, "timeZoneId", TimeZoneId);
        return e.Errors;
    }

    /// <summary>
    /// The bid size for a pooled capacity: nothing below the minimum, otherwise the minimum plus whole increments,
    /// rounded down (a bid must never promise more than the pool holds). Values within 1 W of a step count as on it,
    /// so 2999.9999999 kW of floating-point sums still makes a 3 MW bid.
    /// </summary>
    public double RoundDown(double pooledKw)
    {
        const double slackKw = 1e-3;
        if (!(pooledKw + slackKw >= MinBidKw))
        {
            return 0;
        }

        return MinBidKw + (Math.Floor((pooledKw - MinBidKw + slackKw) / IncrementKw) * IncrementKw);
    }
}
