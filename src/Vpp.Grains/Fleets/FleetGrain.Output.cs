using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Measured output and the output history: the fleet sums what its partitions measured, and samples target,
/// allocated and measured output every <see cref="VppOptions.OutputSampleInterval"/> into a ring covering
/// <see cref="VppOptions.OutputHistoryRetention"/>. The history lives in the activation only (a restart or failover
/// starts it afresh); the sampling timer keeps a known fleet's activation alive so it has no holes while the silo runs.
/// </summary>
public sealed partial class FleetGrain
{
    public const int MaxOutputMinutes = 60;

    private OutputHistory? _output;
    private IGrainTimer? _outputTimer;

    /// <summary>The measured output of the fleet: the sum over partitions that have fresh measurements.</summary>
    private (double? Kw, DateTimeOffset? At, int Count, int StaleCount) Measured()
    {
        double kw = 0;
        int count = 0, stale = 0;
        DateTimeOffset? latest = null;
        foreach (var summary in _partitions.Values)
        {
            stale += summary.StaleCount;
            if (summary.MeasuredCount > 0)
            {
                kw += summary.MeasuredKw;
                count += summary.MeasuredCount;
                latest = latest is { } l && l > summary.MeasuredAt ? l : summary.MeasuredAt;
            }
        }

        return (count > 0 ? RoundKw(kw) : null, latest, count, stale);
    }

    private void StartOutputSampling()
    {
        if (_outputTimer is not null || !S.Known)
        {
            return;
        }

        _output ??= new OutputHistory(_options.OutputSampleInterval, _options.OutputHistoryRetention);

        // Twice per sample interval: the history keeps one sample per slot, so timer drift never leaves a slot empty.
        var period = _options.OutputSampleInterval / 2;
        _outputTimer = this.RegisterGrainTimer(
            SampleOutputAsync,
            new GrainTimerCreationOptions(TimeSpan.Zero, period) { Interleave = true, KeepAlive = true });
    }

    private Task SampleOutputAsync(CancellationToken cancellationToken)
    {
        _output?.Record(new OutputSample(clock.GetUtcNow(), EffectiveTargetKw, S.AllocatedKw, Measured().Kw));
        return Task.CompletedTask;
    }

    public Task<FleetOutput> GetOutputAsync(int minutes)
    {
        if (minutes is < 1 or > MaxOutputMinutes)
        {
            throw new InvalidInputException("minutes", $"must be a whole number from 1 to {MaxOutputMinutes}");
        }

        RequireKnown();
        StartOutputSampling();
        var from = clock.GetUtcNow() - TimeSpan.FromMinutes(minutes);
        return Task.FromResult(new FleetOutput(FleetId, _output!.Since(from)));
    }

    public Task<OutputSample[]> GetOutputAfterAsync(DateTimeOffset? after, int max)
    {
        RequireKnown();
        StartOutputSampling();
        return Task.FromResult(_output!.After(after, max));
    }
}
