namespace Vpp.Simulator.Tests.Gateway;

/// <summary>The simulator's end-to-end tests share one in-process silo (<see cref="VppApiFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class VppApiCollection : ICollectionFixture<VppApiFixture>
{
    public const string Name = "vpp-api";
}
