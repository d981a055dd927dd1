using Microsoft.Extensions.Logging;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;

namespace Vpp.Grains.Fleets;

/// <summary>The last hour of a fleet's output samples ("fleetOutput"), so a restart or failover keeps the chart.</summary>
[GenerateSerializer]
public sealed class FleetOutputState
{
    [Id(0)] public List<OutputSample> Samples { get; set; } = [];
}

/// <summary>
/// Measured output and the output history: the fleet sums what its partitions measured, and samples target,
/// allocated and measured output every <see cref="VppOptions.OutputSampleInterval"/> into a ring covering
/// <see cref="VppOptions.OutputHistoryRetention"/>. The last hour (what the API serves) is written behind every
/// <see cref="VppOptions.OutputWriteInterval"/> and on deactivation, and read back on activation: a graceful restart
/// keeps the whole chart, a crash loses at most that interval (a gap, never invented samples). The sampling timer
/// keeps a known fleet's activation alive so it has no holes while the silo runs.
/// </summary>
public sealed partial class FleetGrain
{
    public const int MaxOutputMinutes = 60;

    private OutputHistory? _output;
    private IGrainTimer? _outputTimer;
    private IGrainTimer? _outputWriteTimer;
    private bool _outputUnwritten;

    /// <summary>The measured output of the fleet: the sum over partitions that have fresh measurements.</summary>
    private (double? Kw, DateTimeOffset? At, int Count, int StaleCount) Measured()
    {
        double kw = 0;
        int count = 0, stale = 0;
        DateTimeOffset? latest = null;
        foreach (var summary in _partitions.Values)
        {
            stale += summary.Measured.StaleCount;
            if (summary.Measured.Count > 0)
            {
                kw += summary.Measured.Kw;
                count += summary.Measured.Count;
                latest = latest is { } l && l > summary.Measured.At ? l : summary.Measured.At;
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

        _output ??= RestoredOutput();

        // Twice per sample interval: the history keeps one sample per slot, so timer drift never leaves a slot empty.
        var period = _options.OutputSampleInterval / 2;
        _outputTimer = this.RegisterGrainTimer(
            SampleOutputAsync,
            new GrainTimerCreationOptions(TimeSpan.Zero, period) { Interleave = true, KeepAlive = true });
        _outputWriteTimer = this.RegisterGrainTimer(
            _ =>
            {
                // A held reserve activation is booked as it goes, so settlement (read from storage) sees it.
                AccrueActivations();
                return WriteOutputAsync();
            },
            new GrainTimerCreationOptions(_options.OutputWriteInterval, _options.OutputWriteInterval));
    }

    private Task SampleOutputAsync(CancellationToken cancellationToken)
    {
        _outputUnwritten |= _output?.Record(new OutputSample(clock.GetUtcNow(), EffectiveTargetKw, S.AllocatedKw, Measured().Kw)) == true;
        return Task.CompletedTask;
    }

    private OutputHistory RestoredOutput()
    {
        var history = new OutputHistory(_options.OutputSampleInterval, _options.OutputHistoryRetention);
        foreach (var sample in outputState.State.Samples.OrderBy(s => s.At))
        {
            history.Record(sample);
        }

        return history;
    }

    /// <summary>Stores the last hour when samples were taken since the last write; a failed write is tried again next time.</summary>
    private async Task WriteOutputAsync()
    {
        if (!_outputUnwritten || _output is null)
        {
            return;
        }

        try
        {
            _outputUnwritten = false;
            outputState.State = new FleetOutputState { Samples = [.. _output.Since(clock.GetUtcNow() - TimeSpan.FromMinutes(MaxOutputMinutes))] };
            await outputState.WriteStateAsync();
        }
        catch (Exception ex)
        {
            _outputUnwritten = true;
            LogOutputWriteFailed(FleetId, ex.GetBaseException().Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet {FleetId}: could not store its output history (tried again later): {Error}")]
    private partial void LogOutputWriteFailed(string fleetId, string error);

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
