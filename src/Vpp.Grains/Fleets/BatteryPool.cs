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
        Add(report.BatteryUsableKwh, report.BatteryStoredKwh, report.BatteryPowerKw);
        if (fcrActivationTime is { } activation && FcrBattery(report) is var (battery, socPercent))
        {
            FcrReserveKw += FcrSocWindow.MaxReserveKw(battery, activation);
            FcrReserveNowKw += FcrSocWindow.MaxReserveKwAt(battery, socPercent, activation);
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

    /// <summary>
    /// A member's battery for FCR (the energy check, SoC management): like <see cref="Battery"/>, but with its losses
    /// (√ of the round-trip efficiency each way, as the simulator models them), since the reserve must last the
    /// activation time.
    /// </summary>
    public static (BatteryEnergy Battery, double SocPercent)? FcrBattery(MemberReport report)
    {
        if (Battery(report) is not var (battery, socPercent))
        {
            return null;
        }

        var efficiency = Math.Sqrt(report.Storage?.RoundTripEfficiency is > 0 and <= 1 and var rte ? rte : AssetSpec.DefaultRoundTripEfficiencyPercent / 100);
        return (battery with { ChargeEfficiency = efficiency, DischargeEfficiency = efficiency }, socPercent);
    }

    /// <summary>The pool's SoC in percent of its usable energy; null without batteries.</summary>
    public double? SocPercent => UsableKwh > 0 ? StoredKwh / UsableKwh * 100 : null;

    /// <summary>
    /// One member's battery on a 0–100 % scale of its usable energy, with its SoC on that scale; null when the member
    /// is not a battery. Allocates nothing: it runs per member per summary.
    /// </summary>
    private static (BatteryEnergy Battery, double SocPercent)? Battery(MemberReport report) =>
        report.BatteryUsableKwh > 0 && report.BatteryPowerKw > 0
            ? (new BatteryEnergy(report.BatteryUsableKwh, 0, 100, 1, 1, report.BatteryPowerKw, report.BatteryPowerKw),
                report.BatteryStoredKwh / report.BatteryUsableKwh * 100)
            : null;
}
