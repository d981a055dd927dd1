using Vpp.Abstractions.Assets;

namespace Vpp.Grains.Assets;

/// <summary>
/// References to asset grains by asset id, for the paths that make one per asset (bulk registration, the ingest grain, a
/// partition's members). <c>GetGrain&lt;T&gt;(string)</c> resolves the interface's grain type on every call by reading the
/// interface's attributes through reflection: 7.5 % of a bulk registration's CPU in a sampled profile. The grain type
/// and interface types are fixed for the process, so they are resolved once and each reference is made from them.
/// </summary>
public static class AssetReferences
{
    private static Resolved? s_resolved;

    /// <summary>The asset's member interface: what its partition and the ingest grain call.</summary>
    public static IAssetMember AssetMember(this IGrainFactory grains, string assetId)
    {
        var resolved = Resolve(grains);
        return (IAssetMember)grains.GetGrain(GrainId.Create(resolved.MemberGrainType, assetId), resolved.MemberInterface);
    }

    /// <summary>The asset's grain id, as <c>GetGrain&lt;IAssetGrain&gt;(assetId).GetGrainId()</c> gives it.</summary>
    public static GrainId AssetGrainId(this IGrainFactory grains, string assetId) =>
        GrainId.Create(Resolve(grains).AssetGrainType, assetId);

    // Benign race: two first callers resolve the same values.
    private static Resolved Resolve(IGrainFactory grains) => s_resolved ??= Resolved.From(grains);

    private sealed record Resolved(GrainType AssetGrainType, GrainType MemberGrainType, GrainInterfaceType MemberInterface)
    {
        private const string Probe = "reference-probe";

        public static Resolved From(IGrainFactory grains)
        {
            var asset = (GrainReference)grains.GetGrain<IAssetGrain>(Probe);
            var member = (GrainReference)grains.GetGrain<IAssetMember>(Probe);
            return new Resolved(asset.GrainId.Type, member.GrainId.Type, member.InterfaceType);
        }
    }
}
