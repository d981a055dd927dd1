using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Grains.Assets;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Tests.Assets;

/// <summary>When an asset's report is worth sending to its partition, from what the partition last heard.</summary>
public sealed class ReportedToPartitionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly VppOptions Options = new();
    private static readonly Capability Range = new(-10, 10, 0, 0);

    private static MemberReport Report(Capability capability, double? measuredKw = null, DateTimeOffset? at = null) =>
        new(AssetStatus.Online, capability, null, MeasuredKw: measuredKw, MeasuredAt: at);

    [Fact]
    public void A_report_the_partition_already_holds_is_not_due()
    {
        var reported = new ReportedToPartition(Options);
        var report = Report(Range);
        Assert.True(reported.IsDue(report, storageThresholdKwh: 0));

        reported.Told(report, reported.SetpointsAccepted);

        Assert.False(reported.IsDue(report, storageThresholdKwh: 0));
        Assert.True(reported.IsDue(Report(Range with { MaxKw = 9 }), storageThresholdKwh: 0));
    }

    [Fact]
    public void A_setpoint_accepted_while_a_report_was_on_its_way_makes_the_next_report_due()
    {
        var reported = new ReportedToPartition(Options);
        var report = Report(Range);
        var setpoints = reported.SetpointsAccepted;
        reported.SetpointAccepted(Range with { PreferredKw = 5 });

        reported.Told(report, setpoints);

        Assert.True(reported.IsDue(report, storageThresholdKwh: 0));
    }

    [Fact]
    public void Battery_energy_is_due_at_a_step_of_its_usable_energy_or_past_the_storage_threshold_and_when_its_soc_turns_unknown()
    {
        var spec = TestSpecs.LosslessBattery("fleet-a", maxKw: 100, capacityKwh: 200); // a 1 % step is 2 kWh
        MemberReport At(double? socPercent) => Report(Range) with { Battery = BatteryAtSoc.Of(spec, socPercent) };
        var reported = new ReportedToPartition(Options);
        reported.Told(At(50), reported.SetpointsAccepted);

        Assert.False(reported.IsDue(At(50.5), storageThresholdKwh: 2));
        Assert.True(reported.IsDue(At(51), storageThresholdKwh: 2));
        Assert.True(reported.IsDue(At(50.5), storageThresholdKwh: 0));
        Assert.True(reported.IsDue(At(null), storageThresholdKwh: 2));
    }

    [Fact]
    public void A_steady_measurement_is_due_again_after_the_refresh_interval_and_a_small_move_is_not()
    {
        var reported = new ReportedToPartition(Options);
        reported.Told(Report(Range, 4, T0), reported.SetpointsAccepted);

        Assert.False(reported.IsDue(Report(Range, 4 + Options.MeasurementReportThresholdKw / 2, T0.AddSeconds(1)), storageThresholdKwh: 0));
        Assert.True(reported.IsDue(Report(Range, 4 + Options.MeasurementReportThresholdKw * 2, T0.AddSeconds(1)), storageThresholdKwh: 0));
        Assert.True(reported.IsDue(Report(Range, 4, T0 + Options.MeasurementRefreshInterval), storageThresholdKwh: 0));
    }
}
