using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Vpp.Benchmarks;

/// <summary>
/// Orleans warns about every grain turn longer than 1 s (category Orleans.Runtime.Scheduler.WorkItemGroup). The naive
/// grain's turn that issues 100k calls is one, every dispatch; printing each warning would bury the figures, so a
/// FakeLogger keeps them instead, and <see cref="Take"/> counts them (naive vs. everything else) and prints the first
/// one of any other grain.
/// </summary>
public static class LongTurnLog
{
    public const string Category = "Orleans.Runtime.Scheduler.WorkItemGroup";

    private static readonly FakeLogCollector Collector = FakeLogCollector.Create(new FakeLogCollectorOptions
    {
        FilteredCategories = { Category },
        FilteredLevels = { LogLevel.Warning, LogLevel.Error, LogLevel.Critical },
    });

    public static ILoggerProvider Provider { get; } = new FakeLoggerProvider(Collector);

    /// <summary>The long turns since the last call: the naive grain's, and every other grain's.</summary>
    public static (int Naive, int Other) Take()
    {
        var records = Collector.GetSnapshot(clear: true);
        var naive = records.Count(r => r.Message.Contains("/naivefleet/", StringComparison.Ordinal));
        if (records.FirstOrDefault(r => !r.Message.Contains("/naivefleet/", StringComparison.Ordinal)) is { } other)
        {
            Console.WriteLine($"  long turn: {other.Message[..Math.Min(other.Message.Length, 400)]}");
        }

        return (naive, records.Count - naive);
    }
}
