using System.Collections;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Dispatch;
using Vpp.Domain.GridServices;

namespace Vpp.Grains.Fleets;

/// <summary>
/// What a fleet knows of its partitions: the newest summary each pushed or answered, and which did not answer a read or
/// a dispatch round. Without a fresh summary a partition is left out of dispatch (or keeps setpoints the fleet no
/// longer counts), so an unanswered partition is read again every <c>retryPeriod</c> until it answers; then
/// <c>recovered</c> is told, and the fleet spreads its standing target again.
/// </summary>
public sealed class FleetPartitions : IEnumerable<KeyValuePair<string, PartitionSummary>>
{
    private readonly Dictionary<string, PartitionSummary> _summaries = [];
    private readonly Func<string, Task<PartitionSummary>> _read;
    private readonly Action<string, Exception> _failed;
    private readonly Action _recovered;
    private readonly RetryUntilAnswered _unanswered;

    /// <param name="grain">The fleet grain: the retry runs on its timer.</param>
    /// <param name="retryPeriod">How often unanswered partitions are read again.</param>
    /// <param name="read">Reads a partition's summary.</param>
    /// <param name="failed">Told of a read or round a partition did not answer.</param>
    /// <param name="recovered">Told when partitions that had not answered were read again.</param>
    public FleetPartitions(
        IGrainBase grain, TimeSpan retryPeriod, Func<string, Task<PartitionSummary>> read, Action<string, Exception> failed, Action recovered)
    {
        _read = read;
        _failed = failed;
        _recovered = recovered;
        _unanswered = new RetryUntilAnswered(grain, retryPeriod, ReadAgainAsync);
    }

    public IEnumerable<PartitionSummary> Values => _summaries.Values;

    public PartitionSummary this[string key]
    {
        set => _summaries[key] = value;
    }

    public bool TryGetValue(string key, out PartitionSummary summary) => _summaries.TryGetValue(key, out summary!);

    /// <summary>Reads every partition's summary (activation); those that do not answer are read again until they do.</summary>
    public async Task ReadAllAsync(IEnumerable<string> keys)
    {
        foreach (var summary in await Task.WhenAll(keys.Select(ReadAsync)))
        {
            if (summary is not null)
            {
                _summaries[summary.PartitionKey] = summary;
            }
        }
    }

    /// <summary>A summary the partition pushed; true when the partition had not answered until now.</summary>
    public bool Reported(PartitionSummary summary)
    {
        _summaries[summary.PartitionKey] = summary;
        return _unanswered.Remove(summary.PartitionKey);
    }

    /// <summary>The partition answered a dispatch round: it has the latest plan, nothing left to repair.</summary>
    public void Answered(string key) => _unanswered.Remove(key);

    /// <summary>The partition did not answer a dispatch round: its assets may hold older setpoints, so it is read again.</summary>
    public void DidNotAnswer(string key, Exception error)
    {
        _failed(key, error);
        _unanswered.Add(key);
    }

    /// <summary>
    /// The supply curve of the partitions with online assets, and who they are. With SoC management the batteries start
    /// from their corrections: only the preferred point of their cost moves.
    /// </summary>
    public (SupplyCurve Curve, List<string> Participants) OnlineSupply(double? socShare, SocCorrectionLimits limits)
    {
        var curve = new SupplyCurve();
        var participants = new List<string>();
        foreach (var (key, summary) in _summaries)
        {
            if (summary.OnlineCount > 0)
            {
                participants.Add(key);
                curve.Add(new SupplyCurve(summary.Curve));
                foreach (var shift in socShare is null ? [] : summary.Batteries.SocShifts ?? [])
                {
                    curve.Add(new CostLevel(shift.MarginalCostEurPerMwh, 0, 0, shift.NetKw(limits.DischargeShare, limits.ChargeShare)));
                }
            }
        }

        return (curve, participants);
    }

    /// <summary>
    /// How far the online assets could move beyond the setpoints the fleet counts for them, as their partitions last
    /// reported: up (Σ max − Σ allocated) and down (Σ allocated − Σ min), kW.
    /// </summary>
    public (double UpKw, double DownKw) Headroom()
    {
        double maxKw = 0, minKw = 0, allocatedKw = 0;
        foreach (var summary in _summaries.Values)
        {
            if (summary.OnlineCount > 0)
            {
                foreach (var level in summary.Curve)
                {
                    maxKw += level.MaxKw;
                    minKw += level.MinKw;
                }

                allocatedKw += summary.AllocatedKw;
            }
        }

        return (Math.Max(0, maxKw - allocatedKw), Math.Max(0, allocatedKw - minKw));
    }

    /// <summary>Every participant's setpoints were just acknowledged within what its assets can do.</summary>
    public void Dispatched(IReadOnlyDictionary<string, double> acceptedKw)
    {
        foreach (var (key, kw) in acceptedKw)
        {
            if (_summaries.TryGetValue(key, out var summary))
            {
                _summaries[key] = summary with { InfeasibleKw = 0, AllocatedKw = kw };
            }
        }
    }

    public IEnumerator<KeyValuePair<string, PartitionSummary>> GetEnumerator() => _summaries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private async Task<PartitionSummary?> ReadAsync(string key)
    {
        try
        {
            return await _read(key);
        }
        catch (Exception ex)
        {
            // One unreadable partition must not keep the whole fleet from activating. It may have nothing to report
            // for a long time (members steady), so it is asked again until it answers.
            DidNotAnswer(key, ex.GetBaseException());
            return null;
        }
    }

    private async Task ReadAgainAsync(IReadOnlyList<string> keys)
    {
        var recovered = false;
        foreach (var (key, summary) in await Task.WhenAll(keys.Select(async key => (key, await ReadAsync(key)))))
        {
            if (summary is not null && _unanswered.Remove(key))
            {
                _summaries[key] = summary;
                recovered = true;
            }
        }

        if (recovered)
        {
            _recovered();
        }
    }
}
