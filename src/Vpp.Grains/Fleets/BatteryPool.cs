using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.GridServices;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Online batteries summed into one store: usable energy between their SoC limits, energy stored above min SoC, and
/// power each way. Partitions sum their members, the fleet sums its partitions: O(partitions) for FCR SoC management
/// instead of reading 100,000 assets' live state.
/// </summary>
/// With an FCR activation time it also sums each battery's energy-limited FCR reserve: the most it can hold with
/// perfect SoC management (<see cref="FcrSocWindow.MaxReserveKw"/>) and the most at its SoC now
/// (<see cref="FcrSocWindow.MaxReserveKwAt"/>), both with its efficiency.
public sealed class BatteryPool(TimeSpan? fcrActivationTime = null)
{
    public double UsableKwh { get; private set; }

    public double StoredKwh { get; private set; }

    public double PowerKw { get; private set; }

    public double FcrReserveKw { get; private set; }

    public double FcrReserveNowKw { get; private set; }

    public void Add(MemberReport report)
    {
        if (report.Battery is not { } battery)
        {
            return;
        }

        Add(battery.UsableKwh, battery.StoredKwh, battery.PowerKw);
        if (fcrActivationTime is { } activation && battery.ForFcr() is var (fcrBattery, socPercent))
        {
            FcrReserveKw += FcrSocWindow.MaxReserveKw(fcrBattery, activation);
            FcrReserveNowKw += FcrSocWindow.MaxReserveKwAt(fcrBattery, socPercent, activation);
        }
    }

    public void Add(PartitionSummary summary)
    {
        Add(summary.Batteries.UsableKwh, summary.Batteries.StoredKwh, summary.Batteries.PowerKw);
        FcrReserveKw += summary.Batteries.FcrReserveKw;
        FcrReserveNowKw += summary.Batteries.FcrReserveNowKw;
    }

    private void Add(double usableKwh, double storedKwh, double powerKw)
    {
        UsableKwh += usableKwh;
        StoredKwh += storedKwh;
        PowerKw += powerKw;
    }

    /// <summary>The pool's SoC in percent of its usable energy; null without batteries.</summary>
    public double? SocPercent => UsableKwh > 0 ? StoredKwh / UsableKwh * 100 : null;
}
