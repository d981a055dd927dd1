using Vpp.Abstractions.Assets;

namespace Vpp.Grains.Assets;

/// <summary>
/// Metering: the asset's measured active power rides to its partition in the member report. A measurement goes up
/// when it moved by more than <see cref="VppOptions.MeasurementReportThresholdKw"/> or when the partition last heard
/// of it <see cref="VppOptions.MeasurementRefreshInterval"/> ago (so an asset holding steady does not look stale);
/// otherwise it waits for the next one. Nothing of it is written to storage.
/// </summary>
public sealed partial class AssetGrain
{
    // When the active power in the live state was measured; kept in the activation only, so after a restart the
    // asset reports no measurement until its next telemetry rather than an old one as if it were new.
    private DateTimeOffset? _measuredAt;
    private (double Kw, DateTimeOffset At)? _reportedMeasurement;

    private MemberReport WithMeasurement(MemberReport report) =>
        _measuredAt is { } at && Live.ActivePowerKw is { } kw
            ? report with { MeasuredKw = kw, MeasuredAt = at }
            : report;

    private bool MeasurementDue(MemberReport report) =>
        report is { MeasuredKw: { } kw, MeasuredAt: { } at }
        && (_reportedMeasurement is not { } reported
            || Math.Abs(kw - reported.Kw) > _options.MeasurementReportThresholdKw
            || at - reported.At >= _options.MeasurementRefreshInterval);

    private void MeasurementReported(MemberReport report)
    {
        if (report is { MeasuredKw: { } kw, MeasuredAt: { } at })
        {
            _reportedMeasurement = (kw, at);
        }
    }
}
