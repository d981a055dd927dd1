using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Ingest;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Domain.Fleets;
using Vpp.Domain.Schedules;
using Orleans.Storage;
using Vpp.Grains.Storage;

namespace Vpp.Grains.Assets;

/// <summary>
/// One physical asset. Thin over <see cref="AssetBehaviour"/> and <see cref="OperatingEnvelope"/>: it keeps the
/// live state, persists it, runs the silence watchdog and tells its partition when what it can do changes.
/// </summary>
public sealed partial class AssetGrain(
    [PersistentState(AssetState.StateName, VppOptions.StorageName)] IPersistentState<AssetState> state,
    [FromKeyedServices(VppOptions.StorageName)] IGrainStorage storage,
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    SilenceWatch silenceWatch,
    IOptions<VppOptions> options,
    ILogger<AssetGrain> logger) : Grain, IAssetGrain, IAssetMember
{
    private readonly VppOptions _options = options.Value;
    private IGrainTimer? _writeBehind;
    private bool _liveDirty;
    private readonly ReportedToPartition _reported = new(options.Value);

    // The newest measurement accepted, so a write-behind that meets a concurrent change can apply it again.
    private Telemetry? _lastTelemetry;

    private string AssetId => this.GetPrimaryKeyString();

    private AssetSpec? Spec => state.State.Spec;

    private AssetLiveState Live
    {
        get => state.State.Live;
        set => state.State.Live = value;
    }

    private DateTimeOffset Now => clock.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ResumeLeaving();
        if (Spec is not null && !state.State.NoUnavailabilityStored)
        {
            await ReadAvailabilityAsync();
        }

        if (Spec is not null && Live.Status == AssetStatus.Online)
        {
            ArmWatchdog();
        }

        await ActivateAvailabilityAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        DisarmWatchdog(); // the next activation arms its own
        if (_liveDirty)
        {
            await WriteLiveStateAsync(cancellationToken);
        }
    }

    public Task<AssetView> ConfigureAsync(AssetSpec spec) => ConfigureAsync(spec, fleetScope: null);

    public Task<AssetView> ConfigureInScopeAsync(AssetSpec spec, string[] fleetScope) =>
        ConfigureAsync(spec, fleetScope ?? throw new ArgumentNullException(nameof(fleetScope)));

    private async Task<AssetView> ConfigureAsync(AssetSpec spec, string[]? fleetScope)
    {
        var errors = new Domain.Validation.FieldErrors();
        EntityId.Check(errors, "assetId", AssetId);
        InvalidInputException.ThrowIfAny([.. errors.Errors, .. spec.Validate()]);

        string? previousPartition = null;
        var fleetChanged = false;
        void Apply()
        {
            if (fleetScope is not null && Spec is { } registered && !fleetScope.Contains(registered.FleetId, StringComparer.Ordinal))
            {
                throw new NotFoundException("asset", AssetId);
            }

            if (Spec is { } existing && existing.Kind != spec.Kind)
            {
                throw new ConflictException(
                    "kind",
                    $"asset '{AssetId}' is a {existing.Kind.ToWire()}; its kind cannot change to {spec.Kind.ToWire()} (register a new asset id instead)");
            }

            if (Spec is null)
            {
                // Nothing of this asset is stored (a removal clears its windows before its state): none to read later.
                state.State.NoUnavailabilityStored = true;
            }

            previousPartition = state.State.PartitionKey;
            fleetChanged = Spec is null || Spec.FleetId != spec.FleetId || previousPartition is null;
            state.State.Spec = spec;
            if (fleetChanged)
            {
                state.State.PartitionKey = FleetPartitioning.PartitionKeyFor(spec.FleetId, AssetId, _options.PartitionsPerFleet);
                if (previousPartition is not null && previousPartition != state.State.PartitionKey)
                {
                    state.State.LeavingPartitions.Add(previousPartition);
                }

                state.State.LeavingPartitions.Remove(state.State.PartitionKey);
            }
        }

        Apply();
        await WriteOrForgetAsync(() => state.WriteRecoveringAsync(Apply, this.GetGrainId(), logger));

        _liveDirty = false;

        // Join before leaving: for a moment the asset counts in both fleets rather than in none.
        var report = CurrentReport();
        var setpoints = _reported.SetpointsAccepted;
        await Partition(state.State.PartitionKey!).JoinAsync(AssetId, report);
        _reported.Told(report, setpoints);
        if (state.State.LeavingPartitions.Count > 0)
        {
            await LeavePreviousPartitionsAsync();
        }

        LogConfigured(AssetId, spec.Kind.ToWire(), spec.FleetId);
        return View();
    }

    public Task<AssetView?> GetAsync() => Task.FromResult(Spec is null ? null : View());

    public ValueTask<MemberReport?> GetMemberReportAsync() =>
        ValueTask.FromResult<MemberReport?>(Spec is null ? null : CurrentReport());

    public async Task ReportTelemetryAsync(Telemetry telemetry)
    {
        var spec = RequireSpec();
        InvalidInputException.ThrowIfAny(telemetry.Validate(spec, Now, _options.MaxClockSkew));
        if (!await ApplyTelemetryAsync(telemetry))
        {
            throw new ConflictException("timestamp", OutOfOrderMessage(telemetry));
        }
    }

    public async ValueTask<TelemetryOutcome> IngestTelemetryAsync(Telemetry telemetry, string[]? fleetScope)
    {
        if (Spec is not { } spec || (fleetScope is not null && !fleetScope.Contains(spec.FleetId, StringComparer.Ordinal)))
        {
            return TelemetryOutcome.Refused(AssetId, new FieldProblem("assetId", $"asset '{AssetId}' is not registered"));
        }

        var errors = telemetry.Validate(spec, Now, _options.MaxClockSkew);
        if (errors.Count > 0)
        {
            return TelemetryOutcome.Refused(AssetId, [.. errors.Select(e => new FieldProblem(e.Field, e.Message))]);
        }

        return await ApplyTelemetryAsync(telemetry)
            ? new TelemetryOutcome(AssetId, true, [], Live.Status, Live.SetpointKw)
            : new TelemetryOutcome(AssetId, false, [new FieldProblem("timestamp", OutOfOrderMessage(telemetry))], Live.Status, Live.SetpointKw, OutOfOrder: true);
    }

    private string OutOfOrderMessage(Telemetry telemetry) =>
        $"is older than the asset's last measurement ({Live.LastSeen:O}); the measurement was ignored ({(telemetry.Timestamp ?? Now):O})";

    public async Task RemoveAsync()
    {
        RequireSpec();

        // Leave first: if clearing then fails, a retry finds the asset still registered and finishes the job,
        // whereas a cleared asset still counted in its partition would be capacity nobody can dispatch.
        foreach (var partition in state.State.LeavingPartitions.Append(state.State.PartitionKey).OfType<string>())
        {
            await Partition(partition).LeaveAsync(AssetId);
        }

        DisarmWatchdog();
        await ClearAvailabilityAsync();
        _writeBehind?.Dispose();
        _writeBehind = null;
        _liveDirty = false;
        _reported.Forget();
        _lastTelemetry = null;
        _measuredAt = null;
        await state.ClearStateAsync();
        state.State = new AssetState();
        LogRemoved(AssetId);
        DeactivateOnIdle();
    }

    /// <summary>Applies a valid measurement; false when the domain ignored it as older than the last one.</summary>
    private async Task<bool> ApplyTelemetryAsync(Telemetry telemetry)
    {
        var now = Now;
        if (AssetBehaviour.IsOutOfOrder(Live, telemetry, now))
        {
            return false;
        }

        var measuredAt = telemetry.Timestamp ?? now;
        if (await ChangeLiveAsync(live => AssetBehaviour.OnTelemetry(live, telemetry, now, _options.OfflineAfter), "telemetry received", measuredAt))
        {
            _lastTelemetry = telemetry;
        }

        return true;
    }

    public async Task<AssetView> ReportStatusAsync(AssetStatus status, string? reason)
    {
        RequireSpec();
        if (reason is { Length: > 500 })
        {
            throw new InvalidInputException("reason", "must be at most 500 characters");
        }

        var now = Now;
        await ChangeLiveAsync(live => AssetBehaviour.OnStatusReport(live, status, reason, now), reason);
        return View();
    }

    public ValueTask<SetpointAck> ApplySetpointAsync(double setpointKw)
    {
        if (Spec is not { } spec || !double.IsFinite(setpointKw))
        {
            return ValueTask.FromResult(new SetpointAck(false, 0, Capability.None));
        }

        var (next, outcome) = AssetBehaviour.OnSetpoint(spec, Live, setpointKw, Now, _options.Envelope);
        Live = next;
        if (outcome.Accepted)
        {
            // The partition learns the capability from this acknowledgement. The setpoint itself is not written:
            // a dispatch must not cost a storage write per asset, and after a restart the fleet re-dispatches its
            // standing target anyway. It is stored with the next write of this grain.
            _reported.SetpointAccepted(outcome.CapabilityAfter);
        }

        return ValueTask.FromResult(new SetpointAck(outcome.Accepted, outcome.AcceptedKw, outcome.CapabilityAfter));
    }

    /// <summary>
    /// Applies a change of the live state; a status change is stored before anyone hears of it, anything else is
    /// written behind. Returns false when the change changed nothing (an out-of-order measurement).
    /// </summary>
    private async Task<bool> ChangeLiveAsync(Func<AssetLiveState, AssetLiveState> change, string? reason, DateTimeOffset? measuredAt = null)
    {
        var before = Live;
        Live = change(before);
        if (ReferenceEquals(before, Live))
        {
            return false;
        }

        if (measuredAt is not null)
        {
            _measuredAt = measuredAt;
        }

        var statusChanged = before.Status != Live.Status;
        if (statusChanged)
        {
            // A status change is a fact the fleet acts on: store it before telling anyone.
            await WriteOrForgetAsync(() => state.WriteRecoveringAsync(() => Live = change(Live), this.GetGrainId(), logger));

            _liveDirty = false;
            if (Live.Status == AssetStatus.Online)
            {
                ArmWatchdog();
            }
            else
            {
                DisarmWatchdog();
            }

            LogStatusChanged(AssetId, before.Status.ToWire(), Live.Status.ToWire(), Live.StatusReason);
        }
        else
        {
            if (Live.LastSeen != before.LastSeen)
            {
                HeardFrom();
            }

            MarkLiveDirty();
        }

        var report = CurrentReport();
        if (!statusChanged && !_reported.IsDue(report, StorageReportThresholdKwh()))
        {
            return true;
        }

        var statusChange = statusChanged
            ? new StatusChange(AssetId, before.Status, Live.Status, Live.StatusReason ?? reason, Now, LostKw: before.SetpointKw ?? 0)
            : null;
        await UpdateMemberAsync(report, statusChange);
        return true;
    }

    private void MarkLiveDirty()
    {
        _liveDirty = true;
        _writeBehind ??= this.RegisterGrainTimer(
            FlushLiveStateAsync,
            new GrainTimerCreationOptions(_options.LiveStateWriteInterval, Timeout.InfiniteTimeSpan));
    }

    private async Task FlushLiveStateAsync(CancellationToken cancellationToken)
    {
        var timer = _writeBehind;
        _writeBehind = null;
        try
        {
            if (_liveDirty)
            {
                _liveDirty = false;
                await WriteLiveStateAsync(CancellationToken.None); // the timer's own token dies with the timer
            }
        }
        catch
        {
            MarkLiveDirty(); // try again after another interval; the state is still in memory
            throw;
        }
        finally
        {
            timer?.Dispose();
        }
    }

    /// <summary>
    /// A change that could not be stored must not linger in memory as if it had been: the caller hears of the
    /// failure, and the next call finds the grain as storage has it (a fresh activation reads it back).
    /// </summary>
    private async Task WriteOrForgetAsync(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch
        {
            _liveDirty = false; // nothing of this activation's memory may be written on the way out
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>
    /// Writes telemetry behind. When the stored row moved on meanwhile, what is stored wins and the newest
    /// measurement is applied to it again (older ones are superseded by it anyway).
    /// </summary>
    private Task WriteLiveStateAsync(CancellationToken cancellationToken)
    {
        var telemetry = _lastTelemetry;
        return state.WriteRecoveringAsync(
            () =>
            {
                if (telemetry is not null && Spec is not null)
                {
                    Live = AssetBehaviour.OnTelemetry(Live, telemetry, Now, _options.OfflineAfter);
                }
            },
            this.GetGrainId(),
            logger,
            cancellationToken);
    }

    private async Task UpdateMemberAsync(MemberReport report, StatusChange? statusChange)
    {
        var setpoints = _reported.SetpointsAccepted;
        await Partition(state.State.PartitionKey!).UpdateMemberAsync(AssetId, report, statusChange);
        _reported.Told(report, setpoints);
    }

    private AssetSpec RequireSpec() => Spec ?? throw new NotFoundException("asset", AssetId);

    private MemberReport CurrentReport() =>
        WithMeasurement(ReportOf(Spec!, Live, Now, _options, UpcomingOutages()));

    /// <summary>
    /// What an asset tells its partition, without a measurement; a partition registering assets in bulk reports them
    /// with it as they would report themselves.
    /// </summary>
    internal static MemberReport ReportOf(AssetSpec spec, AssetLiveState live, DateTimeOffset now, VppOptions options, OutageView[]? outages) =>
        new MemberReport(live.Status, OperatingEnvelope.Of(spec, live, now, options.Envelope), live.SetpointKw,
            Battery: BatteryAtSoc.Of(spec, live.StateOfChargePercent), UpcomingOutages: outages, Kind: spec.Kind,
            RegisteredMinKw: spec.MinPowerKw, RegisteredMaxKw: spec.MaxPowerKw,
            RampKwPerSecond: spec.FollowRateKwPerSecond);

    private AssetView View() =>
        new(AssetId, Spec!, Live, OperatingEnvelope.Of(Spec!, Live, Now, _options.Envelope), UnavailabilityViews());

    private IFleetPartitionGrain Partition(string key) => GrainFactory.GetGrain<IFleetPartitionGrain>(key);
}
