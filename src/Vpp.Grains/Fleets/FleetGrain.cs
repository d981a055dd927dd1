using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Domain.Schedules;
using Vpp.Grains.Storage;

namespace Vpp.Grains.Fleets;

/// <summary>
/// A fleet: one entity to dispatch. Plans on the supply curve its partitions push up, sends the plan down in
/// rounds until the target is met or nobody can move, and re-dispatches its standing target when assets drop out.
/// A reminder keeps it alive across restarts: on every activation it re-dispatches its standing target (setpoints
/// are not stored per dispatch), and each tick prunes events older than <see cref="VppOptions.EventRetention"/>.
/// </summary>
public sealed partial class FleetGrain(
    [PersistentState(FleetGrain.StateName, VppOptions.StorageName)] IPersistentState<FleetState> state,
    [PersistentState(FleetGrain.GridServicesStateName, VppOptions.StorageName)] IPersistentState<FleetGridServicesState> gridState,
    [PersistentState(FleetGrain.TargetsStateName, VppOptions.StorageName)] IPersistentState<TargetHistoryState> targetHistory,
    [PersistentState("fleetOutput", VppOptions.StorageName)] IPersistentState<FleetOutputState> outputState,
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    IOptions<VppOptions> options,
    ILogger<FleetGrain> logger) : Grain, IFleetGrain, IFleetInternal, IRemindable
{
    public const string UpkeepReminder = "fleet-upkeep";

    /// <summary>Stored state names; <see cref="SettlementQueryGrain"/> reads the last two.</summary>
    public const string StateName = "fleet", GridServicesStateName = "fleetGridServices", TargetsStateName = "fleetTargets";

    /// <summary>A dispatch target beyond a terawatt is a typo, not an instruction.</summary>
    public const double MaxAbsTargetKw = 1e9;

    private readonly VppOptions _options = options.Value;
    private FleetPartitions _partitions = null!;
    private FleetEventLog _events = null!;
    private WriteBehind _eventWrites = null!;
    private QueuedSelfCall _reallocation = null!;
    private PartitionRounds _rounds = null!;
    private bool _reminderRegistered;

    private string FleetId => this.GetPrimaryKeyString();

    private FleetState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _partitions = new FleetPartitions(
            this, _options.UnansweredRetryInterval,
            key => GrainFactory.GetGrain<IFleetPartitionGrain>(key).GetSummaryAsync(),
            (key, error) => LogPartitionFailed(FleetId, key, error.Message),
            () =>
            {
                _pending.PartitionsRecovered();
                QueueReallocation();
            });
        _rounds = new PartitionRounds(RunRoundAsync, _options.MaxDispatchRounds);
        _events = new FleetEventLog(() => S, clock, _options.EventsRetained, error => LogPushFailed(FleetId, error));
        _eventWrites = new WriteBehind(this, _options.EventWriteDelay, WriteStateAsync);
        _gridWrites = new WriteBehind(this, GridOptions.AfrrWriteInterval, gridState.WriteStateAsync);
        CreateSelfCalls();
        await _partitions.ReadAllAsync(S.PartitionKeys);

        if (S.Known)
        {
            await EnsureUpkeepReminderAsync();
            StartOutputSampling();
            await RegisterInDirectoryAsync();
            WatchFrequencyAge(); // FCR periods may have started or ended while the fleet was not active
        }

        // The assets' setpoints are not stored per dispatch: after a restart or a failover the standing target is
        // sent again, so the fleet delivers what it last promised.
        if (BaseKw is not null || ServicesActive)
        {
            _pending.Reactivated();
            QueueReallocation();
        }
    }

    /// <summary>Prunes events older than the retention; the tick also wakes the fleet after a restart.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != UpkeepReminder)
        {
            return;
        }

        var cutoff = clock.GetUtcNow() - _options.EventRetention;
        var pruned = _events.Prune(cutoff);
        if (pruned > 0)
        {
            await WriteStateAsync();
            LogEventsPruned(FleetId, pruned, _options.EventRetention.TotalHours);
        }
    }

    private async Task EnsureUpkeepReminderAsync()
    {
        if (_reminderRegistered)
        {
            return;
        }

        try
        {
            await this.RegisterOrUpdateReminder(UpkeepReminder, _options.UpkeepPeriod, _options.UpkeepPeriod);
            _reminderRegistered = true;
        }
        catch (Exception ex)
        {
            // The reminder table being unreachable must not stop dispatch; the next activation tries again.
            LogReminderFailed(FleetId, ex.GetBaseException().Message);
        }
    }

    public Task<FleetView?> GetAsync() => Task.FromResult(S.Known ? View() : null);

    public Task<FleetEvent[]> GetEventsAsync(int limit)
    {
        RequireKnown();
        return Task.FromResult(_events.Newest(limit));
    }

    public Task<FleetEvent[]> GetEventsBeforeAsync(long beforeSequence, int limit)
    {
        RequireKnown();
        return Task.FromResult(_events.Before(beforeSequence, limit));
    }

    public Task<FleetSubscription> SubscribeAsync(IFleetEventObserver observer, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(observer);
        RequireKnown();
        var subscription = _events.Subscribe(observer, lease);
        if (subscription.IsNew)
        {
            LogSubscribed(FleetId, _events.SubscriberCount);
        }

        return Task.FromResult(subscription);
    }

    public Task UnsubscribeAsync(IFleetEventObserver observer)
    {
        _events.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public async Task<DispatchResult> DispatchAsync(DispatchRequest request)
    {
        if (!double.IsFinite(request.TargetKw) || Math.Abs(request.TargetKw) > MaxAbsTargetKw)
        {
            throw new InvalidInputException("targetKw", $"must be a finite number between {-MaxAbsTargetKw} and {MaxAbsTargetKw}");
        }

        if (!Enum.IsDefined(request.Strategy))
        {
            throw new InvalidInputException("strategy", WireNames.OneOf(DispatchStrategies.Names));
        }

        RequireKnown();
        RequireFcrBandFree(request.TargetKw + (S.SlicesKw ?? 0));
        await StoreTargetAsync(request.TargetKw, request.Strategy);
        _redispatches.ForgetMoves();
        await SendSocShareIfChangedAsync();
        var result = await RunDispatchAsync(TargetToDispatch(BaseKw)!.Value, request.Strategy, request.IncludeSetpoints);
        RecordTargetStep(RequestedFrom(request.RequestedFrom, result.At), BaseKw ?? request.TargetKw);
        AddEvent(new DispatchEvent(
            0, result.At,
            $"Dispatched {result.TargetKw:0.###} kW ({result.Strategy.ToWire()}): {result.AllocatedKw:0.###} kW acknowledged"
            + (result.ShortfallKw != 0 ? $", shortfall {result.ShortfallKw:0.###} kW" : ""),
            DispatchId: result.DispatchId, TargetKw: result.TargetKw, AllocatedKw: result.AllocatedKw, ShortfallKw: result.ShortfallKw));
        await WriteDispatchOutcomeAsync();
        await WriteTargetHistoryAsync();
        return result;
    }

    public async Task ReportPartitionAsync(PartitionSummary summary)
    {
        if (_partitions.Reported(summary))
        {
            _pending.PartitionsRecovered();
            QueueReallocation();
        }

        var changed = false;
        if (summary.AssetCount > 0 && S.PartitionKeys.Add(summary.PartitionKey))
        {
            changed = true;
        }

        if (!S.Known && summary.AssetCount > 0)
        {
            S.Known = true;
            changed = true;
        }

        var recorded = RecordMembership(summary.MembershipChanges) | RecordStatusChanges(summary.StatusChanges);
        CheckDrift();
        RecordSocAlertIfChanged();
        if (changed)
        {
            await WriteStateAsync(); // the fleet's existence and its partitions are facts others rely on
            await EnsureUpkeepReminderAsync();
            StartOutputSampling();
            await RegisterInDirectoryAsync();
            WatchFrequencyAge(); // FCR periods may have started or ended while the fleet was not active
        }
        else if (recorded)
        {
            WriteEventsBehind(); // a burst of status changes must not mean a burst of writes
        }
    }

    /// <summary>Watts are the resolution that matters; more digits are floating-point noise in results and events.</summary>
    private static double RoundKw(double kw) => Math.Round(kw, 3);

    private async Task<DispatchResult> RunDispatchAsync(double targetKw, DispatchStrategy strategy, bool includeSetpoints)
    {
        var dispatchId = $"{FleetId}-{clock.GetUtcNow():yyyyMMddHHmmssfff}-{Guid.NewGuid().ToString("N")[..8]}";
        var socShare = SocManagementShare();
        var socLimits = SocLimits();
        var (curve, participants) = _partitions.OnlineSupply(socShare, socLimits);

        _dispatchedSocMovedKw = SocManagementMovedKw();
        _socDispatchedAt = clock.GetUtcNow();
        // Without a fresh frequency the corrections are all 0 kW: such a dispatch does not count as having sent them,
        // so the next fresh measurement sends them at once instead of waiting out the interval.
        _socDispatched = socShare is not null && (socLimits.DischargeShare > 0 || socLimits.ChargeShare > 0);
        _socShareSent = socShare ?? _socShareSent;

        var outcome = await _rounds.RunAsync(
            targetKw, strategy, curve, participants,
            new PartitionRoundRequest(dispatchId, 0, null!, includeSetpoints, socShare, socLimits.DischargeShare, socLimits.ChargeShare));

        _partitions.Dispatched(outcome.AcceptedKw);

        var allocatedKw = RoundKw(outcome.AllocatedKw);
        var at = clock.GetUtcNow();
        var shortfallKw = Math.Abs(targetKw - allocatedKw) <= Capability.ToleranceKw ? 0 : RoundKw(targetKw - allocatedKw);
        S.AllocatedKw = allocatedKw;
        S.ShortfallKw = shortfallKw;
        _headroomAtDispatch = shortfallKw == 0 ? default : _partitions.Headroom();
        S.LastDispatchId = dispatchId;
        S.LastDispatchAt = at;
        LogDispatched(FleetId, dispatchId, targetKw, allocatedKw, outcome.Rounds);
        var largest = new LargestChanges(MaxPickedUpByReported);
        largest.OfferAll(outcome.Changes);
        return new DispatchResult(
            dispatchId, at, targetKw, strategy, allocatedKw, shortfallKw, outcome.Rounds,
            outcome.AcknowledgedCount, outcome.UnacknowledgedCount, outcome.ClampedCount, outcome.Setpoints, largest.ToArray());
    }

    private async Task<PartitionRoundResult> RunRoundAsync(string key, PartitionRoundRequest request)
    {
        try
        {
            var result = await GrainFactory.GetGrain<IFleetPartitionGrain>(key).DispatchRoundAsync(request);
            _partitions.Answered(key);
            return result;
        }
        catch (Exception ex)
        {
            // A partition that cannot answer delivers nothing we can count on; the others take its share next round.
            // Its assets may still hold older setpoints, so it is asked again until it answers and then included.
            _partitions.DidNotAnswer(key, ex);
            return new PartitionRoundResult(0, [], 0, 0, 0, []);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _eventWrites.FlushAsync();
        await _gridWrites.FlushAsync();
        await WriteOutputAsync();
    }

    private async Task WriteStateAsync()
    {
        _eventWrites.Cancel(); // this write carries the pending events
        var mine = S;
        var events = _events.Unstored();
        await state.WriteRecoveringAsync(() => FleetStateMerge.Reapply(mine, S, events, _options.EventsRetained), this.GetGrainId(), logger);
        _events.Stored(events.Length);
    }

    /// <summary>Stores the events added so far within <see cref="VppOptions.EventWriteDelay"/>, together with any that follow.</summary>
    private void WriteEventsBehind() => _eventWrites.Request();

    private void AddEvent(FleetEvent fleetEvent) => _events.Add(fleetEvent);

    private void RequireKnown()
    {
        if (!S.Known)
        {
            throw new NotFoundException("fleet", FleetId);
        }
    }

    private FleetView View()
    {
        int assets = 0, online = 0;
        var curve = new SupplyCurve();
        foreach (var summary in _partitions.Values)
        {
            assets += summary.AssetCount;
            online += summary.OnlineCount;
            curve.Add(new SupplyCurve(summary.Curve));
        }

        var measured = Measured();
        return new FleetView(
            FleetId,
            new FleetCounts(assets, online),
            new FleetCapacity(curve.MinKw, curve.MaxKw, curve.PreferredKw),
            new FleetDispatchView(
                EffectiveTargetKw, S.Strategy, S.AllocatedKw, BaseKw is null && _composed is null ? 0 : S.ShortfallKw,
                S.LastDispatchId, S.LastDispatchAt),
            new FleetMeasurement(measured.Kw, measured.At, measured.Count, measured.StaleCount),
            ServicesView(),
            StoragePool.Sum(_partitions.Values.Select(p => p.Batteries.Storage)));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fleet {FleetId} dispatch {DispatchId}: target {TargetKw} kW, allocated {AllocatedKw} kW in {Rounds} round(s)")]
    private partial void LogDispatched(string fleetId, string dispatchId, double targetKw, double allocatedKw, int rounds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet {FleetId}: partition {Partition} did not answer (it is asked again until it does): {Error}")]
    private partial void LogPartitionFailed(string fleetId, string partition, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet {FleetId}: could not register its upkeep reminder (retried on the next activation): {Error}")]
    private partial void LogReminderFailed(string fleetId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet {FleetId}: pruned {Count} event(s) older than {RetentionHours} h")]
    private partial void LogEventsPruned(string fleetId, int count, double retentionHours);
    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet {FleetId}: new event subscriber ({Count} now)")]
    private partial void LogSubscribed(string fleetId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet {FleetId}: dropped an event subscriber whose push failed: {Error}")]
    private partial void LogPushFailed(string fleetId, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Fleet {FleetId}: re-dispatch failed: {Error}")]
    private partial void LogReallocationFailed(string fleetId, string? error);
}
