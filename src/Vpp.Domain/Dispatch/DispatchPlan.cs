namespace Vpp.Domain.Dispatch;

/// <summary>How far each cost level moves from its preferred point, as a share (0..1) of its headroom.</summary>
public readonly record struct CostFraction(double MarginalCostEurPerMwh, double Fraction);

/// <summary>
/// A dispatch decision small enough to send to every partition: a direction and, per marginal cost, the share
/// of headroom to use. Each partition turns it into setpoints for its own assets with <see cref="SetpointFor"/>,
/// so the fleet never handles per-asset data and two assets of equal cost always move pro rata.
/// </summary>
public sealed class DispatchPlan
{
    private readonly Dictionary<double, double> _fractionByCost;

    public DispatchPlan(int direction, IReadOnlyList<CostFraction> fractions)
    {
        Direction = Math.Sign(direction);
        Fractions = fractions;
        _fractionByCost = fractions.ToDictionary(f => f.MarginalCostEurPerMwh, f => f.Fraction);
    }

    /// <summary>+1: raise assets towards their maximum; -1: lower them towards their minimum; 0: hold at preferred.</summary>
    public int Direction { get; }

    public IReadOnlyList<CostFraction> Fractions { get; }

    public static readonly DispatchPlan Hold = new(0, []);

    /// <summary>The requested setpoint for one asset; an asset whose cost was not planned for stays where it prefers.</summary>
    public double SetpointFor(Capability c)
    {
        if (Direction == 0 || !_fractionByCost.TryGetValue(c.MarginalCostEurPerMwh, out var fraction))
        {
            return c.PreferredKw;
        }

        return Direction > 0
            ? c.PreferredKw + (fraction * c.HeadroomUpKw)
            : c.PreferredKw - (fraction * c.HeadroomDownKw);
    }

    /// <summary>
    /// Plans the move from the curve's preferred output to <paramref name="targetKw"/> (clamped to what the curve can do).
    /// Merit order raises the cheapest levels first and lowers the dearest first; pro rata moves every level by the same share.
    /// </summary>
    public static DispatchPlan Create(SupplyCurve curve, double targetKw, DispatchStrategy strategy)
    {
        if (curve.IsEmpty)
        {
            return Hold;
        }

        var deltaKw = curve.ClampToFeasible(targetKw) - curve.PreferredKw;
        if (Math.Abs(deltaKw) <= Capability.ToleranceKw / 10)
        {
            return Hold;
        }

        var direction = deltaKw > 0 ? 1 : -1;
        var needKw = Math.Abs(deltaKw);
        var levels = curve.Levels.ToList();
        double Room(CostLevel l) => direction > 0 ? l.HeadroomUpKw : l.HeadroomDownKw;

        if (strategy == DispatchStrategy.ProRata)
        {
            var totalRoomKw = levels.Sum(Room);
            var share = totalRoomKw <= 0 ? 0 : Math.Min(1, needKw / totalRoomKw);
            return new DispatchPlan(direction, levels.Select(l => new CostFraction(l.MarginalCostEurPerMwh, share)).ToList());
        }

        var ordered = direction > 0 ? levels : Enumerable.Reverse(levels);
        var fractions = new List<CostFraction>(levels.Count);
        foreach (var level in ordered)
        {
            var roomKw = Room(level);
            var fraction = roomKw <= 0 || needKw <= 0 ? 0 : Math.Min(1, needKw / roomKw);
            needKw -= fraction * roomKw;
            fractions.Add(new CostFraction(level.MarginalCostEurPerMwh, fraction));
        }

        return new DispatchPlan(direction, fractions);
    }
}
