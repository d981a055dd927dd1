namespace Vpp.Domain.Dispatch;

/// <summary>
/// What one asset can deliver right now (net export, kW) and what it costs.
/// <see cref="PreferredKw"/> is where the asset sits without instructions (a battery idles at 0, solar runs at
/// what is available, a load at its baseline); dispatch moves assets away from it in merit order.
/// A positive <see cref="MinStableKw"/> on an asset whose range includes 0 forbids the gap (0, MinStableKw):
/// a CHP plant is either off or running at least at its minimum stable power.
/// </summary>
public readonly record struct Capability(
    double MinKw,
    double MaxKw,
    double PreferredKw,
    double MarginalCostEurPerMwh,
    double MinStableKw = 0)
{
    /// <summary>Tolerance for comparing power values (1 W).</summary>
    public const double ToleranceKw = 1e-3;

    public static readonly Capability None = new(0, 0, 0, 0);

    public bool HasForbiddenGap => MinStableKw > 0 && MinKw <= 0 && MaxKw >= MinStableKw;

    public double HeadroomUpKw => MaxKw - PreferredKw;

    public double HeadroomDownKw => PreferredKw - MinKw;

    /// <summary>The setpoint the asset accepts for a request: clamped to its range, and out of a forbidden gap.</summary>
    public double Accept(double requestedKw)
    {
        var kw = Math.Clamp(requestedKw, MinKw, MaxKw);
        if (HasForbiddenGap && kw > 0 && kw < MinStableKw)
        {
            kw = kw < MinStableKw / 2 ? 0 : MinStableKw;
        }

        return kw;
    }

    /// <summary>
    /// What is left to move once the asset has accepted <paramref name="acceptedKw"/> in a dispatch round:
    /// it starts from there, and an asset that had to jump a forbidden gap is pinned (range of one point),
    /// so later rounds do not push it back into the gap.
    /// </summary>
    public Capability ResidualAfter(double acceptedKw)
    {
        if (HasForbiddenGap)
        {
            return acceptedKw >= MinStableKw
                ? this with { MinKw = MinStableKw, PreferredKw = acceptedKw, MinStableKw = 0 }
                : new Capability(acceptedKw, acceptedKw, acceptedKw, MarginalCostEurPerMwh);
        }

        return this with { PreferredKw = acceptedKw };
    }

    /// <summary>Builds a capability with the preferred point forced inside the range.</summary>
    public static Capability Create(double minKw, double maxKw, double preferredKw, double marginalCost, double minStableKw = 0)
    {
        if (minKw > maxKw)
        {
            (minKw, maxKw) = (maxKw, minKw);
        }

        var capability = new Capability(minKw, maxKw, Math.Clamp(preferredKw, minKw, maxKw), marginalCost, minStableKw);
        return capability with { PreferredKw = capability.Accept(capability.PreferredKw) };
    }

    /// <summary>True when the two differ by more than the tolerance anywhere (used to decide whether to push an update).</summary>
    public bool DiffersFrom(Capability other, double toleranceKw = ToleranceKw) =>
        Math.Abs(MinKw - other.MinKw) > toleranceKw
        || Math.Abs(MaxKw - other.MaxKw) > toleranceKw
        || Math.Abs(PreferredKw - other.PreferredKw) > toleranceKw
        || MarginalCostEurPerMwh != other.MarginalCostEurPerMwh
        || MinStableKw != other.MinStableKw;
}
