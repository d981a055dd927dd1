using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Vpp.Grains;
using Vpp.Testing;

namespace Vpp.Benchmarks;

/// <summary>
/// The dispatch benchmarks' <see cref="InProcessSilo"/>: memory storage (optionally with the Orleans serializer), the
/// run's VppOptions overrides, the long-turn log, and a log muted while the silo stops.
/// </summary>
public sealed class BenchSilo : IAsyncDisposable
{
    /// <summary>
    /// Assets get no telemetry while the benchmark dispatches, so the silence watchdog must not take them offline
    /// mid-run (the product default is 15 s). The watchdog timer itself is still armed on every asset.
    /// </summary>
    public static readonly TimeSpan OfflineAfter = TimeSpan.FromHours(1);

    private static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(30);

    private static bool _stopping;

    private readonly InProcessSilo _silo;

    private BenchSilo(InProcessSilo silo) => _silo = silo;

    public IGrainFactory Grains => _silo.Grains;

    public IServiceProvider Services => _silo.Services;

    public VppOptions Options => _silo.Options;

    /// <param name="grainClock">
    /// The grains' clock (<see cref="TimeProviderNames.Grains"/>) when the run moves time itself (the slice benchmark
    /// steps it from quarter hour to quarter hour); the system clock when null.
    /// </param>
    public static async Task<BenchSilo> StartAsync(int? partitions, BenchOptions bench, SteppedClock? grainClock = null)
    {
        var silo = await InProcessSilo.StartAsync(new InProcessSiloOptions
        {
            ServiceId = "vpp-bench",
            StopBudget = StopBudget,
            ConfigureHost = builder =>
            {
                // While the silo stops, memory storage goes away before the assets' write-behind on deactivation: that
                // noise says nothing about dispatch, so the log is muted once the measurements are done.
                builder.Logging.AddFilter((_, _, level) => level >= LogLevel.Warning && !Volatile.Read(ref _stopping));
                builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(LongTurnLog.Category, LogLevel.None);
                builder.Logging.AddProvider(LongTurnLog.Provider);
                builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = StopBudget);
                if (grainClock is not null)
                {
                    builder.Services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, grainClock);
                }
            },
            ConfigureVpp = o =>
            {
                o.OfflineAfter = OfflineAfter;
                if (grainClock is not null)
                {
                    // Hours of the stepped clock pass in seconds without telemetry; and its boundaries are seen by the
                    // alarms' clock re-check, so that runs often (what it adds to a slot change is at most this).
                    o.OfflineAfter = TimeSpan.FromDays(30);
                    o.ClockRecheckInterval = SteppedClock.RecheckInterval;
                }

                if (partitions is { } p)
                {
                    o.PartitionsPerFleet = p;
                }

                if (bench.AckTimeoutSeconds is { } ack)
                {
                    o.SetpointAckTimeout = TimeSpan.FromSeconds(ack);
                }

                if (bench.LiveWriteIntervalSeconds is { } live)
                {
                    o.LiveStateWriteInterval = TimeSpan.FromSeconds(live);
                }
            },
            ConfigureSilo = silo =>
            {
                if (bench.HostFilters)
                {
                    // As Hosting/OrleansSetup and Metrics/MetricsHostingExtensions register them.
                    silo.AddIncomingGrainCallFilter<Vpp.Silo.Hosting.ClientCallFilter>();
                    silo.AddIncomingGrainCallFilter<Vpp.Grains.Diagnostics.MetricsCallFilter>();
                }

                if (bench.StorageSerializer == "orleans")
                {
                    silo.Services.AddOptions<MemoryGrainStorageOptions>(VppOptions.StorageName)
                        .Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
                }
            },
        });
        return new BenchSilo(silo);
    }

    public async ValueTask DisposeAsync()
    {
        var sw = Stopwatch.StartNew();
        Console.Write("  stopping silo (log muted)… ");
        Volatile.Write(ref _stopping, true);
        if (!await _silo.StopAsync())
        {
            Console.Write($"(graceful stop exceeded {StopBudget.TotalSeconds:0} s, stopped anyway) ");
        }

        await _silo.DisposeAsync();
        Volatile.Write(ref _stopping, false);
        Console.WriteLine($"{sw.Elapsed.TotalSeconds:0.0} s");
    }
}
