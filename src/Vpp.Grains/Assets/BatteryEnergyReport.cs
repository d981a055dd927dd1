using Vpp.Abstractions.Assets;
using Vpp.Domain.Assets;

namespace Vpp.Grains.Assets;

/// <summary>
/// The battery energy a member report carries for FCR SoC management. Reported when it moved by at least
/// <see cref="ReportStepShare"/> of the usable energy: SoC drifts slowly, so 100,000 batteries cost few extra reports.
/// </summary>
public static class BatteryEnergyReport
{
    public const double ReportStepShare = 0.01;

    public static MemberReport WithBatteryEnergy(this MemberReport report, AssetSpec spec, AssetLiveState live)
    {
        if (BatteryEnergy.Of(spec) is not { } battery || live.StateOfChargePercent is not { } soc)
        {
            return report;
        }

        var minKwh = battery.StoredKwh(battery.MinSocPercent);
        var usableKwh = Math.Max(0, battery.StoredKwh(battery.MaxSocPercent) - minKwh);
        var storedKwh = Math.Clamp(battery.StoredKwh(soc) - minKwh, 0, usableKwh);
        return report with
        {
            BatteryUsableKwh = usableKwh,
            BatteryStoredKwh = storedKwh,
            BatteryPowerKw = Math.Min(battery.MaxChargeKw, battery.MaxDischargeKw),
        };
    }

    public static bool Moved(double? reportedStoredKwh, MemberReport report) =>
        report.BatteryUsableKwh > 0
        && (reportedStoredKwh is not { } before || Math.Abs(report.BatteryStoredKwh - before) >= report.BatteryUsableKwh * ReportStepShare);
}
