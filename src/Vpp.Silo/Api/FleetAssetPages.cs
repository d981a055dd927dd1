using Vpp.Abstractions.Assets;
using Vpp.Grains.Contracts;
using Vpp.Domain.Assets;

namespace Vpp.Silo.Api;

/// <summary>
/// Builds one page of a fleet's asset table: every partition filters and orders its members and sends only the
/// rows the page could need, the fleet's query grain merges those, and only the page's assets are asked for their live values.
/// A 100,000-asset fleet thus costs one call per partition and one per row shown, never one per asset.
/// </summary>
public static class FleetAssetPages
{
    /// <summary>The page, or null when the fleet has no partitions (it never had an asset).</summary>
    public static async Task<AssetPageResponse?> LoadAsync(IGrainFactory grains, string fleetId, AssetPageQuery query)
    {
        if (await grains.GetGrain<IFleetMemberRowsGrain>(fleetId).QueryMembersAsync(query.Members) is not { } merged)
        {
            return null;
        }

        var matchCount = merged.MatchCount;
        var pageRows = merged.Rows.Skip(query.Offset).Take(query.PageSize).ToArray();
        var views = await Task.WhenAll(pageRows.Select(row => LiveViewAsync(grains, row.AssetId)));
        return new AssetPageResponse(
            fleetId,
            query.Page,
            query.PageSize,
            matchCount,
            Math.Max(1, (matchCount + query.PageSize - 1) / query.PageSize),
            AssetPageQuery.SortNames[(int)query.Members.Sort],
            query.Members.Descending,
            [.. pageRows.Select((row, i) => AssetRowResponse.From(row, views[i]))]);
    }

    /// <summary>
    /// One asset whose state cannot be read now (an unreadable row, a silo going away) must not cost the operator the
    /// whole page: its row then shows what its partition knows, without the live values.
    /// </summary>
    private static async Task<AssetView?> LiveViewAsync(IGrainFactory grains, string assetId)
    {
        try
        {
            return await grains.GetGrain<IAssetGrain>(assetId).GetAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }
}
