using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vpp.Grains;
using Vpp.Grains.Hosting;

namespace Vpp.Testing;

/// <summary>
/// A VPP silo in this process: localhost clustering on free loopback ports, a single-line console log, the VPP grains
/// and their options, and a storage profile (memory by default). Each caller's specifics go in
/// <see cref="InProcessSiloOptions"/>. Out-of-process silos are <see cref="SiloProcess"/>.
/// </summary>
public sealed class InProcessSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly TimeSpan _stopBudget;
    private bool _stopped;

    private InProcessSilo(IHost host, TimeSpan stopBudget)
    {
        _host = host;
        _stopBudget = stopBudget;
        Grains = host.Services.GetRequiredService<IGrainFactory>();
        Options = host.Services.GetRequiredService<IOptions<VppOptions>>().Value;
    }

    public IGrainFactory Grains { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>The options the grains run with, after every override.</summary>
    public VppOptions Options { get; }

    public static async Task<InProcessSilo> StartAsync(InProcessSiloOptions options)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        options.ConfigureHost?.Invoke(builder);

        builder.Services.AddVppGrains();
        builder.Services.Configure<VppOptions>(o =>
        {
            o.OfflineAfter = TimeSpan.FromHours(1);
            options.ConfigureVpp?.Invoke(o);
        });
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(
                FreePort.Next(), FreePort.Next(), serviceId: options.ServiceId,
                clusterId: options.ClusterId ?? $"{options.ServiceId}-{Guid.NewGuid():N}");
            if (options.ConfigureStorage is { } storage)
            {
                storage(silo);
            }
            else
            {
                silo.AddMemoryGrainStorage(VppOptions.StorageName);
                silo.UseInMemoryReminderService();
            }

            options.ConfigureSilo?.Invoke(silo);
        });

        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new InProcessSilo(host, options.StopBudget);
    }

    /// <summary>Stops the silo gracefully within the stop budget; false when the budget ran out and it was stopped anyway.</summary>
    public async Task<bool> StopAsync()
    {
        if (_stopped)
        {
            return true;
        }

        _stopped = true;
        using var budget = new CancellationTokenSource(_stopBudget);
        try
        {
            await _host.StopAsync(budget.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
