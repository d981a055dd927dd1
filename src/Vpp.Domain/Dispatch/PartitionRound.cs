namespace Vpp.Domain.Dispatch;

/// <summary>
/// The partition side of one dispatch round (see <see cref="DispatchRounds{TKey}"/>): per member, the setpoint the
/// fleet's plan asks of it and what it can still move once it acknowledged; over the members, the totals the
/// partition answers with. Per member it only adds to running sums, so a partition of 100,000 members allocates
/// nothing per member.
/// </summary>
public sealed class PartitionRound(DispatchPlan plan, bool firstRound)
{
    private readonly SupplyCurve _residual = new();

    /// <summary>Sum of what the members in the dispatch hold after this round.</summary>
    public double AcceptedKw { get; private set; }

    /// <summary>What the members in the dispatch can still move, folded by cost.</summary>
    public IReadOnlyCollection<CostLevel> ResidualCurve => _residual.Levels;

    /// <summary>
    /// The setpoint to send a member whose residual capability is <paramref name="residual"/>; null when it would only
    /// repeat the member's last acknowledgement (after the first round, where everyone is asked).
    /// </summary>
    public double? RequestFor(Capability residual)
    {
        var requestedKw = plan.SetpointFor(residual);
        return !firstRound && Math.Abs(requestedKw - residual.PreferredKw) <= Capability.ToleranceKw ? null : requestedKw;
    }

    /// <summary>
    /// What a member can still move after acknowledging <paramref name="acceptedKw"/> with the capability it reported
    /// with the acknowledgement: later rounds start from there, and a member that jumped a forbidden gap stays out of it.
    /// </summary>
    public static Capability ResidualAfter(Capability capabilityAfter, double acceptedKw) => capabilityAfter.ResidualAfter(acceptedKw);

    /// <summary>Counts one member that is in the dispatch, holding <paramref name="acceptedKw"/> with <paramref name="residual"/> left.</summary>
    public void Count(double acceptedKw, Capability residual)
    {
        AcceptedKw += acceptedKw;
        _residual.Add(residual);
    }
}
