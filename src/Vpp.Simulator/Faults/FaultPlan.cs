namespace Vpp.Simulator.Faults;

/// <summary>
/// How much misbehaviour to inject. Rates are shares of the fleet (0–1): exactly round(rate × assets) assets get
/// the fault, chosen by the seed.
/// </summary>
public sealed record FaultRates
{
    public static readonly FaultRates None = new();

    /// <summary>Assets that report themselves offline once during the run, for a while, then online again.</summary>
    public double OfflineRate { get; init; }

    /// <summary>Assets that acknowledge setpoints but never act on them.</summary>
    public double IgnoreSetpointRate { get; init; }

    /// <summary>Assets whose telemetry stops at some moment and never resumes (a lost gateway link).</summary>
    public double SilentRate { get; init; }

    /// <summary>Standard deviation of multiplicative noise on every asset's reported power, in percent.</summary>
    public double TelemetryNoisePercent { get; init; }

    public IEnumerable<string> Problems()
    {
        foreach (var (name, rate) in new[] { ("offline-rate", OfflineRate), ("ignore-setpoint-rate", IgnoreSetpointRate), ("silent-rate", SilentRate) })
        {
            if (!double.IsFinite(rate) || rate is < 0 or > 1)
            {
                yield return $"--{name} must be a share of the fleet between 0 and 1, not {rate}";
            }
        }

        if (!double.IsFinite(TelemetryNoisePercent) || TelemetryNoisePercent is < 0 or > 100)
        {
            yield return $"--telemetry-noise must be a percentage between 0 and 100, not {TelemetryNoisePercent}";
        }
    }
}

/// <summary>A stretch of the run, as offsets from its start; <see cref="End"/> null means until the run ends.</summary>
public readonly record struct FaultWindow(TimeSpan Start, TimeSpan? End)
{
    public bool Contains(TimeSpan elapsed) => elapsed >= Start && (End is not { } end || elapsed < end);
}

/// <summary>The faults one asset will show during the run.</summary>
public sealed record AssetFaults(bool IgnoresSetpoints, double TelemetryNoisePercent, FaultWindow? Offline, FaultWindow? Silent)
{
    public static readonly AssetFaults None = new(false, 0, null, null);
}

/// <summary>
/// Decides, from a seed alone, which assets misbehave and when: the same seed, fleet size, rates and horizon always
/// give the same plan, so a run that showed a problem can be repeated exactly.
/// </summary>
/// <remarks>
/// Fault moments are drawn as shares of <c>horizon</c> (the run's duration): outages start within the first 60 % of
/// the run after a 10 % settling period and last 10–30 % of it, so the VPP sees both the loss and the return.
/// Silent assets fall silent within 10–70 % of the run and stay silent, so the VPP's silence detection must notice.
/// Each fault is drawn from its own stream: raising one rate does not move the other faults.
/// </remarks>
public static class FaultPlanner
{
    public static IReadOnlyList<AssetFaults> Plan(int assetCount, FaultRates rates, TimeSpan horizon, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(assetCount);
        if (rates.Problems().FirstOrDefault() is { } problem)
        {
            throw new ArgumentException(problem, nameof(rates));
        }

        var ignoring = Choose(assetCount, rates.IgnoreSetpointRate, new Random(Mix(seed, 1)));
        var offline = Choose(assetCount, rates.OfflineRate, new Random(Mix(seed, 2)));
        var silent = Choose(assetCount, rates.SilentRate, new Random(Mix(seed, 3)));
        var timing = new Random(Mix(seed, 4));

        var plan = new AssetFaults[assetCount];
        for (var i = 0; i < assetCount; i++)
        {
            // Draw both windows for every asset, used or not, so one asset's timing does not depend on the others' faults.
            var offlineStart = horizon * (0.1 + (0.6 * timing.NextDouble()));
            var offlineLength = horizon * (0.1 + (0.2 * timing.NextDouble()));
            var silentStart = horizon * (0.1 + (0.6 * timing.NextDouble()));
            plan[i] = new AssetFaults(
                ignoring.Contains(i),
                rates.TelemetryNoisePercent,
                offline.Contains(i) ? new FaultWindow(offlineStart, offlineStart + offlineLength) : null,
                silent.Contains(i) ? new FaultWindow(silentStart, null) : null);
        }

        return plan;
    }

    /// <summary>Exactly round(rate × count) distinct indices, by a seeded partial Fisher–Yates shuffle.</summary>
    private static HashSet<int> Choose(int count, double rate, Random random)
    {
        var take = (int)Math.Round(rate * count, MidpointRounding.AwayFromZero);
        var indices = Enumerable.Range(0, count).ToArray();
        for (var i = 0; i < take; i++)
        {
            var j = random.Next(i, count);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }

        return [.. indices.Take(take)];
    }

    /// <summary>A seed per fault stream. Not HashCode.Combine: that is randomised per process, and plans must repeat across runs.</summary>
    internal static int Mix(int seed, int stream)
    {
        // SplitMix64 finaliser: nearby (seed, stream) pairs give unrelated seeds.
        var z = unchecked(((ulong)(uint)seed << 32 | (uint)stream) + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)(z ^ (z >> 31));
    }
}
