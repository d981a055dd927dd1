using Orleans.Concurrency;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.VirtualBatteries;

namespace Vpp.Grains.Contracts;

/// <summary>The fleet's side of virtual batteries (implemented by the fleet grain, key: fleet id).</summary>
public interface IFleetSlicesGrain : IGrainWithStringKey
{
    /// <summary>Sets the slices' net setpoint, the part of the base target beside the fleet-level dispatch, and dispatches.</summary>
    Task<DispatchResult> SetSlicesTargetAsync(double slicesKw, DateTimeOffset? requestedFrom);

    /// <summary>
    /// Admits a slice (new or changed) beside <paramref name="booked"/>, the other slices in the book by id, and the FCR awards,
    /// in one turn: the fleet decides both slices and awards, so an award and a slice asked at the same instant are
    /// checked against each other. <see cref="SliceOverbookedException"/> when it does not fit; the capacity it was
    /// judged on when it does. Interleaves: the fleet may be asking the book while the book asks this.
    /// </summary>
    [AlwaysInterleave]
    Task<FleetSliceCapacity> AdmitSliceAsync(string virtualBatteryId, VirtualBatteryConfig config, Dictionary<string, VirtualBatteryConfig> booked);

    /// <summary>The slice left the book: its capacity no longer counts against FCR awards.</summary>
    [AlwaysInterleave]
    Task ReleaseSliceAsync(string virtualBatteryId);

    /// <summary>Null when the fleet does not exist.</summary>
    [AlwaysInterleave]
    Task<FleetSliceCapacity?> GetSliceCapacityAsync();

    /// <summary>
    /// What the fleet can give all its slices in each of <paramref name="quarters"/> quarter hours from
    /// <paramref name="from"/>: the online batteries now, less those planned to be out then; empty when the fleet does not exist.
    /// The planned unavailabilities may be up to <paramref name="maxAge"/> old (asked of the partitions at most once per it).
    /// </summary>
    [AlwaysInterleave]
    Task<SliceRangeAhead[]> GetSliceRangesAheadAsync(DateTimeOffset from, int quarters, TimeSpan maxAge);

    /// <summary>Records events about slices (curtailments) in the fleet's event log and pushes them to subscribers.</summary>
    Task RecordSliceEventsAsync(FleetEvent[] events);
}
