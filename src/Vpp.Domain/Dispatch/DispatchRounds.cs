namespace Vpp.Domain.Dispatch;

/// <summary>Defaults of the dispatch round engine.</summary>
public static class DispatchRounds
{
    /// <summary>Rounds of plan → acceptance → residual before a dispatch reports what is left as shortfall.</summary>
    public const int DefaultMaxRounds = 3;
}

/// <summary>What one partition answered in a round: the power its members accepted and what they can still move.</summary>
public readonly record struct PartitionOutcome<TKey>(TKey Partition, double AcceptedKw, IReadOnlyCollection<CostLevel> ResidualCurve);

/// <summary>
/// The fleet side of one dispatch: plan on the summed supply curve, let the partitions turn the plan into
/// acknowledged setpoints (<see cref="PartitionRound"/>), sum what they accepted and what they can still move, and
/// plan the remainder over that residual in the next round. It stops when the target is met, when nobody left can
/// move towards it, or after the maximum number of rounds. The fleet grain runs it over partition grains; the
/// property tests run it over in-memory partitions.
/// </summary>
public sealed class DispatchRounds<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, double> _acceptedKw = [];
    private readonly double _targetKw;
    private readonly DispatchStrategy _strategy;
    private readonly int _maxRounds;
    private SupplyCurve _curve;
    private double _goalKw;
    private List<TKey> _participants;

    /// <param name="curve">The summed supply curve of the <paramref name="participants"/>.</param>
    public DispatchRounds(double targetKw, DispatchStrategy strategy, SupplyCurve curve, IEnumerable<TKey> participants, int maxRounds)
    {
        _targetKw = targetKw;
        _goalKw = targetKw;
        _strategy = strategy;
        _curve = curve;
        _participants = [.. participants];
        _maxRounds = Math.Max(1, maxRounds);
        Done = _participants.Count == 0;
    }

    /// <summary>Rounds planned so far (1 during the first).</summary>
    public int Round { get; private set; }

    /// <summary>The partitions to send the next plan to: those that can still move.</summary>
    public IReadOnlyList<TKey> Participants => _participants;

    public bool Done { get; private set; }

    /// <summary>What the partitions acknowledged in total (each partition's latest answer).</summary>
    public double AllocatedKw { get; private set; }

    public IReadOnlyDictionary<TKey, double> AcceptedKw => _acceptedKw;

    /// <summary>Target minus allocated; 0 within the 1 W tolerance.</summary>
    public double ShortfallKw => Math.Abs(_targetKw - AllocatedKw) <= Capability.ToleranceKw ? 0 : _targetKw - AllocatedKw;

    /// <summary>Starts the next round: the plan for what is still missing, on what the participants can still move.</summary>
    public DispatchPlan NextPlan()
    {
        if (Done)
        {
            throw new InvalidOperationException("The dispatch has finished; no further round can be planned.");
        }

        Round++;
        return DispatchPlan.Create(_curve, _goalKw, _strategy);
    }

    /// <summary>
    /// Ends the round with the participants' answers (a partition that failed answers 0 kW and no residual). Partitions
    /// with nothing left to move keep what they accepted; the rest aim for the remainder in the next round.
    /// </summary>
    public void Complete(IEnumerable<PartitionOutcome<TKey>> outcomes)
    {
        var curve = new SupplyCurve();
        var next = new List<TKey>();
        var moving = new HashSet<TKey>();
        foreach (var outcome in outcomes)
        {
            _acceptedKw[outcome.Partition] = outcome.AcceptedKw;
            if (outcome.ResidualCurve.Count > 0)
            {
                next.Add(outcome.Partition);
                moving.Add(outcome.Partition);
                foreach (var level in outcome.ResidualCurve)
                {
                    curve.Add(level);
                }
            }
        }

        double allocatedKw = 0, fixedKw = 0;
        foreach (var (partition, kw) in _acceptedKw)
        {
            allocatedKw += kw;
            fixedKw += moving.Contains(partition) ? 0 : kw;
        }

        AllocatedKw = allocatedKw;
        _goalKw = _targetKw - fixedKw;
        _curve = curve;
        _participants = next;
        var reachableKw = fixedKw + curve.ClampToFeasible(_goalKw);
        Done = Math.Abs(reachableKw - allocatedKw) <= Capability.ToleranceKw // met, or nobody left who can move towards it
            || next.Count == 0
            || Round >= _maxRounds;
    }
}
