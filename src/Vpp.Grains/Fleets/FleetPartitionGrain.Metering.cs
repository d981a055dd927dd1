using Vpp.Abstractions.Assets;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Metering: the partition sums its members' measured active power for the fleet. A measurement alone does not
/// send a report up: it marks the sum changed, and a timer pushes it at most once per
/// <see cref="VppOptions.MeasuredSummaryInterval"/> (status and capability changes still go at once and carry the sum
/// along). The same tick notices members whose measurement went stale, which no message announces.
/// </summary>
public sealed partial class FleetPartitionGrain
{
    /// <summary>The measured sum of this partition's members now.</summary>
    private readonly record struct MeasuredSum(double Kw, int Count, int StaleCount, DateTimeOffset? LatestAt);

    private IGrainTimer? _measuredTimer;
    private bool _measuredDirty;
    private (int Count, int StaleCount) _reportedMeasuredCounts;

    private static bool OnlyMeasurementDiffers(MemberReport before, MemberReport after) =>
        before != after && before == after with { MeasuredKw = before.MeasuredKw, MeasuredAt = before.MeasuredAt };

    private void OnMeasurementChanged()
    {
        _measuredDirty = true;
        WatchMeasurements();
    }

    /// <summary>Keeps the tick running while members have measurements that may go stale.</summary>
    private void WatchMeasurements() =>
        _measuredTimer ??= this.RegisterGrainTimer(
            MeasuredTickAsync,
            new GrainTimerCreationOptions(_options.MeasuredSummaryInterval, _options.MeasuredSummaryInterval) { Interleave = true });

    private Task MeasuredTickAsync(CancellationToken cancellationToken)
    {
        var now = Measure(reported: false);
        if (_measuredDirty || (now.Count, now.StaleCount) != _reportedMeasuredCounts)
        {
            _measuredDirty = false;
            _reporter.Changed();
        }
        else if (now.Count == 0)
        {
            // Nothing fresh left to go stale: sleep until the next measurement arrives.
            _measuredTimer?.Dispose();
            _measuredTimer = null;
        }

        return Task.CompletedTask;
    }

    /// <summary>Sums the members measured within <see cref="VppOptions.MeasurementStaleAfter"/>; counts the others that ever measured as stale.</summary>
    private MeasuredSum Measure(bool reported)
    {
        var freshFrom = clock.GetUtcNow() - _options.MeasurementStaleAfter;
        double kw = 0;
        int count = 0, stale = 0;
        DateTimeOffset? latest = null;
        foreach (var member in _members.Values)
        {
            if (member.Report is not { MeasuredKw: { } measuredKw, MeasuredAt: { } at })
            {
                continue;
            }

            if (at < freshFrom)
            {
                stale++;
                continue;
            }

            kw += measuredKw;
            count++;
            latest = latest is { } l && l > at ? l : at;
        }

        if (reported)
        {
            _reportedMeasuredCounts = (count, stale);
        }

        return new MeasuredSum(kw, count, stale, latest);
    }
}
