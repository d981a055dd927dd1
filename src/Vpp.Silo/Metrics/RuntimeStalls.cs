using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Vpp.Grains.Diagnostics;

namespace Vpp.Silo.Metrics;

/// <summary>
/// Watches the process for stalls: a thread of its own sleeps 20 ms at a time and measures how late it wakes (a GC
/// that suspends every thread, or CPU starvation), and reads the pause of each new GC. A silo that stalls longer than
/// its cluster's probe timeout misses membership probes and can be voted dead while it is healthy, so operators see
/// stalls as metrics (<c>vpp_runtime_stall_seconds</c>, the longest stall and GC pause since the process started) and a
/// warning in the log for each stall of a second or more; the benchmarks read the same figures through
/// <see cref="Watch"/>. One watcher serves the whole process: a stall is the process's, not a host's.
/// </summary>
public static class RuntimeStalls
{
    /// <summary>Stalls at least this long are recorded in the histogram (shorter ones are scheduling noise).</summary>
    public static readonly TimeSpan Recorded = TimeSpan.FromMilliseconds(50);

    /// <summary>Stalls at least this long are logged: long enough to matter to a cluster probing every few seconds.</summary>
    public static readonly TimeSpan Logged = TimeSpan.FromSeconds(1);

    /// <summary>Long stalls kept for the log while no host drains them (a benchmark process watches without one).</summary>
    private const int MaxUnlogged = 100;

    private static readonly TimeSpan Nap = TimeSpan.FromMilliseconds(20);
    private static readonly GCKind[] Kinds = [GCKind.Ephemeral, GCKind.FullBlocking, GCKind.Background];
    private static readonly ConcurrentDictionary<StallWindow, byte> Windows = new();
    private static readonly ConcurrentQueue<(TimeSpan Stall, GcPause Pause)> LongStalls = new();
    private static readonly Lazy<StallWindow> SinceStart = new(() => StartAndWatch());
    private static readonly Meter Meter = new(VppMetrics.MeterName);
    private static readonly Histogram<double> StallHistogram = Meter.CreateHistogram<double>(
        "vpp.runtime.stall", "s", "Late wake-ups of a 20 ms sleep on a thread of its own (GC suspension or CPU starvation), 50 ms or longer",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30] });

    static RuntimeStalls()
    {
        Meter.CreateObservableGauge(
            "vpp.runtime.longest_stall", () => SinceStart.Value.LongestStall.TotalSeconds, "s", "The longest stall since the process started");
        Meter.CreateObservableGauge(
            "vpp.runtime.longest_gc_pause", () => SinceStart.Value.LongestGcPause.TotalSeconds, "s", "The longest GC pause since the process started");
    }

    /// <summary>Starts watching (once per process); the metrics report from then on.</summary>
    public static void EnsureStarted() => _ = SinceStart.Value;

    /// <summary>The longest stall and GC pause from now until the window is disposed.</summary>
    public static StallWindow Watch()
    {
        EnsureStarted();
        var window = new StallWindow();
        Windows.TryAdd(window, 0);
        return window;
    }

    /// <summary>
    /// Stalls of <see cref="Logged"/> or longer not yet logged, oldest first, each with the longest pause of the GCs that
    /// ended in it, or the longest GC pause so far when none did.
    /// </summary>
    internal static IEnumerable<(TimeSpan Stall, GcPause Pause)> TakeLongStalls()
    {
        while (LongStalls.TryDequeue(out var stall))
        {
            yield return stall;
        }
    }

    internal static void Forget(StallWindow window) => Windows.TryRemove(window, out _);

    private static StallWindow StartAndWatch()
    {
        var sinceStart = new StallWindow();
        Windows.TryAdd(sinceStart, 0);
        new Thread(Run) { IsBackground = true, Name = "vpp stall watcher" }.Start();
        return sinceStart;
    }

    private static void Run()
    {
        var seen = new long[Kinds.Length];
        var clock = Stopwatch.StartNew();
        var longest = default(GcPause);
        while (true)
        {
            var before = clock.Elapsed;
            Thread.Sleep(Nap);
            var stall = clock.Elapsed - before - Nap;
            var ended = default(GcPause);
            for (var k = 0; k < Kinds.Length; k++)
            {
                var info = GC.GetGCMemoryInfo(Kinds[k]);
                if (info.Index != seen[k])
                {
                    seen[k] = info.Index;
                    foreach (var pause in info.PauseDurations)
                    {
                        ended = pause > ended.Duration ? new GcPause(pause, Kinds[k], info.Generation, info.Compacted, InStall: true) : ended;
                    }
                }
            }

            longest = ended.Duration > longest.Duration ? ended with { InStall = false } : longest;
            foreach (var window in Windows.Keys)
            {
                window.Observe(stall, ended.Duration);
            }

            if (stall >= Recorded)
            {
                StallHistogram.Record(stall.TotalSeconds);
            }

            if (stall >= Logged && LongStalls.Count < MaxUnlogged)
            {
                LongStalls.Enqueue((stall, ended.Duration > TimeSpan.Zero ? ended : longest));
            }
        }
    }
}

/// <summary>
/// One GC's pause: which kind of collection (ephemeral, full blocking, background), of which generation, compacting or
/// not: what an operator tunes against. <see cref="InStall"/>: the GC ended within the stall it is reported with.
/// </summary>
public readonly record struct GcPause(TimeSpan Duration, GCKind Kind, int Generation, bool Compacted, bool InStall)
{
    public override string ToString() => Duration == TimeSpan.Zero
        ? "no GC paused the process so far"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{(InStall ? "a GC paused it" : "no GC ended in it; the longest GC pause so far")} {Duration.TotalMilliseconds:N0} ms: "
            + $"{KindName} gen{Generation}{(Compacted ? ", compacting" : "")}");

    private string KindName => Kind switch
    {
        GCKind.Ephemeral => "ephemeral",
        GCKind.FullBlocking => "full blocking",
        GCKind.Background => "background",
        _ => Kind.ToString(),
    };
}

/// <summary>The longest stall and GC pause <see cref="RuntimeStalls"/> saw while this window was open.</summary>
public sealed class StallWindow : IDisposable
{
    private long _longestStallTicks;
    private long _longestGcPauseTicks;

    public TimeSpan LongestStall => TimeSpan.FromTicks(Interlocked.Read(ref _longestStallTicks));

    public TimeSpan LongestGcPause => TimeSpan.FromTicks(Interlocked.Read(ref _longestGcPauseTicks));

    public void Dispose() => RuntimeStalls.Forget(this);

    internal void Observe(TimeSpan stall, TimeSpan gcPause)
    {
        // Only the watcher thread writes; readers on other threads read whole values.
        if (stall.Ticks > _longestStallTicks)
        {
            Interlocked.Exchange(ref _longestStallTicks, stall.Ticks);
        }

        if (gcPause.Ticks > _longestGcPauseTicks)
        {
            Interlocked.Exchange(ref _longestGcPauseTicks, gcPause.Ticks);
        }
    }
}
