namespace Vpp.Abstractions.Fleets;

/// <summary>
/// One fleet (a virtual power plant), keyed by fleet id. It knows its assets only through partition grains:
/// capacity flows up as <see cref="PartitionSummary"/>, dispatch flows down as plans.
/// </summary>
public interface IFleetGrain : IGrainWithStringKey
{
    /// <summary>The fleet, or null when no asset ever joined it. Read-only: answers even while a dispatch runs.</summary>
    [AlwaysInterleave]
    Task<FleetView?> GetAsync();

    /// <summary>Sets the fleet's standing target and splits it over the online assets.</summary>
    /// <exception cref="Errors.NotFoundException">No asset ever joined this fleet.</exception>
    /// <exception cref="Errors.InvalidInputException">The target is not a finite number.</exception>
    Task<DispatchResult> DispatchAsync(DispatchRequest request);

    /// <summary>Newest first. Read-only: answers even while a dispatch runs.</summary>
    /// <exception cref="Errors.NotFoundException">No asset ever joined this fleet.</exception>
    [AlwaysInterleave]
    Task<FleetEvent[]> GetEventsAsync(int limit);

    /// <summary>
    /// Newest first, only events older than <paramref name="beforeSequence"/>: pages back through everything the fleet
    /// retains (<c>Vpp:EventRetention</c>), passing the smallest sequence of one page as the cursor of the next.
    /// </summary>
    /// <exception cref="Errors.NotFoundException">No asset ever joined this fleet.</exception>
    [AlwaysInterleave]
    Task<FleetEvent[]> GetEventsBeforeAsync(long beforeSequence, int limit);

    /// <summary>
    /// Subscribes (or refreshes the subscription of) an observer to this fleet's events until
    /// <paramref name="lease"/> from now; a subscriber refreshes well before that. Subscriptions live in the
    /// activation only: after a silo restart the refresh answers <see cref="FleetSubscription.IsNew"/>.
    /// </summary>
    /// <exception cref="Errors.NotFoundException">No asset ever joined this fleet.</exception>
    /// <exception cref="Errors.InvalidInputException">The lease is not between 1 second and 1 hour.</exception>
    [AlwaysInterleave]
    Task<FleetSubscription> SubscribeAsync(IFleetEventObserver observer, TimeSpan lease);

    /// <summary>Ends a subscription; unknown observers are ignored.</summary>
    [AlwaysInterleave]
    Task UnsubscribeAsync(IFleetEventObserver observer);

    /// <summary>Called by partitions when their share changes.</summary>
    Task ReportPartitionAsync(PartitionSummary summary);

    /// <summary>Re-dispatches the standing target after assets changed status; sent by the fleet to itself.</summary>
    Task ReallocateAsync();

    /// <summary>
    /// The output history of the last <paramref name="minutes"/> (1 to 60), oldest first, one sample per
    /// <c>Vpp:OutputSampleInterval</c>. The last hour is stored (state <c>fleetOutput</c>) every
    /// <c>Vpp:OutputWriteInterval</c> and on deactivation, and read back on activation: a crash loses at most that interval.
    /// </summary>
    /// <exception cref="Errors.NotFoundException">No asset ever joined this fleet.</exception>
    /// <exception cref="Errors.InvalidInputException">The minutes are not 1 to 60.</exception>
    [AlwaysInterleave]
    Task<FleetOutput> GetOutputAsync(int minutes);

    /// <summary>At most <paramref name="max"/> samples taken after <paramref name="after"/> (all retained when null), oldest first.</summary>
    /// <exception cref="Errors.NotFoundException">No asset ever joined this fleet.</exception>
    [AlwaysInterleave]
    Task<OutputSample[]> GetOutputAfterAsync(DateTimeOffset? after, int max);

    /// <summary>
    /// Per 15-minute slot of [from, to) (widened to whole slots, at most <c>Vpp:Market:MaxQuerySlots</c>): the up and
    /// down power the fleet can guarantee for a product lasting <paramref name="productDuration"/>, net of what is
    /// committed. Each partition pools its members in parallel.
    /// </summary>
    /// <exception cref="Errors.NotFoundException">No asset ever joined this fleet.</exception>
    /// <exception cref="Errors.InvalidInputException">from/to missing, to not after from, the range too long, or a duration outside 15 min to 24 h.</exception>
    [AlwaysInterleave]
    Task<FlexibilityView> GetFlexibilityAsync(DateTimeOffset? from, DateTimeOffset? to, TimeSpan productDuration);

    /// <summary>Bids for a product ("fcr", "afrr", "intraday") per product block touching [from, to), pooled and rounded down.</summary>
    /// <exception cref="Errors.NotFoundException">No asset ever joined this fleet.</exception>
    /// <exception cref="Errors.InvalidInputException">Unknown product, or from/to as for flexibility.</exception>
    [AlwaysInterleave]
    Task<BidsView> GetBidsAsync(string? product, DateTimeOffset? from, DateTimeOffset? to);

    /// <summary>
    /// The fleet's online assets folded into optimisation groups for <paramref name="slots"/> quarter hours from
    /// <paramref name="from"/> (each partition folds its members in parallel), and its FCR band per slot.
    /// </summary>
    /// <exception cref="Errors.NotFoundException">No asset ever joined this fleet.</exception>
    [AlwaysInterleave]
    Task<Optimisation.OptimisationInput> GetOptimisationInputAsync(DateTimeOffset from, int slots);
}

/// <summary>
/// A slice of one fleet's assets (key "{fleetId}~pNNN"). Aggregates their capability for the fleet and applies
/// dispatch plans to them, so fan-out runs from many grains at once.
/// </summary>
public interface IFleetPartitionGrain : IGrainWithStringKey
{
    // Members calls interleave: an asset may call in while this partition waits on that asset during a dispatch.

    /// <summary>Adds (or refreshes) a member; durable when it returns.</summary>
    [AlwaysInterleave]
    Task JoinAsync(string assetId, Assets.MemberReport report);

    /// <summary>Removes a member; durable when it returns.</summary>
    [AlwaysInterleave]
    Task LeaveAsync(string assetId);

    /// <summary>A member's capability or status changed.</summary>
    [AlwaysInterleave]
    Task UpdateMemberAsync(string assetId, Assets.MemberReport report, Assets.StatusChange? statusChange);

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
