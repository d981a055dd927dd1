using Vpp.Domain.Assets;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Schedules;

namespace Vpp.Domain.VirtualBatteries;

/// <summary>
/// What the fleet can give its slices in a quarter hour ahead, and each slice's part of it. Planned unavailabilities
/// of online batteries take their power out of the quarter hours they overlap; what is left is shared pro rata to the
/// slices' power, the same share each, as the re-validation curtails (<see cref="SliceNetting.ProRata"/>): were every
/// slice to ask its full power one way, each would get that share of it.
/// </summary>
public static class SliceAvailability
{
    /// <summary>
    /// The fleet's range for slices in a quarter hour: the range now (<paramref name="nowKw"/>, the online batteries
    /// less the fleet-level dispatch and the commitments) less the discharge and charge power of the online batteries
    /// that will be out then.
    /// </summary>
    public static PowerRange Ahead(PowerRange nowKw, double outDischargeKw, double outChargeKw) =>
        new(Math.Min(0, nowKw.MinKw + Math.Max(0, outChargeKw)), Math.Max(0, nowKw.MaxKw - Math.Max(0, outDischargeKw)));

    /// <summary>
    /// The discharge and charge power of the online batteries out in quarter hour <paramref name="quarter"/> of
    /// <paramref name="groups"/> (the fleet's online assets folded, with each group's power out per quarter hour).
    /// </summary>
    public static (double DischargeKw, double ChargeKw) Out(IEnumerable<GroupTotals> groups, int quarter)
    {
        double dischargeKw = 0, chargeKw = 0;
        foreach (var group in groups.Where(g => g.Kind == AssetKind.Battery && g.PowerKw > 0 && quarter < g.UnavailableKw.Length))
        {
            var share = Math.Clamp(group.UnavailableKw[quarter] / group.PowerKw, 0, 1);
            dischargeKw += share * Math.Max(0, group.MaxKw);
            chargeKw += share * Math.Max(0, -group.MinKw);
        }

        return (dischargeKw, chargeKw);
    }

    /// <summary>
    /// A slice of <paramref name="powerKw"/>'s part of <paramref name="fleetKw"/> when slices of
    /// <paramref name="soldPowerKw"/> in all are sold for the quarter hour: its power while they fit, else the same
    /// share of it as every other slice's.
    /// </summary>
    public static PowerRange Share(PowerRange fleetKw, double powerKw, double soldPowerKw)
    {
        if (soldPowerKw <= 0)
        {
            return new PowerRange(-powerKw, powerKw);
        }

        var upShare = Math.Clamp(fleetKw.MaxKw / soldPowerKw, 0, 1);
        var downShare = Math.Clamp(-fleetKw.MinKw / soldPowerKw, 0, 1);
        return new PowerRange(-powerKw * downShare, powerKw * upShare);
    }

    /// <summary>What the slice can hold itself (<paramref name="ownKw"/>) within its part of the fleet (<paramref name="shareKw"/>).</summary>
    public static PowerRange Within(PowerRange ownKw, PowerRange shareKw) =>
        new(Math.Min(0, Math.Max(ownKw.MinKw, shareKw.MinKw)), Math.Max(0, Math.Min(ownKw.MaxKw, shareKw.MaxKw)));
}
