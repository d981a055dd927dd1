using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Schedules;

namespace Vpp.Abstractions.VirtualBatteries;

/// <summary>A virtual battery (key: its id): a trader's slice of a fleet's batteries.</summary>
public interface IVirtualBatteryGrain : IGrainWithStringKey
{
    /// <summary>Creates or changes the slice; refused (409) when the fleet's book has no room for it.</summary>
    Task<VirtualBatteryView> ConfigureAsync(VirtualBatteryConfig config);

    /// <summary>Null when the slice does not exist or was deleted.</summary>
    [AlwaysInterleave]
    Task<VirtualBatteryView?> GetAsync();

    /// <summary>
    /// Deletes the slice: it leaves its fleet's book (its capacity is free again, its setpoint leaves the fleet's base
    /// target); its settlement history stays (<see cref="GetDeletedAsync"/>). Unknown or already deleted: not found.
    /// </summary>
    Task DeleteAsync();

    /// <summary>What a deleted slice was and when it was deleted; null when it was not deleted.</summary>
    [AlwaysInterleave]
    Task<DeletedSliceView?> GetDeletedAsync();

    /// <summary>Sets the slice's standing setpoint now; refused (400 with a reason) when the slice cannot deliver it.</summary>
    Task<VirtualBatteryView> DispatchAsync(double targetKw);

    /// <summary>Stores 15-minute slots; refused (400 with a reason) when the plan would be undeliverable.</summary>
    Task<VirtualBatteryView> SubmitScheduleAsync(ScheduleRequest request);
}

/// <summary>
/// A fleet's slice book (key: fleet id): the slices of the fleet, the allocation rule enforced one request at a time,
/// and the netting of their setpoints into the fleet's slice component, curtailed pro rata when the fleet cannot
/// deliver it. It wakes before each quarter hour to re-validate the next slot, and at each quarter hour to apply it.
/// </summary>
public interface ISliceBookGrain : IGrainWithStringKey
{
    [AlwaysInterleave]
    Task<SliceBookView> GetAsync();

    /// <summary>Settlement per slot and slice for the given slices (all when null), with per-trader totals.</summary>
    [AlwaysInterleave]
    Task<SliceSettlementView> GetSettlementAsync(DateTimeOffset from, DateTimeOffset to, string[]? virtualBatteryIds);
}

/// <summary>
/// Every fleet's slices at once (a stateless worker, key <see cref="Key"/>): the slices of one trader or of all, and
/// their settlement merged from the fleets' slice books (<see cref="ISliceBookGrain.GetSettlementAsync"/>) with
/// per-trader totals. The HTTP API (<c>GET /virtual-batteries</c>, <c>GET /virtual-batteries/settlement</c>) and the
/// SDK both read it, so one place lists, merges and totals. A caller acting for a trader (<see cref="TraderScope"/>)
/// gets only that trader's slices.
/// </summary>
public interface IVirtualBatteriesGrain : IGrainWithStringKey
{
    public const string Key = "all";

    /// <summary>
    /// The slices, booked and not deleted, of <paramref name="traderId"/> (every trader's when null) in
    /// <paramref name="fleetIds"/> (every fleet when null), by id.
    /// </summary>
    Task<VirtualBatteryView[]> ListAsync(string? traderId, string[]? fleetIds);

    /// <summary>
    /// Rows per slot and slice over [from, to) (widened to whole quarter hours, at most
    /// <c>SlotRange.DefaultMaxSlots</c>) of the slices, booked or deleted, of <paramref name="traderId"/> (every
    /// trader's when null) in <paramref name="fleetIds"/> (every fleet when null), ordered by slot then slice, with
    /// per-trader totals. Null when a trader is named that has no slice, booked or deleted, in those fleets.
    /// </summary>
    Task<SliceSettlementView?> GetSettlementAsync(DateTimeOffset? from, DateTimeOffset? to, string? traderId, string[]? fleetIds);
}
