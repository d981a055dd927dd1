using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;
using Vpp.Grains;
using Vpp.Grains.Assets;
using Vpp.Grains.Fleets;
using Vpp.Grains.Hosting;

namespace Vpp.Silo.Tests.Storage;

/// <summary>
/// An in-process cluster of real silos running the VPP grains on a <see cref="DurableStore"/>. Grain time (and so
/// grain timers: the offline watchdog, the write-behind) runs on a fake clock that outlives the cluster, so a test
/// can stop every silo, move time on and start again. Reminders run on real time with a one-second period.
/// </summary>
public sealed class DurableCluster : IAsyncDisposable
{
    public static readonly TimeSpan OfflineAfter = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan LiveStateWriteInterval = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan UpkeepPeriod = TimeSpan.FromSeconds(1);

    private DurableCluster(InProcessTestCluster cluster, LogCapture logs)
    {
        Cluster = cluster;
        Logs = logs;
    }

    /// <summary>Warnings and errors of every silo of this cluster.</summary>
    public LogCapture Logs { get; }

    public InProcessTestCluster Cluster { get; }

    public IGrainFactory Grains => Cluster.Client;

    public static async Task<DurableCluster> StartAsync(
        DurableStore store, FakeTimeProvider clock, int silos = 1, Action<VppOptions>? configure = null)
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.Options.ServiceId = store.ServiceId;
        builder.Options.ClusterId = "durable-" + Guid.NewGuid().ToString("N")[..8];
        builder.Options.ConfigureFileLogging = false;
        var logs = new LogCapture(Microsoft.Extensions.Logging.LogLevel.Warning);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(logs.Provider);
            store.Configure(silo);
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = UpkeepPeriod);
            silo.Services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, clock);
            silo.Services.AddVppGrains();
            silo.Services.Configure<VppOptions>(o =>
            {
                o.OfflineAfter = OfflineAfter;
                o.LiveStateWriteInterval = LiveStateWriteInterval;
                o.UpkeepPeriod = UpkeepPeriod;
                o.PartitionsPerFleet = 2;
                // A bound on the real clock, not an expectation: on a loaded 2-core machine an asset grain's acknowledgement can
                // take seconds, and one counted as unanswered changes what a test reads. No test waits for it to run out.
                o.SetpointAckTimeout = TimeSpan.FromSeconds(30);
                configure?.Invoke(o);
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new DurableCluster(cluster, logs);
    }

    /// <summary>Every silo stopped gracefully: activations deactivate and write what they hold.</summary>
    public Task StopGracefullyAsync() => Cluster.StopAllSilosAsync();

    /// <summary>Every silo killed: no deactivation, nothing written on the way out — what a power cut leaves.</summary>
    public async Task KillAllAsync()
    {
        foreach (var silo in Cluster.Silos.ToList())
        {
            await Cluster.KillSiloAsync(silo);
        }
    }

    /// <summary>Reads a grain's stored state straight from the storage provider, without activating the grain.</summary>
    public async Task<T?> ReadStoredAsync<T>(string stateName, GrainId grainId)
    {
        var storage = Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(VppOptions.StorageName);
        var state = new GrainState<T>();
        await storage.ReadStateAsync(stateName, grainId, state);
        return state.RecordExists ? state.State : default;
    }

    public Task<AssetState?> ReadStoredAssetAsync(string assetId) =>
        ReadStoredAsync<AssetState>("asset", GrainId.Create("asset", assetId));

    public Task<FleetState?> ReadStoredFleetAsync(string fleetId) =>
        ReadStoredAsync<FleetState>("fleet", GrainId.Create("fleet", fleetId));

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Cluster.Silos.Count > 0)
            {
                await Cluster.StopAllSilosAsync();
            }
        }
        finally
        {
            await Cluster.DisposeAsync();
        }
    }
}
