using System.IO.Hashing;
using System.Text;

namespace Vpp.Domain.Fleets;

/// <summary>
/// Where an asset sits in its fleet's tree. A stable hash (not string.GetHashCode, which changes per process)
/// spreads assets over partitions so dispatch fans out from many grains at once instead of one hot fleet grain.
/// </summary>
public static class FleetPartitioning
{
    private const char Separator = '~';

    public static int PartitionIndex(string assetId, int partitionCount) =>
        (int)(XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(assetId)) % (uint)Math.Max(1, partitionCount));

    /// <summary>Partition grain key: "{fleetId}~p{index}". Ids never contain '~', so the split is unambiguous.</summary>
    public static string PartitionKey(string fleetId, int index) => $"{fleetId}{Separator}p{index:D3}";

    public static string PartitionKeyFor(string fleetId, string assetId, int partitionCount) =>
        PartitionKey(fleetId, PartitionIndex(assetId, partitionCount));

    public static string FleetIdOf(string partitionKey)
    {
        var at = partitionKey.LastIndexOf(Separator);
        return at < 0 ? partitionKey : partitionKey[..at];
    }
}
