using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vpp.Grains;
using Vpp.Grains.Hosting;
using Vpp.Testing;

namespace Vpp.StorageBenchmarks;

/// <summary>One silo in this process on free loopback ports, with the VPP grains on a storage profile.</summary>
public sealed class StorageSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private StorageSilo(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<StorageSilo> StartAsync(StorageProfile profile)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddVppGrains();
        builder.Services.Configure<VppOptions>(o => o.OfflineAfter = TimeSpan.FromHours(1)); // nobody goes silent mid-run
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort.Next(), FreePort.Next(), serviceId: profile.ServiceId, clusterId: profile.ServiceId);
            profile.Configure(silo);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new StorageSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _host.StopAsync(budget.Token);
        _host.Dispose();
    }
}
