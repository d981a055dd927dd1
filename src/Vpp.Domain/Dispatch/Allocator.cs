namespace Vpp.Domain.Dispatch;

/// <summary>Result of splitting one fleet target over assets.</summary>
public sealed record Allocation(double TargetKw, double AllocatedKw, double[] SetpointsKw, int Rounds)
{
    /// <summary>Target minus allocated: positive when the fleet cannot export enough, negative when it cannot absorb enough.</summary>
    public double ShortfallKw => Math.Abs(TargetKw - AllocatedKw) <= Capability.ToleranceKw ? 0 : TargetKw - AllocatedKw;
}

/// <summary>
/// Splits a target over a flat list of assets in rounds: plan on the supply curve, let every asset accept
/// (clamp, jump forbidden gaps), then re-plan what is still missing over the assets that can still move.
/// Fleet grains run the same rounds, spread over partition grains; this is the single-process form that
/// tests and simulations use directly.
/// </summary>
public static class Allocator
{
    public const int DefaultMaxRounds = 4;

    public static Allocation Allocate(
        IReadOnlyList<Capability> assets, double targetKw, DispatchStrategy strategy, int maxRounds = DefaultMaxRounds)
    {
        var setpoints = new double[assets.Count];
        var residual = assets.ToArray();
        var curve = SupplyCurve.Of(residual);
        var goalKw = curve.ClampToFeasible(targetKw);
        var rounds = 0;
        for (var round = 0; round < maxRounds; round++)
        {
            rounds++;
            var plan = DispatchPlan.Create(SupplyCurve.Of(residual), goalKw, strategy);
            for (var i = 0; i < residual.Length; i++)
            {
                setpoints[i] = residual[i].Accept(plan.SetpointFor(residual[i]));
                residual[i] = residual[i].ResidualAfter(setpoints[i]);
            }

            if (Math.Abs(goalKw - setpoints.Sum()) <= Capability.ToleranceKw)
            {
                break;
            }
        }

        return new Allocation(targetKw, setpoints.Sum(), setpoints, rounds);
    }
}
