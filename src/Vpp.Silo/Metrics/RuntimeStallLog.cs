using Microsoft.Extensions.Hosting;

namespace Vpp.Silo.Metrics;

/// <summary>
/// Starts <see cref="RuntimeStalls"/> with the host and writes a warning for each stall of a second or more, once a
/// second. It runs on real time on purpose: a stall is a wall-clock gap, whatever clock the grains are given.
/// </summary>
internal sealed partial class RuntimeStallLog(ILogger<RuntimeStallLog> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        RuntimeStalls.EnsureStarted();
        using var timer = new PeriodicTimer(Period, TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var (stall, gcPause) in RuntimeStalls.TakeLongStalls())
                {
                    LogStall(stall.TotalMilliseconds, gcPause);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The process stalled for {StallMs:N0} ms ({GcPause}): a silo that misses membership probes this long can be suspected by its peers")]
    private partial void LogStall(double stallMs, GcPause gcPause);
}
