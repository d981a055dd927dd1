namespace Vpp.Abstractions.Fleets;

/// <summary>
/// One fleet (a virtual power plant), keyed by fleet id. It knows its assets only through partition grains:
/// capacity flows up as partition summaries, dispatch flows down as plans.
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

    /// <summary>
    /// The output history of the last <paramref name="minutes"/> (1 to 60), oldest first, one sample per
    /// <c>Vpp:OutputSampleInterval</c>. The last hour is stored (state <c>fleetOutput</c>) every
    /// <c>Vpp:OutputWriteInterval</c> and on deactivation, and read back on activation: a crash loses at most that interval.
    /// </summary>
    /// <exception cref="Errors.NotFoundException">No asset ever joined this fleet.</exception>
    /// <exception cref="Errors.InvalidInputException">The minutes are not 1 to 60.</exception>
    [AlwaysInterleave]
    Task<FleetOutput> GetOutputAsync(int minutes);
}
