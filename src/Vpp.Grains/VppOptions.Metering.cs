using Microsoft.Extensions.Options;

namespace Vpp.Grains;

/// <summary>Metering and output history settings ("Vpp" section).</summary>
public sealed partial class VppOptions
{
    /// <summary>
    /// A member's measurement older than this no longer counts in its fleet's measured output (it is counted as
    /// stale instead): a silent asset must not keep contributing its last value forever.
    /// </summary>
    public TimeSpan MeasurementStaleAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// An asset passes an unchanged measurement on to its partition at least this often, so the partition knows it is
    /// still fresh; a changed one (by more than <see cref="MeasurementReportThresholdKw"/>) goes at once. Must be well
    /// under <see cref="MeasurementStaleAfter"/>.
    /// </summary>
    public TimeSpan MeasurementRefreshInterval { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Minimum change (kW) of an asset's measured active power worth passing on to its partition at once.</summary>
    public double MeasurementReportThresholdKw { get; set; } = 0.01;

    /// <summary>
    /// A partition pushes changes of its measured sum to the fleet at most this often (status and capability changes
    /// still go at once): 100,000 assets reporting every few seconds must not mean a fleet call per measurement.
    /// </summary>
    public TimeSpan MeasuredSummaryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Resolution of the fleet's output history (target, allocated, measured).</summary>
    public TimeSpan OutputSampleInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How far back the fleet's output history reaches in memory (the last hour of it is also stored).</summary>
    public TimeSpan OutputHistoryRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The last hour of output samples is stored this often (and on deactivation): what a crash may lose.</summary>
    public TimeSpan OutputWriteInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long partitions keep their members' per-slot meters and the fleet its target history, for settlement.
    /// The target history is stored with every dispatch; partitions store their closed slots once per quarter hour and on
    /// deactivation, so a restart loses at most the meters of the slot in progress.
    /// </summary>
    public TimeSpan SettlementRetention { get; set; } = TimeSpan.FromDays(2);

    internal static void ValidateMetering(OptionsBuilder<VppOptions> options) => options
        .Validate(o => o.MeasurementStaleAfter > TimeSpan.Zero, "Vpp:MeasurementStaleAfter must be positive")
        .Validate(
            o => o.MeasurementRefreshInterval > TimeSpan.Zero && o.MeasurementRefreshInterval < o.MeasurementStaleAfter,
            "Vpp:MeasurementRefreshInterval must be positive and shorter than Vpp:MeasurementStaleAfter")
        .Validate(o => o.MeasurementReportThresholdKw >= 0, "Vpp:MeasurementReportThresholdKw must not be negative")
        .Validate(o => o.SettlementRetention >= TimeSpan.FromHours(1), "Vpp:SettlementRetention must be at least 1 hour")
        .Validate(o => o.MeasuredSummaryInterval > TimeSpan.Zero, "Vpp:MeasuredSummaryInterval must be positive")
        .Validate(o => o.OutputSampleInterval >= TimeSpan.FromMilliseconds(100), "Vpp:OutputSampleInterval must be at least 100 ms")
        .Validate(o => o.OutputWriteInterval >= TimeSpan.FromSeconds(1), "Vpp:OutputWriteInterval must be at least 1 s")
        .Validate(
            o => o.OutputHistoryRetention >= TimeSpan.FromHours(1) && o.OutputHistoryRetention <= TimeSpan.FromDays(1),
            "Vpp:OutputHistoryRetention must be from 1 hour to 1 day (the API serves the last hour)");
}
