using Microsoft.Extensions.Options;
using Vpp.Domain.Market;

namespace Vpp.Grains;

/// <summary>Minimum bid size and increment of one product (kW).</summary>
public sealed class MarketProductOptions
{
    public double MinBidKw { get; set; }

    public double IncrementKw { get; set; }
}

/// <summary>Market rules ("Vpp:Market"): defaults are the German FCR/aFRR (1 MW, 1 MW steps) and intraday (0.1 MW) markets.</summary>
public sealed class MarketOptions
{
    public MarketProductOptions Fcr { get; set; } = new() { MinBidKw = 1000, IncrementKw = 1000 };

    public MarketProductOptions Afrr { get; set; } = new() { MinBidKw = 1000, IncrementKw = 1000 };

    public MarketProductOptions Intraday { get; set; } = new() { MinBidKw = 100, IncrementKw = 100 };

    /// <summary>Longest flexibility or bid query, in quarter hours (pooling costs assets × slots).</summary>
    public int MaxQuerySlots { get; set; } = 7 * 96;

    /// <summary>
    /// Largest settlement answer, in asset rows (assets × quarter hours): a settlement lists every asset per slot, so a
    /// 100,000-asset fleet is settled 10 slots per request, a 1,000-asset fleet a week. Bounds the fleet grain's memory.
    /// </summary>
    public long MaxSettlementAssetSlots { get; set; } = 1_000_000;

    /// <summary>The products with the configured sizes (block length, symmetry and energy duration are the market's).</summary>
    public IReadOnlyList<MarketProduct> Products() =>
    [
        MarketProduct.Fcr with { MinBidKw = Fcr.MinBidKw, IncrementKw = Fcr.IncrementKw },
        MarketProduct.Afrr with { MinBidKw = Afrr.MinBidKw, IncrementKw = Afrr.IncrementKw },
        MarketProduct.Intraday with { MinBidKw = Intraday.MinBidKw, IncrementKw = Intraday.IncrementKw },
    ];
}

public sealed partial class VppOptions
{
    public MarketOptions Market { get; set; } = new();

    internal static void ValidateMarket(OptionsBuilder<VppOptions> options) => options
        .Validate(o => o.Market.Products().All(p => p.Validate().Count == 0), "Vpp:Market: every product needs a positive MinBidKw and IncrementKw")
        .Validate(o => o.Market.MaxQuerySlots is >= 1 and <= 31 * 96, "Vpp:Market:MaxQuerySlots must be from 1 to 2976 (31 days)")
        .Validate(o => o.Market.MaxSettlementAssetSlots >= 1, "Vpp:Market:MaxSettlementAssetSlots must be at least 1");
}
