using Orleans.Concurrency;
namespace Vpp.Grains.Contracts;

/// <summary>
/// The console's read view of a fleet partition (the same grain as <see cref="IFleetPartitionGrain"/>, key
/// "{fleetId}~pNNN"): its members as compact rows, filtered and ordered where they are held.
/// </summary>
public interface IFleetMembersGrain : IGrainWithStringKey
{
    /// <summary>Read-only over in-memory reports, so it interleaves with dispatch rounds.</summary>
    [AlwaysInterleave]
    Task<MemberSlice> QueryMembersAsync(MemberQuery query);
}

/// <summary>The console's read view of a fleet (the same grain as <see cref="Vpp.Abstractions.Fleets.IFleetGrain"/>).</summary>
public interface IFleetPartitionListGrain : IGrainWithStringKey
{
    /// <summary>Keys of the partitions that ever held one of the fleet's assets; empty for an unknown fleet.</summary>
    [AlwaysInterleave]
    Task<string[]> GetPartitionKeysAsync();
}

/// <summary>
/// The console's member rows of a whole fleet (the query grain beside the fleet, key: fleet id): every partition
/// filters and orders its members, the query grain merges them, so the fleet grain only names its partitions.
/// </summary>
public interface IFleetMemberRowsGrain : IGrainWithStringKey
{
    /// <summary>The first <see cref="MemberQuery.Take"/> matches over all partitions and the count of all; null when the fleet has no partitions.</summary>
    Task<MemberSlice?> QueryMembersAsync(MemberQuery query);
}
