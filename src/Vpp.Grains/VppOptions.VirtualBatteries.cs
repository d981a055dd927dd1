using Microsoft.Extensions.Options;

namespace Vpp.Grains;

/// <summary>Virtual batteries ("Vpp:VirtualBatteries"): what the operator keeps back, and when slots are re-validated.</summary>
public sealed class VirtualBatteryOptions
{
    /// <summary>Share of the fleet's registered battery power and energy never sold as slices (percent).</summary>
    public double ReservePercent { get; set; } = 10;

    /// <summary>How long before each quarter hour the next slot is checked against what the fleet can deliver.</summary>
    public TimeSpan RevalidationLead { get; set; } = TimeSpan.FromMinutes(7);

    /// <summary>
    /// How old the planned unavailabilities behind a virtual battery's power ahead (<c>GET …/{vbId}</c>) may be: the
    /// fleet asks its partitions at most once per this for each window; the re-validation always asks anew. Zero asks every time.
    /// </summary>
    public TimeSpan AheadRefresh { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed partial class VppOptions
{
    public VirtualBatteryOptions VirtualBatteries { get; set; } = new();

    internal static void ValidateVirtualBatteries(OptionsBuilder<VppOptions> options) => options
        .Validate(o => o.VirtualBatteries.ReservePercent is >= 0 and < 100, "Vpp:VirtualBatteries:ReservePercent must be from 0 to below 100")
        .Validate(o => o.VirtualBatteries.RevalidationLead > TimeSpan.Zero && o.VirtualBatteries.RevalidationLead < Domain.Schedules.QuarterHour.Length,
            "Vpp:VirtualBatteries:RevalidationLead must be positive and shorter than a quarter hour")
        .Validate(o => o.VirtualBatteries.AheadRefresh >= TimeSpan.Zero, "Vpp:VirtualBatteries:AheadRefresh must not be negative");
}
