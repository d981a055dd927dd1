namespace Vpp.Benchmarks;

/// <summary>
/// A grain clock the benchmark sets: "now" is what it was last set to, so a quarter-hour boundary comes when the run
/// says, not after fifteen minutes. Timers and delays stay on real time (only <see cref="GetUtcNow"/> is replaced), so
/// acknowledgement timeouts still work.
/// </summary>
public sealed class SteppedClock(DateTimeOffset start) : TimeProvider
{
    /// <summary>How often the grains' boundary alarms look at this clock (VppOptions.ClockRecheckInterval).</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(5);

    private long _utcTicks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _utcTicks, now.UtcTicks);
}
