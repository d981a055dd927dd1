using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vpp.Client;
using Vpp.Client.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the VPP SDK in a host: the Orleans client connects when the host starts.</summary>
public static class VppClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="VppClient"/> (and the Orleans client under it) to the services. The host connects at
    /// start and disconnects at stop; inject <see cref="VppClient"/> where you need it.
    /// </summary>
    public static IServiceCollection AddVppClient(this IServiceCollection services, Action<VppClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new VppClientOptions();
        configure(options);
        services.TryAddSingleton(options);
        services.AddOrleansClient(client => ClientSetup.Apply(client, options));
        services.TryAddSingleton(sp => new VppClient(
            sp.GetRequiredService<IClusterClient>(), options, sp.GetRequiredService<ILoggerFactory>(), ownedHost: null));
        return services;
    }

    /// <summary>Adds the SDK with options bound from a configuration section (e.g. "VppClient").</summary>
    public static IServiceCollection AddVppClient(this IServiceCollection services, IConfiguration section) =>
        services.AddVppClient(section.Bind);

    /// <summary>Adds the SDK to a generic host.</summary>
    public static IHostBuilder AddVppClient(this IHostBuilder host, Action<VppClientOptions> configure) =>
        host.ConfigureServices(services => services.AddVppClient(configure));
}
