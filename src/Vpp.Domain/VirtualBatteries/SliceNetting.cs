using Vpp.Domain.Schedules;

namespace Vpp.Domain.VirtualBatteries;

/// <summary>The slices' setpoints for one quarter hour after curtailment, and the share of every request that was cut.</summary>
public sealed record SliceCurtailment(double[] SetpointsKw, double CurtailedShare)
{
    public bool Curtailed => CurtailedShare > 0;

    public double NetKw => SliceNetting.NetKw(SetpointsKw);
}

/// <summary>
/// Netting and curtailment of a fleet's slices. Slices are netted physically: one charging and one discharging cancel,
/// and the fleet's slice component is the sum of their setpoints. When the fleet can deliver less net power than the
/// slices ask, every request is scaled by the same factor, so each slice loses the same share of its request and no
/// trader is cut alone.
/// </summary>
public static class SliceNetting
{
    public static double NetKw(IEnumerable<double> setpointsKw) => setpointsKw.Sum();

    /// <summary>
    /// The setpoints for <paramref name="requestsKw"/> when the fleet can deliver <paramref name="availableKw"/> for
    /// slices (a range holding 0: slices may always stand still). Unchanged when the net fits, unless a curtailment
    /// already announced for the slot (<paramref name="curtailedShareAtLeast"/>) cuts more.
    /// </summary>
    public static SliceCurtailment ProRata(IReadOnlyList<double> requestsKw, PowerRange availableKw, double curtailedShareAtLeast = 0)
    {
        var netKw = NetKw(requestsKw);
        var range = new PowerRange(Math.Min(0, availableKw.MinKw), Math.Max(0, availableKw.MaxKw));
        var share = range.Contains(netKw, toleranceKw: Dispatch.Capability.ToleranceKw) || netKw == 0 ? 0 : 1 - (range.Clamp(netKw) / netKw);
        share = Math.Clamp(Math.Max(share, curtailedShareAtLeast), 0, 1);
        return share == 0
            ? new SliceCurtailment([.. requestsKw], 0)
            : new SliceCurtailment([.. requestsKw.Select(kw => kw * (1 - share))], share);
    }
}
