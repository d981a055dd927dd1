using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Domain.GridServices;

namespace Vpp.Grains.Fleets;

/// <summary>
/// FCR SoC management per battery. While the fleet runs it (a contract, the frequency inside the deadband), each
/// online battery starts a dispatch from its own correction instead of its idle point: a battery above its SoC window
/// discharges, one below it charges, one inside is left alone — however full the rest of the pool is. The plan then
/// moves everyone from there as usual, so the correction stays on the batteries that need it and the fleet's target
/// only grows by the net of the corrections. Outside the deadband the fleet sends no share and the batteries
/// follow the plain plan: the response is never diluted.
/// </summary>
public sealed partial class FleetPartitionGrain
{
    // The reserve share the fleet last sent with SoC management on; null until it first ran here. The summary's
    // shifts are computed with it, so the fleet can plan the next dispatch before sending anything.
    private double? _socShare;

    /// <summary>Where a member starts in a dispatch: with SoC management its own correction on top of its preferred point.</summary>
    private Capability DispatchStart(Member member, double? socShare)
    {
        var capability = member.Report.Capability;
        var shiftKw = socShare is { } share ? SocShiftKw(member.Report, share) : 0;
        return shiftKw == 0 ? capability : capability with { PreferredKw = capability.PreferredKw + shiftKw };
    }

    /// <summary>
    /// How far SoC management moves an online battery from its preferred point when it holds <paramref name="share"/>
    /// of its power as reserve: the correction for its own SoC window, within what it can do right now.
    /// </summary>
    private double SocShiftKw(MemberReport report, double share)
    {
        if (report.Status != AssetStatus.Online || share <= 0 || BatteryPool.Battery(report) is not var (battery, socPercent))
        {
            return 0;
        }

        var correctionKw = FcrSocManagement.CorrectionKw(battery, share * report.BatteryPowerKw, socPercent, _options.GridServices.Fcr);
        var capability = report.Capability;
        return Math.Clamp(capability.PreferredKw + correctionKw, capability.MinKw, capability.MaxKw) - capability.PreferredKw;
    }

    /// <summary>The members' shifts per marginal cost at the last share sent; null before SoC management ever ran here.</summary>
    private SocShift[]? SocShifts()
    {
        if (_socShare is not { } share)
        {
            return null;
        }

        var byCost = new SortedDictionary<double, (double DischargeKw, double ChargeKw)>();
        foreach (var member in _members.Values)
        {
            var shiftKw = SocShiftKw(member.Report, share);
            if (shiftKw != 0)
            {
                var cost = member.Report.Capability.MarginalCostEurPerMwh;
                var (dischargeKw, chargeKw) = byCost.GetValueOrDefault(cost);
                byCost[cost] = shiftKw > 0 ? (dischargeKw + shiftKw, chargeKw) : (dischargeKw, chargeKw - shiftKw);
            }
        }

        return [.. byCost.Select(c => new SocShift(c.Key, c.Value.DischargeKw, c.Value.ChargeKw))];
    }

    public Task<PartitionSummary> SetSocManagementShareAsync(double share)
    {
        _socShare = share;
        return Task.FromResult(BuildSummary(withChanges: false));
    }

    /// <summary>A new share changes every battery's shift: the fleet hears of it with the next summary.</summary>
    private void NoteSocShare(double? share)
    {
        if (share is { } s && s != _socShare)
        {
            _socShare = s;
            MarkDirty();
        }
    }
}
