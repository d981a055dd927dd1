using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Vpp.Grains;
using Vpp.Grains.Hosting;
using Vpp.Testing;

namespace Vpp.Benchmarks;

/// <summary>One silo in this process: localhost clustering on free loopback ports, memory storage, the VPP grains.</summary>
public sealed class BenchSilo : IAsyncDisposable
{
    /// <summary>
    /// Assets get no telemetry while the benchmark dispatches, so the silence watchdog must not take them offline
    /// mid-run (the product default is 15 s). The watchdog timer itself is still armed on every asset.
    /// </summary>
    public static readonly TimeSpan OfflineAfter = TimeSpan.FromHours(1);

    private static bool _stopping;

    private readonly IHost _host;

    private BenchSilo(IHost host, VppOptions effective)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IGrainFactory>();
        Options = effective;
    }

    public IGrainFactory Grains { get; }

    public IServiceProvider Services => _host.Services;

    public VppOptions Options { get; }

    /// <param name="grainClock">
    /// The grains' clock (<see cref="TimeProviderNames.Grains"/>) when the run moves time itself (the slice benchmark
    /// steps it from quarter hour to quarter hour); the system clock when null.
    /// </param>
    public static async Task<BenchSilo> StartAsync(int? partitions, BenchOptions bench, SteppedClock? grainClock = null)
    {
        var siloPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // While the silo stops, memory storage goes away before the assets' write-behind on deactivation: that noise says
        // nothing about dispatch, so the log is muted once the measurements are done.
        builder.Logging.AddFilter((_, _, level) => level >= LogLevel.Warning && !Volatile.Read(ref _stopping));
        builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(LongTurnLog.Category, LogLevel.None);
        builder.Logging.AddProvider(LongTurnLog.Provider);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        if (grainClock is not null)
        {
            builder.Services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, grainClock);
        }

        builder.Services.AddVppGrains();
        builder.Services.Configure<VppOptions>(o =>
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
        });
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "vpp-bench", clusterId: $"bench-{Guid.NewGuid():N}");
            silo.AddMemoryGrainStorage(VppOptions.StorageName);
            silo.UseInMemoryReminderService();
            if (bench.StorageSerializer == "orleans")
            {
                silo.Services.AddOptions<MemoryGrainStorageOptions>(VppOptions.StorageName)
                    .Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
            }
        });

        var host = builder.Build();
        await host.StartAsync();
        var effective = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<VppOptions>>().Value;
        return new BenchSilo(host, effective);
    }

    public async ValueTask DisposeAsync()
    {
        var sw = Stopwatch.StartNew();
        Console.Write("  stopping silo (log muted)… ");
        Volatile.Write(ref _stopping, true);
        using (var budget = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            try
            {
                await _host.StopAsync(budget.Token);
            }
            catch (OperationCanceledException)
            {
                Console.Write("(graceful stop exceeded 30 s, stopped anyway) ");
            }
        }

        _host.Dispose();
        Volatile.Write(ref _stopping, false);
        Console.WriteLine($"{sw.Elapsed.TotalSeconds:0.0} s");
    }
}
