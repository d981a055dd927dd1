namespace Vpp.Domain.Dispatch;

/// <summary>Sum of the capabilities of all assets that share one marginal cost.</summary>
public readonly record struct CostLevel(double MarginalCostEurPerMwh, double MinKw, double MaxKw, double PreferredKw)
{
    public double HeadroomUpKw => MaxKw - PreferredKw;

    public double HeadroomDownKw => PreferredKw - MinKw;
}

/// <summary>
/// The fleet's capability folded by marginal cost, cheapest first. It is all a fleet needs to plan a merit-order
/// dispatch, and it adds up: partitions send theirs up and the fleet sums them, so planning costs
/// O(distinct costs), not O(assets).
/// </summary>
public sealed class SupplyCurve
{
    private readonly SortedDictionary<double, CostLevel> _levels = [];

    public SupplyCurve()
    {
    }

    public SupplyCurve(IEnumerable<CostLevel> levels)
    {
        foreach (var level in levels)
        {
            Add(level);
        }
    }

    public static SupplyCurve Of(IEnumerable<Capability> capabilities)
    {
        var curve = new SupplyCurve();
        foreach (var c in capabilities)
        {
            curve.Add(c);
        }

        return curve;
    }

    public IReadOnlyCollection<CostLevel> Levels => _levels.Values;

    public double MinKw => _levels.Values.Sum(l => l.MinKw);

    public double MaxKw => _levels.Values.Sum(l => l.MaxKw);

    public double PreferredKw => _levels.Values.Sum(l => l.PreferredKw);

    public bool IsEmpty => _levels.Count == 0;

    public void Add(Capability c) => Add(new CostLevel(c.MarginalCostEurPerMwh, c.MinKw, c.MaxKw, c.PreferredKw));

    public void Add(CostLevel level)
    {
        _levels[level.MarginalCostEurPerMwh] = _levels.TryGetValue(level.MarginalCostEurPerMwh, out var existing)
            ? new CostLevel(
                level.MarginalCostEurPerMwh,
                existing.MinKw + level.MinKw,
                existing.MaxKw + level.MaxKw,
                existing.PreferredKw + level.PreferredKw)
            : level;
    }

    public void Add(SupplyCurve other)
    {
        foreach (var level in other.Levels)
        {
            Add(level);
        }
    }

    /// <summary>The nearest value to <paramref name="targetKw"/> the curve can reach.</summary>
    public double ClampToFeasible(double targetKw) => IsEmpty ? 0 : Math.Clamp(targetKw, MinKw, MaxKw);
}
