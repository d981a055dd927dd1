using Vpp.Domain.Schedules;

namespace Vpp.Domain.GridServices;

/// <summary>A composed target after the fleet's range: what is dispatched and what the range cut off the services.</summary>
public readonly record struct ClampedServiceTarget(ServiceTarget Target, double EffectiveKw, double ClampedKw)
{
    /// <summary>
    /// The SoC corrections left in the effective target: the range cuts them first, since they are the provider's own
    /// and the activations are the TSO's.
    /// </summary>
    public double SocEffectiveKw => Target.SocKw >= 0
        ? Math.Clamp(Target.SocKw - Math.Max(0, ClampedKw), 0, Target.SocKw)
        : Math.Clamp(Target.SocKw - Math.Min(0, ClampedKw), Target.SocKw, 0);

    /// <summary>The reserve activations (FCR response, aFRR) left in the effective target.</summary>
    public double ActivationEffectiveKw => EffectiveKw - Target.BaseKw - SocEffectiveKw;
}

public static class ServiceTargetRange
{
    /// <summary>
    /// Keeps the service offsets (FCR, aFRR) inside the fleet's feasible range. Only the offsets are cut: a base
    /// target that already lies outside the range stays as it is (its shortfall is the dispatch's to report), but the
    /// services never push the target further out. <see cref="ClampedServiceTarget.ClampedKw"/> is the part of the
    /// composed total that was cut (positive when an upward request was cut).
    /// </summary>
    public static ClampedServiceTarget Within(this ServiceTarget target, PowerRange range)
    {
        var totalKw = target.TotalKw;
        var upperKw = Math.Max(target.BaseKw, range.MaxKw);
        var lowerKw = Math.Min(target.BaseKw, range.MinKw);
        var effectiveKw = Math.Max(lowerKw, Math.Min(totalKw, upperKw));
        return new ClampedServiceTarget(target, effectiveKw, totalKw - effectiveKw);
    }
}
