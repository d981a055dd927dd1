using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Vpp.Testing;

/// <summary>
/// What a host logs, kept by Microsoft.Extensions.Diagnostics.Testing's <see cref="FakeLogCollector"/>: add
/// <see cref="Provider"/> to the host's logging, then read <see cref="Records"/> or <see cref="Messages"/>.
/// The host's own log-level configuration still applies before a record reaches the collector.
/// </summary>
public sealed class LogCapture
{
    /// <param name="minimumLevel">Records below this level are not kept.</param>
    public LogCapture(LogLevel minimumLevel = LogLevel.Trace)
    {
        var options = new FakeLogCollectorOptions();
        foreach (var level in Enum.GetValues<LogLevel>().Where(l => l >= minimumLevel && l != LogLevel.None))
        {
            options.FilteredLevels.Add(level);
        }

        Collector = FakeLogCollector.Create(options);
        Provider = new FakeLoggerProvider(Collector);
    }

    public FakeLogCollector Collector { get; }

    public ILoggerProvider Provider { get; }

    public IReadOnlyList<FakeLogRecord> Records => Collector.GetSnapshot();

    /// <summary>Each record as one line: level, category, formatted message and exception text.</summary>
    public IReadOnlyList<string> Messages => [.. Records.Select(r => $"{r.Level} {r.Category}: {r.Message} {r.Exception}")];
}
