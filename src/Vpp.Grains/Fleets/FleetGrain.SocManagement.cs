using Microsoft.Extensions.Logging;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.GridServices;
using Vpp.Domain.Dispatch;
using Vpp.Domain.GridServices;

namespace Vpp.Grains.Fleets;

/// <summary>
/// FCR SoC management at the fleet: the reserve share each battery holds, the limits the frequency puts on the
/// corrections (<see cref="FcrSocManagement.Limits"/>: the droop's direction only, 5 % of the reserve inside the
/// deadband, 20 % over-fulfilment outside it), their net on the fleet's target, and the alert when batteries can no
/// longer hold their reserve for the activation time — then only a scheduled trade brings them back, and the TSO is
/// to be informed (SOGL Art. 156(9)). Everything from the partitions' summaries, in O(partitions).
/// </summary>
public sealed partial class FleetGrain
{
    /// <summary>The battery corrections are sent again once they moved by this share of the band (each way summed)…</summary>
    private const double SocRedispatchShare = 0.01;

    /// <summary>
    /// …but not more often than this: SoC moves over minutes, and with 100,000 batteries drifting their sum would
    /// otherwise call for a fleet-wide dispatch with nearly every measurement. A changed target is never held back,
    /// nor are the corrections when the last dispatch ran without them (a new contract).
    /// </summary>
    private static readonly TimeSpan SocRedispatchInterval = TimeSpan.FromSeconds(30);

    private double _socManagementKw;
    private double _dispatchedSocMovedKw;
    private double? _socShareSent;
    private DateTimeOffset _socDispatchedAt;
    private bool _socDispatched;
    private FcrReserveAlert _recordedSocAlert;

    private bool SocRedispatchDue() =>
        Math.Abs(SocManagementMovedKw() - _dispatchedSocMovedKw) > Math.Max(Capability.ToleranceKw, G.FcrContractedKw * SocRedispatchShare)
        && (!_socDispatched || clock.GetUtcNow() - _socDispatchedAt >= SocRedispatchInterval);

    /// <summary>
    /// The reserve share each battery holds while the fleet has an FCR contract, or null without one. The band is
    /// spread over the online batteries pro rata to their power.
    /// </summary>
    private double? SocManagementShare()
    {
        if (G.FcrContractedKw <= 0)
        {
            return null;
        }

        var share = FcrSocManagement.ReserveShare(G.FcrContractedKw, _partitions.Values.Sum(p => p.Batteries.PowerKw));
        return share > 0 ? share : null;
    }

    /// <summary>
    /// How far the frequency lets the corrections go each way; none without a fresh measurement (the droop's direction
    /// is then unknown, and the response is 0 kW).
    /// </summary>
    private SocCorrectionLimits SocLimits() =>
        FreshFrequency is { } f ? FcrSocManagement.Limits(f.FrequencyHz, GridOptions.Fcr) : default;

    /// <summary>
    /// The net of the batteries' own SoC corrections (each towards its own window, see <see cref="FleetPartitionGrain"/>),
    /// added to the fleet's target: at 50.000 Hz a balanced pool nets to zero while its too-full batteries discharge
    /// into its too-empty ones.
    /// </summary>
    private double SocManagementKw()
    {
        var limits = SocLimits();
        return SocManagementShare() is null ? 0 : _partitions.Values.Sum(p => p.Batteries.SocShifts?.Sum(s => s.NetKw(limits.DischargeShare, limits.ChargeShare)) ?? 0);
    }

    /// <summary>How much SoC management moves batteries in all (both ways); a dispatch is due when this changed.</summary>
    private double SocManagementMovedKw()
    {
        var limits = SocLimits();
        return SocManagementShare() is null ? 0 : _partitions.Values.Sum(p => p.Batteries.SocShifts?.Sum(s => s.MovedKw(limits.DischargeShare, limits.ChargeShare)) ?? 0);
    }

    /// <summary>
    /// Before a dispatch with SoC management: partitions whose share is off by more than 1 % are sent the new one
    /// (a new contract, batteries gone or back), so the summaries the fleet plans with carry shifts at that share.
    /// Small differences are left to the dispatch itself: partitions apply the exact share and the rounds absorb
    /// the rest.
    /// </summary>
    private async Task SendSocShareIfChangedAsync()
    {
        if (SocManagementShare() is not { } share || _socShareSent is { } sent && Math.Abs(sent - share) <= share * 0.01)
        {
            return;
        }

        // One that cannot answer gets the exact share with the dispatch round.
        var online = _partitions.Where(p => p.Value.OnlineCount > 0).Select(p => p.Key).ToList();
        foreach (var summary in await AskPartitionsAsync(online, p => p.SetSocManagementShareAsync(share)))
        {
            if (summary is not null)
            {
                _partitions[summary.PartitionKey] = summary;
            }
        }

        _socShareSent = share;
    }

    /// <summary>The partitions' batteries against their windows, summed; empty without a contract.</summary>
    private (double SellKwh, double BuyKwh, FcrReserveAlert Alert) SocBalanceNow()
    {
        if (SocManagementShare() is null)
        {
            return (0, 0, FcrReserveAlert.None);
        }

        double sellKwh = 0, buyKwh = 0;
        var alert = FcrReserveAlert.None;
        foreach (var balance in _partitions.Values.Where(p => p.OnlineCount > 0).Select(p => p.Batteries.Soc).OfType<SocBalance>())
        {
            sellKwh += balance.TradeSellKwh;
            buyKwh += balance.TradeBuyKwh;
            alert |= (balance.AlertUpCount > 0 ? FcrReserveAlert.Up : FcrReserveAlert.None)
                | (balance.AlertDownCount > 0 ? FcrReserveAlert.Down : FcrReserveAlert.None);
        }

        return (sellKwh, buyKwh, alert);
    }

    /// <summary>The fleet view's FCR with the alert and the energy to trade.</summary>
    private FcrView WithSocBalance(FcrView view)
    {
        var (sellKwh, buyKwh, alert) = SocBalanceNow();
        return view with
        {
            SocTradeSellKwh = RoundKwh(sellKwh), SocTradeBuyKwh = RoundKwh(buyKwh),
            Alert = alert != FcrReserveAlert.None, AlertDirection = AlertDirection(alert),
        };
    }

    /// <summary>One <c>fcr-alert</c> event when batteries start (or stop) being unable to hold their reserve, per direction.</summary>
    private void RecordSocAlertIfChanged()
    {
        var (sellKwh, buyKwh, alert) = SocBalanceNow();
        if (alert == _recordedSocAlert)
        {
            return;
        }

        var previous = _recordedSocAlert;
        _recordedSocAlert = alert;
        var message = alert == FcrReserveAlert.None
            ? $"FCR alert ended: every battery holds its reserve for {GridOptions.Fcr.ActivationTime.TotalMinutes:0.#} min each way again (was {AlertDirection(previous)})"
            : $"FCR alert ({AlertDirection(alert)}): batteries cannot hold their reserve for {GridOptions.Fcr.ActivationTime.TotalMinutes:0.#} min "
              + $"{(alert == FcrReserveAlert.Both ? "either way" : alert == FcrReserveAlert.Up ? "upwards (too empty)" : "downwards (too full)")}; "
              + $"SoC management cannot restore them within the FCR freedoms: trade {sellKwh:0.###} kWh to sell and {buyKwh:0.###} kWh to buy by schedule, and inform the TSO";
        AddEvent(new FcrAlertEvent(
            0, clock.GetUtcNow(), message,
            TargetKw: _composed?.EffectiveKw, AllocatedKw: S.AllocatedKw, ShortfallKw: S.ShortfallKw));
        WriteEventsBehind();
        LogFcrAlert(FleetId, AlertDirection(alert) ?? "none");
    }

    private static string? AlertDirection(FcrReserveAlert alert) => alert switch
    {
        FcrReserveAlert.Up => "up",
        FcrReserveAlert.Down => "down",
        FcrReserveAlert.Both => "both",
        _ => null,
    };

    private static double RoundKwh(double kwh) => Math.Round(kwh, 3);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet {FleetId}: FCR reserve alert now {Direction}")]
    private partial void LogFcrAlert(string fleetId, string direction);
}
