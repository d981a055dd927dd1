using Orleans.Concurrency;
using Vpp.Abstractions.Fleets;

namespace Vpp.Grains.Contracts;

/// <summary>
/// The fleet as the silo sees it: <see cref="IFleetGrain"/> (the SDK's view) and the methods only the silo calls —
/// its partitions' reports, its own re-dispatch, the query grain's snapshot and the HTTP API's output stream.
/// </summary>
public interface IFleetInternal : IFleetGrain
{
    /// <summary>Called by partitions when their share changes.</summary>
    Task ReportPartitionAsync(PartitionSummary summary);

    /// <summary>
    /// Records the partitions a bulk registration is about to fill, stored in one write before their rows are: each
    /// partition's report then finds itself listed and costs the fleet no write of its own (a fleet's first batch
    /// touches every partition, and the fleet's turns run one at a time).
    /// </summary>
    Task AddPartitionsAsync(string[] partitionKeys);

    /// <summary>Re-dispatches the standing target after assets changed status; sent by the fleet to itself.</summary>
    Task ReallocateAsync();

    /// <summary>At most <paramref name="max"/> samples taken after <paramref name="after"/> (all retained when null), oldest first.</summary>
    /// <exception cref="Vpp.Abstractions.Errors.NotFoundException">No asset ever joined this fleet.</exception>
    [AlwaysInterleave]
    Task<OutputSample[]> GetOutputAfterAsync(DateTimeOffset? after, int max);

    /// <summary>What <see cref="Fleets.FleetQueryGrain"/> needs from the fleet itself; no partition is asked.</summary>
    /// <exception cref="Vpp.Abstractions.Errors.NotFoundException">No asset ever joined this fleet.</exception>
    [AlwaysInterleave]
    Task<MarketSnapshot> GetMarketSnapshotAsync();
}
