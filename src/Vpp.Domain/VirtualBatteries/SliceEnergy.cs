using Vpp.Domain.Assets;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Schedules;

namespace Vpp.Domain.VirtualBatteries;

/// <summary>
/// The slices' setpoints for one quarter hour after the energy check: <see cref="Direction"/> is the way that did not
/// fit (+1 discharge, −1 charge, 0 none) and <see cref="CurtailedShare"/> the share every slice asking that way lost.
/// </summary>
public sealed record SliceEnergyCurtailment(double[] SetpointsKw, double CurtailedShare, int Direction)
{
    public bool Curtailed => CurtailedShare > 0 && Direction != 0;
}

/// <summary>
/// The energy check of a quarter hour's slices against the physical batteries: the slices' net over the quarter hour
/// must fit the energy the online batteries can still deliver to the grid (to their minimum SoC) or absorb from it (to
/// their maximum SoC), both after losses, less the energy of the batteries planned to be out in the quarter hour, what
/// the rest of the fleet's plan uses before and during the quarter hour and the energy the grid-service commitments hold. When it does not fit, only the slices asking in the binding
/// direction are curtailed, each by the same share of its request: the others make room and lose nothing.
/// </summary>
public static class SliceEnergy
{
    /// <summary>Differences below this are rounding, not a shortfall.</summary>
    public const double ToleranceKwh = 1e-6;

    /// <summary>
    /// The energy the online batteries can give the slices in the quarter hour from <paramref name="slotStart"/>
    /// (discharge, charge; kWh at the grid): <paramref name="storage"/> (their deliverable and absorbable energy now)
    /// less <paramref name="plannedOut"/> (the energy of those planned to be out at any time in the quarter hour,
    /// <see cref="Out"/>), less the fleet-level dispatch (<paramref name="fleetLevelKw"/>) held until the quarter hour ends, less the
    /// slices' net now (<paramref name="slicesNowKw"/>) held until it starts, less the commitments' energy: a band of
    /// <paramref name="upCommitmentKw"/> / <paramref name="downCommitmentKw"/> held for
    /// <see cref="SliceAllocation.CommitmentEnergyDuration"/>. Energy one way is not credited to the other, to stay on
    /// the safe side.
    /// </summary>
    public static (double DeliverableKwh, double AbsorbableKwh) Headroom(
        StoragePool storage, (double DeliverableKwh, double AbsorbableKwh) plannedOut, DateTimeOffset now, DateTimeOffset slotStart,
        double fleetLevelKw, double slicesNowKw, double upCommitmentKw, double downCommitmentKw)
    {
        var untilEndHours = Math.Max(0, (slotStart + QuarterHour.Length - now).TotalHours);
        var untilStartHours = Math.Max(0, (slotStart - now).TotalHours);
        var commitmentHours = SliceAllocation.CommitmentEnergyDuration.TotalHours;
        var deliverableKwh = storage.DeliverableKwh
            - Math.Max(0, plannedOut.DeliverableKwh)
            - (Math.Max(0, fleetLevelKw) * untilEndHours)
            - (Math.Max(0, slicesNowKw) * untilStartHours)
            - (Math.Max(0, upCommitmentKw) * commitmentHours);
        var absorbableKwh = storage.AbsorbableKwh
            - Math.Max(0, plannedOut.AbsorbableKwh)
            - (Math.Max(0, -fleetLevelKw) * untilEndHours)
            - (Math.Max(0, -slicesNowKw) * untilStartHours)
            - (Math.Max(0, downCommitmentKw) * commitmentHours);
        return (Math.Max(0, deliverableKwh), Math.Max(0, absorbableKwh));
    }

    /// <summary>
    /// The energy of the online batteries planned to be out in quarter hour <paramref name="quarter"/> of
    /// <paramref name="groups"/> (the fleet's online assets folded, with each group's power out per quarter hour): what
    /// they could deliver to the grid (down to their minimum SoC, after losses) and absorb from it (up to their maximum
    /// SoC, before losses). A battery out for any part of the quarter hour holds none of the slices' energy in it, as it
    /// holds none of their power (<see cref="SliceAvailability.Out"/>). Batteries folded into one group (same kind, cost
    /// and efficiency) count as their share of the group's power, so of its energy: exact for a group of one battery or
    /// of batteries at the same energy per kW, with the SoC inside its limits (the group holds it clamped to them).
    /// </summary>
    public static (double DeliverableKwh, double AbsorbableKwh) Out(IEnumerable<GroupTotals> groups, int quarter)
    {
        double deliverableKwh = 0, absorbableKwh = 0;
        foreach (var group in groups.Where(g => g.Kind == AssetKind.Battery && g.PowerKw > 0 && quarter < g.UnavailableKw.Length))
        {
            var share = Math.Clamp(group.UnavailableKw[quarter] / group.PowerKw, 0, 1);
            var oneWay = Math.Sqrt(Math.Clamp(group.RoundTripEfficiency, double.Epsilon, 1)); // η_c = η_d = √η, as BatteryEnergy
            deliverableKwh += share * Math.Max(0, group.StoredKwh - group.MinStoredKwh) * oneWay;
            absorbableKwh += share * Math.Max(0, group.MaxStoredKwh - group.StoredKwh) / oneWay;
        }

        return (deliverableKwh, absorbableKwh);
    }

    /// <summary>
    /// Curtails <paramref name="setpointsKw"/> (for one quarter hour) so their net energy fits
    /// <paramref name="deliverableKwh"/> when discharging and <paramref name="absorbableKwh"/> when charging: the
    /// slices asking in the binding direction lose the same share, just enough; the others are unchanged.
    /// </summary>
    public static SliceEnergyCurtailment Fit(IReadOnlyList<double> setpointsKw, double deliverableKwh, double absorbableKwh)
    {
        var hours = QuarterHour.Length.TotalHours;
        double dischargeKw = 0, chargeKw = 0;
        foreach (var kw in setpointsKw)
        {
            (dischargeKw, chargeKw) = kw > 0 ? (dischargeKw + kw, chargeKw) : (dischargeKw, chargeKw - kw);
        }

        var netKwh = (dischargeKw - chargeKw) * hours;
        if (netKwh > Math.Max(0, deliverableKwh) + ToleranceKwh)
        {
            // Discharging slices keep what the batteries can deliver plus what the charging slices put in.
            var share = 1 - (((Math.Max(0, deliverableKwh) / hours) + chargeKw) / dischargeKw);
            return Curtail(setpointsKw, +1, share);
        }

        if (-netKwh > Math.Max(0, absorbableKwh) + ToleranceKwh)
        {
            var share = 1 - (((Math.Max(0, absorbableKwh) / hours) + dischargeKw) / chargeKw);
            return Curtail(setpointsKw, -1, share);
        }

        return new SliceEnergyCurtailment([.. setpointsKw], 0, 0);
    }

    /// <summary>Takes <paramref name="share"/> off every setpoint in <paramref name="direction"/> (+1 discharge, −1 charge).</summary>
    public static SliceEnergyCurtailment Curtail(IReadOnlyList<double> setpointsKw, int direction, double share)
    {
        share = Math.Clamp(share, 0, 1);
        if (direction == 0 || share == 0)
        {
            return new SliceEnergyCurtailment([.. setpointsKw], 0, 0);
        }

        return new SliceEnergyCurtailment(
            [.. setpointsKw.Select(kw => Math.Sign(kw) == direction ? kw * (1 - share) : kw)], share, direction);
    }
}
