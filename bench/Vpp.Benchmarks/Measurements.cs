using System.Diagnostics;

namespace Vpp.Benchmarks;

/// <summary>One measured dispatch, with what the process's GC did while it ran.</summary>
public readonly record struct Sample(double Ms, double GcPauseMs, long AllocatedBytes, int Gen0, int Gen1, int Gen2, int Rounds, double OwnCores, double OtherCores);

/// <summary>Process-wide counters read before and after one call.</summary>
public readonly struct ProbeStart
{
    private readonly CpuSnapshot _cpu;
    private readonly long _ticks;
    private readonly TimeSpan _pause;
    private readonly long _allocated;
    private readonly int _gen0, _gen1, _gen2;

    private ProbeStart(CpuSnapshot cpu, long ticks, TimeSpan pause, long allocated, int gen0, int gen1, int gen2)
    {
        _cpu = cpu;
        _ticks = ticks;
        _pause = pause;
        _allocated = allocated;
        _gen0 = gen0;
        _gen1 = gen1;
        _gen2 = gen2;
    }

    public static ProbeStart Now() => new(
        CpuSnapshot.Now(),
        Stopwatch.GetTimestamp(), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(precise: false),
        GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

    /// <summary>Stops the clock first, then reads the slower counters.</summary>
    public Sample Stop(int rounds)
    {
        var ms = Stopwatch.GetElapsedTime(_ticks).TotalMilliseconds;
        var (own, others) = CpuSnapshot.Since(_cpu);
        return new(
            ms,
            (GC.GetTotalPauseDuration() - _pause).TotalMilliseconds,
            GC.GetTotalAllocatedBytes(precise: false) - _allocated,
            GC.CollectionCount(0) - _gen0,
            GC.CollectionCount(1) - _gen1,
            GC.CollectionCount(2) - _gen2,
            rounds,
            own,
            others);
    }
}

/// <summary>Latency figures of one design in one scenario.</summary>
public sealed class DesignStats(string design)
{
    private readonly List<Sample> _samples = [];

    public string Design { get; } = design;

    public int Failures { get; private set; }

    public List<string> FailureMessages { get; } = [];

    public IReadOnlyList<Sample> Samples => _samples;

    public void Add(Sample sample) => _samples.Add(sample);

    public void Fail(string message)
    {
        Failures++;
        if (FailureMessages.Count < 5)
        {
            FailureMessages.Add(message);
        }
    }

    /// <summary>Nearest-rank percentile (so with 30 samples p99 is the maximum and p95 the second largest).</summary>
    public double Percentile(double p)
    {
        if (_samples.Count == 0)
        {
            return double.NaN;
        }

        var sorted = _samples.Select(s => s.Ms).Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public double Max => _samples.Count == 0 ? double.NaN : _samples.Max(s => s.Ms);

    public double Mean => _samples.Count == 0 ? double.NaN : _samples.Average(s => s.Ms);

    public double MeanGcPauseMs => _samples.Count == 0 ? double.NaN : _samples.Average(s => s.GcPauseMs);

    public double MeanAllocatedBytes => _samples.Count == 0 ? double.NaN : _samples.Average(s => (double)s.AllocatedBytes);

    public int Gen2Count => _samples.Sum(s => s.Gen2);

    public int Gen1Count => _samples.Sum(s => s.Gen1);

    public int Gen0Count => _samples.Sum(s => s.Gen0);

    /// <summary>CPU time this process spent per dispatch (ms): hardly affected by other processes competing for the cores.</summary>
    public double MeanCpuMs => _samples.Count == 0 ? double.NaN : _samples.Average(s => s.OwnCores * s.Ms);

    /// <summary>Cores this process used during the measured dispatches (time-weighted).</summary>
    public double OwnCores => _samples.Count == 0 ? double.NaN : _samples.Sum(s => s.OwnCores * s.Ms) / _samples.Sum(s => s.Ms);

    /// <summary>Cores other processes on the machine used during the measured dispatches (time-weighted).</summary>
    public double OtherCores => _samples.Count == 0 ? double.NaN : _samples.Sum(s => s.OtherCores * s.Ms) / _samples.Sum(s => s.Ms);

    public int MaxRounds => _samples.Count == 0 ? 0 : _samples.Max(s => s.Rounds);
}

/// <summary>Everything measured with one silo: registration, memory and the designs' latencies.</summary>
public sealed class ScenarioResult
{
    public required int Assets { get; init; }
    public required int Partitions { get; init; }
    public TimeSpan ConfigureTime { get; set; }
    public TimeSpan TelemetryTime { get; set; }
    public TimeSpan OnlineWait { get; set; }
    public long ManagedBefore { get; set; }
    public long ManagedAfterRegistration { get; set; }
    public long ManagedAfterDispatch { get; set; }
    public long WorkingSetBefore { get; set; }
    public long WorkingSetAfterRegistration { get; set; }
    public long WorkingSetAfterDispatch { get; set; }
    public List<DesignStats> Designs { get; } = [];
    public string? Error { get; set; }
    public string RegistrationWrites { get; set; } = "";
    public string DispatchWrites { get; set; } = "";
    public double OtherCoresBefore { get; set; }

    public bool Ok => Error is null && Designs.All(d => d.Failures == 0);

    public TimeSpan RegistrationTime => ConfigureTime + TelemetryTime + OnlineWait;
}

public static class Memory
{
    public static long Managed() => GC.GetTotalMemory(forceFullCollection: true);

    public static long WorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    public static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:0} MB";
}
