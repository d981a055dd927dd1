using System.Runtime.CompilerServices;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Schedules;
using Vpp.Abstractions.VirtualBatteries;
using Vpp.Client.Errors;

namespace Vpp.Client;

/// <summary>
/// Virtual batteries: traders' slices of a fleet's batteries, each traded as a battery of its own while the VPP nets
/// them into one fleet target. A client acts for the operator and reaches every virtual battery, or, made with
/// <see cref="ForTrader"/> or <see cref="VppClientOptions.TraderId"/>, for one trader and reaches only its slices.
/// </summary>
public sealed partial class VppClient
{
    /// <summary>Creates or changes a virtual battery (a slice of <see cref="VirtualBatteryConfig.FleetId"/>'s batteries).</summary>
    /// <exception cref="VppValidationException">The id or a field of the spec is malformed (the problem names it).</exception>
    /// <exception cref="VppOverbookedException">The fleet has no room for it; says what is free.</exception>
    /// <exception cref="VppConflictException">It would move to another trader or fleet.</exception>
    /// <exception cref="VppNotFoundException">The fleet does not exist.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<VirtualBatteryView> PutVirtualBatteryAsync(string virtualBatteryId, VirtualBatteryConfig config, CancellationToken cancellationToken = default)
    {
        ErrorTranslation.CheckId("vbId", virtualBatteryId);
        ArgumentNullException.ThrowIfNull(config);
        return ErrorTranslation.CallAsync(() => AsTrader(() => Slice(virtualBatteryId).ConfigureAsync(config)), cancellationToken);
    }

    /// <summary>
    /// The virtual batteries this client may see, by id: every trader's, or only its trader's for a client acting for one
    /// (<see cref="ForTrader"/>); as <c>GET /api/v1/virtual-batteries</c>.
    /// </summary>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<VirtualBatteryView[]> ListVirtualBatteriesAsync(CancellationToken cancellationToken = default) =>
        ErrorTranslation.CallAsync(() => AsTrader(() => All.ListAsync(null, null)), cancellationToken);

    /// <summary>The virtual battery now: virtual SoC, request and setpoint (curtailment and why), available power, next slots.</summary>
    /// <exception cref="VppNotFoundException">No virtual battery has this id.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public async Task<VirtualBatteryView> GetVirtualBatteryAsync(string virtualBatteryId, CancellationToken cancellationToken = default)
    {
        ErrorTranslation.CheckId("vbId", virtualBatteryId);
        return await ErrorTranslation.CallAsync(() => AsTrader(() => Slice(virtualBatteryId).GetAsync()), cancellationToken)
            ?? throw new VppNotFoundException("virtualBattery", virtualBatteryId);
    }

    /// <summary>
    /// Deletes the virtual battery: it leaves its fleet's book (its capacity is free again and its setpoint leaves the
    /// fleet's base target); its settlement stays readable (<see cref="GetVirtualBatterySettlementAsync"/>).
    /// </summary>
    /// <exception cref="VppNotFoundException">No virtual battery has this id, or it was deleted already.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task DeleteVirtualBatteryAsync(string virtualBatteryId, CancellationToken cancellationToken = default)
    {
        ErrorTranslation.CheckId("vbId", virtualBatteryId);
        return ErrorTranslation.CallAsync(() => AsTrader(() => Slice(virtualBatteryId).DeleteAsync()), cancellationToken);
    }

    /// <summary>Sets the virtual battery's standing setpoint now (kW, + = discharging to the grid).</summary>
    /// <exception cref="VppUndeliverableException">The slice cannot hold it (reason power, energy, soc or window).</exception>
    /// <exception cref="VppNotFoundException">No virtual battery has this id.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<VirtualBatteryView> DispatchVirtualBatteryAsync(string virtualBatteryId, double targetKw, CancellationToken cancellationToken = default)
    {
        ErrorTranslation.CheckId("vbId", virtualBatteryId);
        return ErrorTranslation.CallAsync(() => AsTrader(() => Slice(virtualBatteryId).DispatchAsync(targetKw)), cancellationToken);
    }

    /// <summary>Stores 15-minute slots for the virtual battery from <paramref name="startUtc"/> (a UTC quarter hour), one target per slot.</summary>
    /// <exception cref="VppUndeliverableException">The plan would take the virtual SoC outside 0–100 % or exceed the slice (the field names the slot).</exception>
    /// <exception cref="VppValidationException">A misaligned start, no slots, or a slot that has ended.</exception>
    /// <exception cref="VppNotFoundException">No virtual battery has this id.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<VirtualBatteryView> PutVirtualBatteryScheduleAsync(
        string virtualBatteryId, DateTimeOffset startUtc, IReadOnlyList<double> targetsKw, CancellationToken cancellationToken = default)
    {
        ErrorTranslation.CheckId("vbId", virtualBatteryId);
        ArgumentNullException.ThrowIfNull(targetsKw);
        var request = new ScheduleRequest(startUtc, [.. targetsKw.Select(t => new ScheduleSlotRequest(t))]);
        return ErrorTranslation.CallAsync(() => AsTrader(() => Slice(virtualBatteryId).SubmitScheduleAsync(request)), cancellationToken);
    }

    /// <summary>
    /// Settlement of the virtual battery per slot in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>): requested,
    /// setpoint after curtailment, delivered (its share of the fleet's measured delivery; null while a meter has a gap),
    /// deviation, curtailment and why, virtual SoC at slot end; with its trader's total. A deleted virtual battery's
    /// settlement stays readable.
    /// </summary>
    /// <exception cref="VppValidationException"><paramref name="toUtc"/> is not after <paramref name="fromUtc"/>, or the range is too long.</exception>
    /// <exception cref="VppNotFoundException">No virtual battery has this id.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public async Task<SliceSettlementView> GetVirtualBatterySettlementAsync(
        string virtualBatteryId, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken = default)
    {
        ErrorTranslation.CheckId("vbId", virtualBatteryId);
        var fleetId = (await ErrorTranslation.CallAsync(() => AsTrader(() => Slice(virtualBatteryId).GetAsync()), cancellationToken))?.Spec.FleetId
            ?? (await ErrorTranslation.CallAsync(() => AsTrader(() => Slice(virtualBatteryId).GetDeletedAsync()), cancellationToken))?.Spec.FleetId
            ?? throw new VppNotFoundException("virtualBattery", virtualBatteryId);
        return await ErrorTranslation.CallAsync(
            () => AsTrader(() => _cluster.GetGrain<ISliceBookGrain>(fleetId).GetSettlementAsync(fromUtc, toUtc, [virtualBatteryId])), cancellationToken);
    }

    /// <summary>
    /// Settlement of one trader's virtual batteries, booked or deleted, in every fleet, per slot and slice over
    /// [<paramref name="fromUtc"/>, <paramref name="toUtc"/>) widened to whole quarter hours: requested, setpoint after
    /// curtailment, delivered (null while a meter has a gap), deviation, curtailment and why, virtual SoC at slot end;
    /// with the trader's total. The rows of <c>GET /api/v1/virtual-batteries/settlement</c> with that trader's key.
    /// </summary>
    /// <exception cref="VppValidationException">The trader id is malformed, <paramref name="toUtc"/> is not after <paramref name="fromUtc"/>, or the range is longer than 31 days.</exception>
    /// <exception cref="VppNotFoundException">The trader has no virtual battery, booked or deleted, or this client acts for another trader.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public async Task<SliceSettlementView> GetTraderSettlementAsync(
        string traderId, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken = default)
    {
        ErrorTranslation.CheckId("traderId", traderId);
        return await ErrorTranslation.CallAsync(
                () => AsTrader(() => All.GetSettlementAsync(fromUtc, toUtc, traderId, null)), cancellationToken)
            ?? throw new VppNotFoundException("trader", traderId);
    }

    /// <summary>
    /// As <see cref="GetTraderSettlementAsync"/> for every virtual battery this client may see, with a total per trader:
    /// every trader's, or only its trader's for a client acting for one (the rows of
    /// <c>GET /api/v1/virtual-batteries/settlement</c> with the operator's or that trader's key).
    /// </summary>
    /// <exception cref="VppValidationException"><paramref name="toUtc"/> is not after <paramref name="fromUtc"/>, or the range is longer than 31 days.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public async Task<SliceSettlementView> GetVirtualBatteriesSettlementAsync(DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken = default) =>
        (await ErrorTranslation.CallAsync(
            () => AsTrader(() => All.GetSettlementAsync(fromUtc, toUtc, null, null)), cancellationToken))!;

    /// <summary>The fleet's virtual batteries, their net setpoint and what is still free for new ones (the operator's view).</summary>
    /// <exception cref="VppValidationException">The fleet id is malformed.</exception>
    /// <exception cref="VppNotFoundException">This client acts for a trader (<see cref="ForTrader"/>), which sees no book.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<SliceBookView> GetSliceBookAsync(string fleetId, CancellationToken cancellationToken = default)
    {
        ErrorTranslation.CheckId("fleetId", fleetId);
        return ErrorTranslation.CallAsync(() => AsTrader(() => _cluster.GetGrain<ISliceBookGrain>(fleetId).GetAsync()), cancellationToken);
    }

    /// <summary>
    /// The virtual battery's events as they happen (its curtailments, the events of its fleet that name it in
    /// <see cref="SliceCurtailmentEvent.VirtualBatteryIds"/>), until <paramref name="cancellationToken"/> is cancelled; another
    /// slice's events are not delivered. It rides on its fleet's subscription (<see cref="SubscribeAsync(string, CancellationToken)"/>):
    /// it renews itself, and after a silo restart yields a <see cref="FleetEventKinds.Resubscribed"/> event and the
    /// events it missed. Enumeration throws the SDK's typed exceptions when the first subscription fails.
    /// </summary>
    /// <exception cref="VppNotFoundException">No virtual battery has this id, or it was deleted.</exception>
    /// <exception cref="VppValidationException">The id is malformed.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public IAsyncEnumerable<FleetEvent> SubscribeVirtualBatteryAsync(string virtualBatteryId, CancellationToken cancellationToken = default) =>
        ReadSliceFeedAsync(virtualBatteryId, afterSequence: null, cancellationToken);

    /// <summary>
    /// As <see cref="SubscribeVirtualBatteryAsync(string, CancellationToken)"/>, but first delivers the slice's retained
    /// events after <paramref name="afterSequence"/> (a <see cref="FleetEvent.Sequence"/> of its fleet's events seen earlier).
    /// </summary>
    public IAsyncEnumerable<FleetEvent> SubscribeVirtualBatteryAsync(string virtualBatteryId, long afterSequence, CancellationToken cancellationToken = default) =>
        ReadSliceFeedAsync(virtualBatteryId, afterSequence, cancellationToken);

    private async IAsyncEnumerable<FleetEvent> ReadSliceFeedAsync(
        string virtualBatteryId, long? afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ErrorTranslation.CheckId("vbId", virtualBatteryId);
        var fleetId = (await ErrorTranslation.CallAsync(() => AsTrader(() => Slice(virtualBatteryId).GetAsync()), cancellationToken))?.Spec.FleetId
            ?? throw new VppNotFoundException("virtualBattery", virtualBatteryId);
        await foreach (var fleetEvent in ReadFeedAsync(fleetId, afterSequence, cancellationToken))
        {
            if (fleetEvent is ResubscribedEvent || (fleetEvent is SliceCurtailmentEvent curtailment && curtailment.VirtualBatteryIds.Contains(virtualBatteryId)))
            {
                yield return fleetEvent;
            }
        }
    }

    private IVirtualBatteryGrain Slice(string virtualBatteryId) => _cluster.GetGrain<IVirtualBatteryGrain>(virtualBatteryId);

    private IVirtualBatteriesGrain All => _cluster.GetGrain<IVirtualBatteriesGrain>(IVirtualBatteriesGrain.Key);

    /// <summary>Makes the call with this client's trader (<see cref="TraderId"/>) in its request context, for the silo to apply.</summary>
    private async Task<T> AsTrader<T>(Func<Task<T>> call)
    {
        if (TraderId is not { } trader)
        {
            return await call();
        }

        // The request context is async-local: set here, it goes with this call only and ends with this method.
        RequestContext.Set(TraderScope.Key, trader);
        return await call();
    }

    private Task AsTrader(Func<Task> call) => AsTrader(async () =>
    {
        await call();
        return true;
    });
}
