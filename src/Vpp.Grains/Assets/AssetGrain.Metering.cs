using Vpp.Abstractions.Assets;

namespace Vpp.Grains.Assets;

/// <summary>
/// Metering: the asset's measured active power rides to its partition in the member report. A measurement goes up
/// when it is due (<see cref="ReportedToPartition"/>: moved by more than
/// <see cref="VppOptions.MeasurementReportThresholdKw"/>, or last heard of <see cref="VppOptions.MeasurementRefreshInterval"/>
/// ago, so an asset holding steady does not look stale); otherwise it waits for the next one. Nothing of it is written to storage.
/// </summary>
public sealed partial class AssetGrain
{
    // When the active power in the live state was measured; kept in the activation only, so after a restart the
    // asset reports no measurement until its next telemetry rather than an old one as if it were new.
    private DateTimeOffset? _measuredAt;

    private MemberReport WithMeasurement(MemberReport report) =>
        _measuredAt is { } at && Live.ActivePowerKw is { } kw
            ? report with { MeasuredKw = kw, MeasuredAt = at }
            : report;
}
