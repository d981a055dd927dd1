using Orleans.Concurrency;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;

namespace Vpp.Grains.Contracts;

/// <summary>
/// A slice of one fleet's assets (key "{fleetId}~pNNN"). Aggregates their capability for the fleet and applies
/// dispatch plans to them, so fan-out runs from many grains at once.
/// </summary>
public interface IFleetPartitionGrain : IGrainWithStringKey
{
    // Members calls interleave: an asset may call in while this partition waits on that asset during a dispatch.

    /// <summary>Adds (or refreshes) a member; durable when it returns.</summary>
    [AlwaysInterleave]
    Task JoinAsync(string assetId, MemberReport report);

    /// <summary>
    /// Registers assets of this partition that were never registered, without activating them: stores each one's row
    /// as its first configuration would, then joins them all with one membership write and one report to the fleet;
    /// durable when it returns. Answers which items it left to their own grains (a row exists) and which storage did
    /// not take.
    /// </summary>
    [AlwaysInterleave]
    Task<BulkJoinResult> RegisterNewAsync(AssetRegistration[] items);

    /// <summary>Removes a member; durable when it returns.</summary>
    [AlwaysInterleave]
    Task LeaveAsync(string assetId);

    /// <summary>A member's capability or status changed.</summary>
    [AlwaysInterleave]
    Task UpdateMemberAsync(string assetId, MemberReport report, StatusChange? statusChange);

    [AlwaysInterleave]
    Task<PartitionSummary> GetSummaryAsync();

    Task<PartitionRoundResult> DispatchRoundAsync(PartitionRoundRequest request);

    /// <summary>
    /// The reserve share FCR SoC management now works with (see <see cref="PartitionRoundRequest.SocManagementShare"/>),
    /// sent before a dispatch when it changed; answers the summary with the batteries' shifts at that share.
    /// </summary>
    [AlwaysInterleave]
    Task<PartitionSummary> SetSocManagementShareAsync(double share);

    /// <summary>The members' uncommitted flexibility summed per slot of [from, to) (whole quarter hours).</summary>
    [AlwaysInterleave]
    Task<PooledFlexSlot[]> PoolFlexibilityAsync(DateTimeOffset from, DateTimeOffset to, TimeSpan productDuration);
    /// <summary>The meter readings of members that have any in [from, to), one per member and slot (empty where silent).</summary>
    [AlwaysInterleave]
    Task<MeterReading[]> GetMeterReadingsAsync(DateTimeOffset from, DateTimeOffset to);

    /// <summary>Per slot of [from, to), the members that have meter data in the range, summed (see <see cref="MeterSlotTotal"/>).</summary>
    [AlwaysInterleave]
    Task<MeterSlotTotal[]> GetMeterTotalsAsync(DateTimeOffset from, DateTimeOffset to);

    /// <summary>The online members folded into optimisation groups (sums that add up across partitions).</summary>
    [AlwaysInterleave]
    Task<Vpp.Domain.Optimisation.GroupTotals[]> GetOptimisationGroupsAsync(DateTimeOffset from, int slots);

    /// <summary>
    /// The flexible-load members' metered consumption (kW, positive) summed per slot of <paramref name="slots"/> quarter
    /// hours from <paramref name="from"/>: each member's energy over the time its meter covered; null where none metered.
    /// </summary>
    [AlwaysInterleave]
    Task<double?[]> GetMeteredLoadAsync(DateTimeOffset from, int slots);
}
