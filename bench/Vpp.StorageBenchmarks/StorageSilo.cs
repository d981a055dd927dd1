using Vpp.Testing;

namespace Vpp.StorageBenchmarks;

/// <summary>The storage benchmarks' <see cref="InProcessSilo"/>: the VPP grains on a storage profile.</summary>
public static class StorageSilo
{
    /// <summary>The profile's service id is also the cluster id, so a restarted silo reads the same rows.</summary>
    public static Task<InProcessSilo> StartAsync(StorageProfile profile) =>
        InProcessSilo.StartAsync(new InProcessSiloOptions
        {
            ServiceId = profile.ServiceId,
            ClusterId = profile.ServiceId,
            ConfigureStorage = profile.Configure,
        });
}
