namespace Vpp.Grains.Fleets;

/// <summary>
/// Why the fleet's next re-dispatch runs, gathered until it runs: the assets whose status changed and the power they
/// took with them, the drift the assets could no longer hold, and whether the fleet was reactivated or partitions
/// that had not answered were reached again. Any number of causes share one re-dispatch; its event names them all.
/// </summary>
public sealed class PendingReallocation
{
    private readonly List<string> _assetIds = [];
    private DateTimeOffset? _changedSince;
    private double _lostKw;
    private double _driftKw;
    private double _headroomKw;
    private bool _afterActivation;
    private bool _afterRecovery;

    /// <summary>An asset dropped out (<paramref name="lostKw"/> of its share fell away) or came back (0 kW) at <paramref name="at"/>.</summary>
    public void Asset(string assetId, double lostKw, DateTimeOffset at)
    {
        _assetIds.Add(assetId);
        _lostKw += lostKw;
        _changedSince = _changedSince is { } since && since <= at ? since : at;
    }

    /// <summary>The assets together no longer hold <paramref name="driftKw"/> of the standing target.</summary>
    public void Drift(double driftKw)
    {
        _driftKw = driftKw;
        _lostKw += driftKw;
    }

    /// <summary>The assets can give <paramref name="headroomKw"/> more of a standing target they fell short of than at its last dispatch.</summary>
    public void Headroom(double headroomKw) => _headroomKw = headroomKw;

    /// <summary>The fleet was activated (restart or failover) and sends its standing target again.</summary>
    public void Reactivated() => _afterActivation = true;

    /// <summary>Partitions that had not answered were reached again and get the standing target.</summary>
    public void PartitionsRecovered() => _afterRecovery = true;

    /// <summary>The causes so far; the next re-dispatch starts gathering afresh.</summary>
    public ReallocationCauses Take()
    {
        var causes = new ReallocationCauses([.. _assetIds], _lostKw, _driftKw, _afterActivation, _afterRecovery)
        {
            ChangedSince = _changedSince,
            HeadroomKw = _headroomKw,
        };
        _assetIds.Clear();
        (_changedSince, _lostKw, _driftKw, _headroomKw, _afterActivation, _afterRecovery) = (null, 0, 0, 0, false, false);
        return causes;
    }
}

/// <summary>What one re-dispatch answers to; see <see cref="PendingReallocation"/>.</summary>
public sealed record ReallocationCauses(string[] AssetIds, double LostKw, double DriftKw, bool AfterActivation, bool AfterRecovery)
{
    /// <summary>When the earliest of the status changes happened (null without one): re-dispatches since then moved others for it.</summary>
    public DateTimeOffset? ChangedSince { get; init; }

    /// <summary>How much more of a target they fell short of the assets can give than at its last dispatch (kW; 0: none).</summary>
    public double HeadroomKw { get; init; }

    /// <summary>
    /// Without a status change or a reactivation (drift, or a partition reached again) re-dispatches can come every
    /// few seconds; the fleet records such ones at most once per interval.
    /// </summary>
    public bool DriftOnly => AssetIds.Length == 0 && !AfterActivation;

    /// <summary>The cause in words, for the re-dispatch's event.</summary>
    public string Describe()
    {
        var headroom = HeadroomKw > 0 ? $"{HeadroomKw:0.###} kW more the assets can give of a target they fell short of (ramping, weather)" : null;
        var cause = (AssetIds.Length, DriftKw) switch
        {
            (0, <= 0) when AfterActivation => "the fleet was reactivated (restart or failover)",
            (0, <= 0) when AfterRecovery => "partitions that had not answered were reached again",
            (0, <= 0) when headroom is not null => null,
            (> 0, > 0) => $"{AssetIds.Length} asset status change(s) and {DriftKw:0.###} kW the assets could no longer hold",
            (> 0, _) => $"{AssetIds.Length} asset status change(s)",
            _ => $"{DriftKw:0.###} kW the assets could no longer hold (SoC limits, weather)",
        };
        return cause is null ? headroom! : headroom is null ? cause : $"{cause} and {headroom}";
    }
}
