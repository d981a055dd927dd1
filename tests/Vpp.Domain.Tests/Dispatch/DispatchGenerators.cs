using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Vpp.Domain.Dispatch;

namespace Vpp.Domain.Tests.Dispatch;

/// <summary>A fleet of asset capabilities, a target and a strategy: the input of one allocation.</summary>
public sealed record FleetCase(Capability[] Assets, double TargetKw, DispatchStrategy Strategy)
{
    public double SumMinKw => Assets.Sum(a => a.MinKw);

    public double SumMaxKw => Assets.Sum(a => a.MaxKw);

    public double SumPreferredKw => Assets.Sum(a => a.PreferredKw);

    /// <summary>
    /// Comparison tolerance: 1e-6 of the largest power in the fleet (floating-point noise of sums of up to
    /// 200 values of ±1e5 kW is far below that), never tighter than the domain's own 1 W tolerance.
    /// </summary>
    public double ToleranceKw =>
        Math.Max(Capability.ToleranceKw, 1e-6 * Assets.Select(a => Math.Max(Math.Abs(a.MinKw), Math.Abs(a.MaxKw))).DefaultIfEmpty(0).Max());

    /// <summary>The assets are spread over 1–4 partitions, as a fleet grain spreads its members over partition grains.</summary>
    public int PartitionCount => 1 + (Assets.Length % 4);

    public Allocation Allocate() => Allocate(Strategy);

    public Allocation Allocate(DispatchStrategy strategy) =>
        Allocator.Allocate(Assets, TargetKw, strategy, partitionCount: PartitionCount);

    /// <summary>Printed as C# so a shrunk counterexample can be pasted into a unit test.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"target {Kw(TargetKw)} kW, {Strategy}, {Assets.Length} assets: [");
        foreach (var a in Assets)
        {
            sb.Append(CultureInfo.InvariantCulture, $"new({Kw(a.MinKw)}, {Kw(a.MaxKw)}, {Kw(a.PreferredKw)}, {Kw(a.MarginalCostEurPerMwh)}");
            sb.Append(a.MinStableKw != 0 ? string.Create(CultureInfo.InvariantCulture, $", {Kw(a.MinStableKw)}), ") : "), ");
        }

        return sb.Append(']').ToString();
    }

    private static string Kw(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A convex fleet (no forbidden gaps) split into partitions, as the fleet grain sees it.</summary>
public sealed record PartitionedFleet(Capability[][] Partitions, double TargetKw, DispatchStrategy Strategy)
{
    public override string ToString() =>
        $"target {TargetKw.ToString("R", CultureInfo.InvariantCulture)} kW, {Strategy}, partitions of "
        + string.Join("/", Partitions.Select(p => p.Length));
}

/// <summary>
/// Realistic capability generators: convex ranges with min ≤ preferred ≤ max within ±1e5 kW (batteries around 0,
/// renewables at their ceiling, loads at their baseline, fixed points, general ranges), costs from a small set so
/// that ties are common, fleets of 1–200 assets, targets below, inside and above the fleet range.
/// </summary>
public static class DispatchArbitraries
{
    public const double MaxAbsKw = 100_000;

    /// <summary>Few distinct costs (with a negative one, and with fractions) so equal-cost groups form often.</summary>
    public static readonly double[] Costs = [-15, 0, 10, 10.5, 20, 45, 80];

    public static Gen<double> Cost => Gen.Elements(Costs);

    /// <summary>A power value in [-1e5, 1e5] kW: whole kW, small values, fractional values, and the edges.</summary>
    public static Gen<double> Kw => Gen.Frequency(
        (4, Gen.Choose(-100_000, 100_000).Select(i => (double)i)),
        (3, Gen.Choose(-500, 500).Select(i => (double)i)),
        (3, Gen.Choose(-100_000_000, 100_000_000).Select(i => i / 1000.0)),
        (1, Gen.Elements(0.0, 0.001, -0.001, MaxAbsKw, -MaxAbsKw)));

    public static Gen<double> NonNegativeKw => Kw.Select(Math.Abs);

    /// <summary>A share in [0, 1], with the ends likely.</summary>
    public static Gen<double> Share => Gen.Frequency(
        (4, Gen.Choose(0, 1000).Select(i => i / 1000.0)),
        (1, Gen.Elements(0.0, 1.0)));

    public static Gen<Capability> ConvexCapability => Gen.Frequency(
        // General convex range: three values sorted.
        (5, from values in Gen.ArrayOf(Kw, 3)
            from cost in Cost
            let s = values.Order().ToArray()
            select new Capability(s[0], s[2], s[1], cost)),
        // Battery: charge..discharge, idling at 0.
        (3, from charge in NonNegativeKw
            from discharge in NonNegativeKw
            from cost in Cost
            select new Capability(-charge, discharge, 0, cost)),
        // Solar/wind: curtailment only, running at what is available.
        (2, from available in NonNegativeKw
            from cost in Cost
            select new Capability(0, available, available, cost)),
        // Flexible load: sits at its baseline, can reduce consumption.
        (2, from a in NonNegativeKw
            from b in NonNegativeKw
            from cost in Cost
            select new Capability(-Math.Max(a, b), -Math.Min(a, b), -Math.Max(a, b), cost)),
        // No flexibility at all (ramp-pinned, unknown SoC, ...).
        (1, from x in Kw
            from cost in Cost
            select new Capability(x, x, x, cost)));

    /// <summary>A CHP-like asset: off (0) or in [minStable, max], currently off or running.</summary>
    public static Gen<Capability> ChpCapability =>
        from stable in Gen.Frequency(
            (3, Gen.Choose(1, 50_000).Select(i => (double)i)),
            (1, Gen.Choose(1, 1000).Select(i => i / 100.0)))
        from extra in Gen.Frequency((4, NonNegativeKw.Select(e => Math.Min(e, MaxAbsKw - stable))), (1, Gen.Constant(0.0)))
        from running in Gen.Elements(false, true)
        from share in Share
        from cost in Cost
        let max = stable + extra
        select new Capability(0, max, running ? stable + (share * extra) : 0, cost, stable);

    public static Gen<DispatchStrategy> Strategy => Gen.Elements(DispatchStrategy.MeritOrder, DispatchStrategy.ProRata);

    /// <summary>1–200 assets: small fleets often (easy to read when they fail), large ones too.</summary>
    public static Gen<int> FleetSize => Gen.Frequency((2, Gen.Choose(1, 6)), (3, Gen.Choose(1, 200)));

    /// <summary>A target below, at, inside (either side of the preferred output) or above the fleet range.</summary>
    public static Gen<double> TargetFor(IReadOnlyCollection<Capability> assets)
    {
        var min = assets.Sum(a => a.MinKw);
        var max = assets.Sum(a => a.MaxKw);
        var pref = assets.Sum(a => a.PreferredKw);
        return Gen.Frequency(
            (1, NonNegativeKw.Select(d => min - d - 1)),
            (1, Gen.Elements(min, max, pref)),
            (3, Share.Select(t => min + (t * (pref - min)))),
            (3, Share.Select(t => pref + (t * (max - pref)))),
            (1, NonNegativeKw.Select(d => max + d + 1)),
            (1, Kw));
    }

    public static Gen<FleetCase> FleetOf(Gen<Capability> asset) =>
        from n in FleetSize
        from assets in Gen.ArrayOf(asset, n)
        from target in TargetFor(assets)
        from strategy in Strategy
        select new FleetCase(assets, target, strategy);

    public static IEnumerable<FleetCase> Shrink(FleetCase f)
    {
        var n = f.Assets.Length;
        if (n > 1)
        {
            yield return f with { Assets = f.Assets[..(n / 2)] };
            yield return f with { Assets = f.Assets[(n / 2)..] };
            for (var i = 0; i < n; i++)
            {
                yield return f with { Assets = [.. f.Assets[..i], .. f.Assets[(i + 1)..]] };
            }
        }

        if (Math.Round(f.TargetKw) != f.TargetKw)
        {
            yield return f with { TargetKw = Math.Round(f.TargetKw) };
        }
    }

    /// <summary>Fleets whose assets are all convex (MinStableKw = 0).</summary>
    public static Arbitrary<ConvexFleet> ConvexFleets() =>
        Arb.From(FleetOf(ConvexCapability).Select(f => new ConvexFleet(f)), c => Shrink(c.Case).Select(f => new ConvexFleet(f)));

    /// <summary>Fleets mixing CHP-like assets (MinKw = 0, MinStableKw &gt; 0) with convex ones, or CHP only.</summary>
    public static Arbitrary<ChpFleet> ChpFleets() =>
        Arb.From(
            Gen.Frequency((1, FleetOf(ChpCapability)), (2, FleetOf(Gen.Frequency((1, ChpCapability), (1, ConvexCapability)))))
                .Select(f => new ChpFleet(f)),
            c => Shrink(c.Case).Select(f => new ChpFleet(f)));

    public static Arbitrary<PartitionedFleet> PartitionedFleets() =>
        Arb.From(
            from partitionCount in Gen.Choose(1, 8)
            from partitions in Gen.ArrayOf(Gen.Choose(0, 30).SelectMany(n => Gen.ArrayOf(ConvexCapability, n)), partitionCount)
            from target in TargetFor(partitions.SelectMany(p => p).ToArray())
            from strategy in Strategy
            select new PartitionedFleet(partitions, target, strategy));
}

/// <summary>Wrapper so properties can ask for a convex fleet by type.</summary>
public sealed record ConvexFleet(FleetCase Case)
{
    public override string ToString() => Case.ToString();
}

/// <summary>Wrapper so properties can ask for a fleet with CHP-like assets by type.</summary>
public sealed record ChpFleet(FleetCase Case)
{
    public override string ToString() => Case.ToString();
}
