using Vpp.Domain.Assets;
using Vpp.Domain.Schedules;

namespace Vpp.Grains.Assets;

/// <summary>
/// When a battery's report is worth sending for its energy: when its SoC became known or unknown, when its stored
/// energy moved by at least <see cref="ReportStepShare"/> of its usable energy (FCR SoC management), or when its store
/// moved by more than the storage threshold either way (<see cref="StoragePool.Differs"/>). SoC drifts slowly, so
/// 100,000 batteries cost few extra reports.
/// </summary>
public static class BatteryEnergyReport
{
    public const double ReportStepShare = 0.01;

    public static bool Moved(BatteryAtSoc? reported, BatteryAtSoc? now, double storageThresholdKwh)
    {
        if (now is not { } battery)
        {
            return reported is not null;
        }

        if (reported is not { } before)
        {
            return true;
        }

        var usableKwh = battery.UsableKwh;
        return (usableKwh > 0 && Math.Abs(battery.StoredKwh - before.StoredKwh) >= usableKwh * ReportStepShare)
            || StoragePool.Differs(battery.Storage, before.Storage, storageThresholdKwh);
    }
}
