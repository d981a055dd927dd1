using Orleans.Concurrency;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.VirtualBatteries;

namespace Vpp.Grains.Contracts;

/// <summary>The fleet's side of virtual batteries (implemented by the fleet grain, key: fleet id).</summary>
public interface IFleetSlicesGrain : IGrainWithStringKey
{
    /// <summary>Sets the slices' net setpoint, the part of the base target beside the fleet-level dispatch, and dispatches.</summary>
    Task<DispatchResult> SetSlicesTargetAsync(double slicesKw, DateTimeOffset? requestedFrom);

    /// <summary>Null when the fleet does not exist.</summary>
    [AlwaysInterleave]
    Task<FleetSliceCapacity?> GetSliceCapacityAsync();

    /// <summary>
    /// What the fleet can give all its slices in each of <paramref name="quarters"/> quarter hours from
    /// <paramref name="from"/>: the online batteries now, less those planned to be out then; empty when the fleet does not exist.
    /// </summary>
    [AlwaysInterleave]
    Task<SliceRangeAhead[]> GetSliceRangesAheadAsync(DateTimeOffset from, int quarters);

    /// <summary>Records events about slices (curtailments) in the fleet's event log and pushes them to subscribers.</summary>
    Task RecordSliceEventsAsync(FleetEvent[] events);
}
