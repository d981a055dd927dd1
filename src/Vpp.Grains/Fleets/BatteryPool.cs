using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Online batteries summed into one store: usable energy between their SoC limits, energy stored above min SoC, and
/// power each way. Partitions sum their members, the fleet sums its partitions: O(partitions) for FCR SoC management
/// instead of reading 100,000 assets' live state.
/// </summary>
public sealed class BatteryPool
{
    public double UsableKwh { get; private set; }

    public double StoredKwh { get; private set; }

    public double PowerKw { get; private set; }

    /// <summary>One member's battery as a pool of one; null when the member is not a battery.</summary>
    public static BatteryPool? Of(MemberReport report)
    {
        if (report.BatteryUsableKwh <= 0 || report.BatteryPowerKw <= 0)
        {
            return null;
        }

        var pool = new BatteryPool();
        pool.Add(report);
        return pool;
    }

    public void Add(MemberReport report) => Add(report.BatteryUsableKwh, report.BatteryStoredKwh, report.BatteryPowerKw);

    public void Add(PartitionSummary summary) => Add(summary.BatteryUsableKwh, summary.BatteryStoredKwh, summary.BatteryPowerKw);

    private void Add(double usableKwh, double storedKwh, double powerKw)
    {
        UsableKwh += usableKwh;
        StoredKwh += storedKwh;
        PowerKw += powerKw;
    }

    /// <summary>The pool's SoC in percent of its usable energy; null without batteries.</summary>
    public double? SocPercent => UsableKwh > 0 ? StoredKwh / UsableKwh * 100 : null;

    /// <summary>
    /// The pool as one battery on a 0–100 % scale of its usable energy. Losses are left out (efficiency 1): the
    /// pool's SoC only steers a gentle correction inside the deadband, where a few percent of error does not matter.
    /// </summary>
    public BatteryEnergy? AsBattery() =>
        UsableKwh > 0 ? new BatteryEnergy(UsableKwh, 0, 100, 1, 1, PowerKw, PowerKw) : null;
}
