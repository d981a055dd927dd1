namespace Vpp.Cluster.Tests.Harness;

/// <summary>
/// Every test here runs several silo processes; on a small machine they must not also compete with each other
/// (membership probes would time out under CPU starvation), so they share one collection and run in turn.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SiloProcessCollection
{
    public const string Name = "silo processes";
}
