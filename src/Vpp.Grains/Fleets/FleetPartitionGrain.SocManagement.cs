using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Domain.GridServices;

namespace Vpp.Grains.Fleets;

/// <summary>
/// FCR SoC management per battery. While the fleet holds an FCR contract, each online battery starts a dispatch from
/// its own correction instead of its idle point: one above its SoC window discharges, one below it charges, one inside
/// is left alone — however full the rest of the pool is — but only in the droop's direction and within the share of
/// its reserve the frequency allows (<see cref="FcrSocManagement"/>). The plan then moves everyone from there as usual,
/// so the correction stays on the batteries that need it and the fleet's target only grows by the net of the
/// corrections. What the allowed freedom cannot restore is reported as energy to trade (<see cref="SocBalance"/>).
/// </summary>
public sealed partial class FleetPartitionGrain
{
    // The reserve share the fleet last sent with SoC management on; null until it first ran here. The summary's
    // shifts are computed with it, so the fleet can plan the next dispatch before sending anything.
    private double? _socShare;

    /// <summary>Where a member starts in a dispatch: with SoC management its own correction on top of its preferred point.</summary>
    private Capability DispatchStart(PartitionMember member, PartitionRoundRequest request)
    {
        var capability = member.Report.Capability;
        var shiftKw = request.SocManagementShare is { } share
            ? SocShiftKw(member.Report, share, new SocCorrectionLimits(request.SocDischargeShare, request.SocChargeShare))
            : 0;
        return shiftKw == 0 ? capability : capability with { PreferredKw = capability.PreferredKw + shiftKw };
    }

    /// <summary>
    /// How far SoC management moves an online battery from its preferred point when it holds <paramref name="share"/>
    /// of its power as reserve: the correction for its own SoC window within the limits, within what it can do now.
    /// </summary>
    private double SocShiftKw(MemberReport report, double share, SocCorrectionLimits limits)
    {
        if (SocBattery(report, share) is not var (battery, socPercent, reserveKw))
        {
            return 0;
        }

        var urgency = FcrSocManagement.Urgency(battery, reserveKw, socPercent, _options.GridServices.Fcr);
        var correctionKw = FcrSocManagement.CorrectionKw(battery, reserveKw, urgency, limits);
        var capability = report.Capability;
        return Math.Clamp(capability.PreferredKw + correctionKw, capability.MinKw, capability.MaxKw) - capability.PreferredKw;
    }

    /// <summary>An online battery with its SoC and its reserve at <paramref name="share"/>; null for anything else.</summary>
    private static (BatteryEnergy Battery, double SocPercent, double ReserveKw)? SocBattery(MemberReport report, double share) =>
        report is { Status: AssetStatus.Online, Battery: { } reported } && share > 0 && reported.ForFcr() is var (battery, socPercent)
            ? (battery, socPercent, share * reported.PowerKw)
            : null;

    /// <summary>
    /// The members' urgency × reserve per marginal cost and where they stand against their windows, at the last share
    /// sent; nulls before SoC management ever ran here.
    /// </summary>
    private (SocShift[]? Shifts, SocBalance? Balance) SocManagementSummary()
    {
        if (_socShare is not { } share)
        {
            return (null, null);
        }

        var settings = _options.GridServices.Fcr;
        var byCost = new SortedDictionary<double, (double DischargeKw, double ChargeKw)>();
        double sellKwh = 0, buyKwh = 0;
        int alertUp = 0, alertDown = 0;
        foreach (var member in _members.Values)
        {
            if (SocBattery(member.Report, share) is not var (battery, socPercent, reserveKw))
            {
                continue;
            }

            var urgencyKw = FcrSocManagement.Urgency(battery, reserveKw, socPercent, settings) * reserveKw;
            if (urgencyKw != 0)
            {
                var cost = member.Report.Capability.MarginalCostEurPerMwh;
                var (dischargeKw, chargeKw) = byCost.GetValueOrDefault(cost);
                byCost[cost] = urgencyKw > 0 ? (dischargeKw + urgencyKw, chargeKw) : (dischargeKw, chargeKw - urgencyKw);
            }

            var trade = FcrSocManagement.Trade(battery, reserveKw, socPercent, settings);
            sellKwh += trade.SellKwh;
            buyKwh += trade.BuyKwh;
            var alert = FcrSocManagement.Alert(battery, reserveKw, socPercent, settings);
            alertUp += alert.HasFlag(FcrReserveAlert.Up) ? 1 : 0;
            alertDown += alert.HasFlag(FcrReserveAlert.Down) ? 1 : 0;
        }

        return ([.. byCost.Select(c => new SocShift(c.Key, c.Value.DischargeKw, c.Value.ChargeKw))], new SocBalance(sellKwh, buyKwh, alertUp, alertDown));
    }

    public Task<PartitionSummary> SetSocManagementShareAsync(double share)
    {
        _socShare = share;
        return Task.FromResult(BuildSummary([], [], reported: false));
    }

    /// <summary>A new share changes every battery's shift: the fleet hears of it with the next summary.</summary>
    private void NoteSocShare(double? share)
    {
        if (share is { } s && s != _socShare)
        {
            _socShare = s;
            _reporter.Changed();
        }
    }
}
