namespace Vpp.Silo.Tests.Api;

/// <summary>The API tests share one in-process silo (<see cref="VppApiFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class VppApiCollection : ICollectionFixture<VppApiFixture>
{
    public const string Name = "vpp-api";
}
