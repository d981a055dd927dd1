using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;

namespace Vpp.Grains.Assets;

/// <summary>
/// What an asset last told its partition, so a change goes up only when it matters: a status change, a capability
/// that moved by more than <see cref="VppOptions.CapabilityReportThresholdKw"/>, battery energy that moved by a step
/// (<see cref="BatteryEnergyReport"/>), or a measurement that is due
/// (<see cref="VppOptions.MeasurementReportThresholdKw"/>, <see cref="VppOptions.MeasurementRefreshInterval"/>).
/// </summary>
public sealed class ReportedToPartition(VppOptions options)
{
    private Capability? _capability;
    private BatteryAtSoc? _battery;
    private (double Kw, DateTimeOffset At)? _measurement;

    /// <summary>Setpoints interleave with awaits: a report sent before one was accepted is already stale.</summary>
    public long SetpointsAccepted { get; private set; }

    /// <summary>The partition learns the capability after a setpoint from its acknowledgement.</summary>
    public void SetpointAccepted(Capability capabilityAfter)
    {
        _capability = capabilityAfter;
        SetpointsAccepted++;
    }

    /// <summary>Whether <paramref name="report"/> differs from what the partition holds by enough to send it.</summary>
    public bool IsDue(MemberReport report, double storageThresholdKwh) =>
        _capability is not { } reported
        || report.Capability.DiffersFrom(reported, options.CapabilityReportThresholdKw)
        || BatteryEnergyReport.Moved(_battery, report.Battery, storageThresholdKwh)
        || MeasurementDue(report);

    /// <summary>
    /// Records what the partition was told; when a setpoint was accepted while the report was on its way, the
    /// partition heard that setpoint's capability too, so the next change reports afresh instead of comparing.
    /// </summary>
    public void Told(MemberReport report, long setpointsBefore)
    {
        _capability = SetpointsAccepted == setpointsBefore ? report.Capability : null;
        _battery = report.Battery;
        if (report is { MeasuredKw: { } kw, MeasuredAt: { } at })
        {
            _measurement = (kw, at);
        }
    }

    /// <summary>The asset was removed: the next registration reports afresh.</summary>
    public void Forget()
    {
        _capability = null;
        _measurement = null;
    }

    private bool MeasurementDue(MemberReport report) =>
        report is { MeasuredKw: { } kw, MeasuredAt: { } at }
        && (_measurement is not { } reported
            || Math.Abs(kw - reported.Kw) > options.MeasurementReportThresholdKw
            || at - reported.At >= options.MeasurementRefreshInterval);
}
