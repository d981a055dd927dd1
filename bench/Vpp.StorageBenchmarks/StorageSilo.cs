using Vpp.Grains;
using Vpp.Testing;

namespace Vpp.StorageBenchmarks;

/// <summary>The storage benchmarks' <see cref="InProcessSilo"/>: the VPP grains on a storage profile.</summary>
public static class StorageSilo
{
    /// <summary>The profile's service id is also the cluster id, so a restarted silo reads the same rows.</summary>
    /// <param name="configureVpp">Overrides of the VPP options, after the benchmark defaults.</param>
    /// <param name="configureSilo">More silo configuration.</param>
    public static Task<InProcessSilo> StartAsync(
        StorageProfile profile, Action<VppOptions>? configureVpp = null, Action<ISiloBuilder>? configureSilo = null) =>
        InProcessSilo.StartAsync(new InProcessSiloOptions
        {
            ServiceId = profile.ServiceId,
            ClusterId = profile.ServiceId,
            ConfigureStorage = profile.Configure,
            ConfigureVpp = configureVpp,
            ConfigureSilo = configureSilo,
        });
}
