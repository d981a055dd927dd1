using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.GridServices;
using Vpp.Domain.GridServices;
using Vpp.Domain.Validation;
using Vpp.Grains.Storage;

namespace Vpp.Grains.GridServices;

[GenerateSerializer]
public sealed class GridAreaState
{
    [Id(0)] public HashSet<string> ContractedFleets { get; set; } = [];
}

/// <summary>
/// One synchronous area: the durable list of fleets with an FCR contract, and the fan-out of each frequency
/// measurement to all of them in parallel. Measurements interleave, so a slow fleet never holds up the next one;
/// each fleet coalesces what arrives while it is dispatching. The order check (never older than the last measurement
/// accepted) lives in memory: after a restart the first measurement is accepted whatever its timestamp. So do the
/// frequency alarms: they describe the grid now, for an operator watching, not a contract to keep.
/// </summary>
public sealed partial class GridAreaGrain(
    [PersistentState("gridArea", VppOptions.StorageName)] IPersistentState<GridAreaState> state,
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    IOptions<VppOptions> options,
    ILogger<GridAreaGrain> logger) : Grain, IGridAreaInternal
{
    private readonly GridServiceOptions _options = options.Value.GridServices;

    // Resolved once: a string-keyed lookup per fleet per measurement costs more than it needs to.
    private readonly Dictionary<string, IFleetGridServicesInternal> _fleets = [];
    private FrequencyMeasurement? _last;
    private readonly Queue<GridAreaEvent> _events = new();
    private bool _inAlarm;

    /// <summary>Alarms kept for GET /grid/events.</summary>
    private const int RetainedEvents = 100;

    private string Area => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var fleetId in state.State.ContractedFleets)
        {
            _fleets[fleetId] = GrainFactory.GetGrain<IFleetGridServicesInternal>(fleetId);
        }

        return Task.CompletedTask;
    }

    public async Task<FrequencyApplied> ReportFrequencyAsync(FrequencyMeasurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        var now = clock.GetUtcNow();
        var at = (measurement.At ?? now).ToUniversalTime();
        var errors = new FieldErrors();
        var settings = _options.Fcr;
        FcrDroop.CheckFrequency(errors, "frequencyHz", measurement.FrequencyHz, settings);
        if (at > now + _options.MaxClockSkew)
        {
            errors.Add("timestamp", $"is more than {_options.MaxClockSkew.TotalSeconds:0.###} s ahead of the VPP's clock ({at:O})");
        }

        FrequencyRules.CheckAge(errors, "timestamp", at, now, settings);

        InvalidInputException.ThrowIfAny(errors.Errors);
        if (_last?.At is { } lastAt && at < lastAt)
        {
            throw new ConflictException("timestamp", $"is older than the last measurement applied ({lastAt:O}); measurements must arrive in order");
        }

        var stamped = new FrequencyMeasurement(measurement.FrequencyHz, at);
        _last = stamped;
        var alarm = FrequencyRules.Alarm(stamped.FrequencyHz, settings);
        RecordAlarmOnEntry(stamped, alarm);
        var fleets = _fleets.ToArray();
        var results = await Task.WhenAll(fleets.Select(f => ApplyAsync(f.Key, f.Value, stamped)));
        string[] failed = [.. fleets.Where((_, i) => results[i] is null).Select(f => f.Key)];
        return new FrequencyApplied(Area, stamped.FrequencyHz, at, fleets.Length, results.Sum(r => r?.ResponseKw ?? 0), failed, alarm);
    }

    /// <summary>One alarm event each time the frequency leaves the alarm limits, not one per measurement outside them.</summary>
    private void RecordAlarmOnEntry(FrequencyMeasurement measurement, string? alarm)
    {
        var entering = alarm is not null && !_inAlarm;
        _inAlarm = alarm is not null;
        if (!entering)
        {
            return;
        }

        _events.Enqueue(new GridAreaEvent(measurement.At!.Value, GridServiceEventKinds.FrequencyAlarm, measurement.FrequencyHz, alarm!));
        while (_events.Count > RetainedEvents)
        {
            _events.Dequeue();
        }

        LogFrequencyAlarm(Area, alarm!);
    }

    public Task<GridAreaEvent[]> GetEventsAsync() => Task.FromResult(_events.ToArray());

    private async Task<FleetFrequencyResult?> ApplyAsync(string fleetId, IFleetGridServicesInternal fleet, FrequencyMeasurement measurement)
    {
        try
        {
            return await fleet.ApplyFrequencyAsync(measurement);
        }
        catch (Exception ex)
        {
            // One fleet that cannot dispatch must not keep the others from responding; it is named in the answer.
            LogFleetFailed(Area, fleetId, ex.GetBaseException().Message);
            return null;
        }
    }

    public async Task<FrequencyMeasurement?> SetContractedAsync(string fleetId, bool contracted)
    {
        var changed = contracted ? state.State.ContractedFleets.Add(fleetId) : state.State.ContractedFleets.Remove(fleetId);
        if (changed)
        {
            await state.WriteRecoveringAsync(
                () => _ = contracted ? state.State.ContractedFleets.Add(fleetId) : state.State.ContractedFleets.Remove(fleetId),
                this.GetGrainId(), logger);
            if (contracted)
            {
                _fleets[fleetId] = GrainFactory.GetGrain<IFleetGridServicesInternal>(fleetId);
            }
            else
            {
                _fleets.Remove(fleetId);
            }

            LogContractChanged(Area, fleetId, contracted, state.State.ContractedFleets.Count);
        }

        return _last;
    }

    public Task<string[]> GetContractedFleetsAsync() =>
        Task.FromResult(state.State.ContractedFleets.Order(StringComparer.Ordinal).ToArray());

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grid area {Area}: frequency alarm: {Alarm}")]
    private partial void LogFrequencyAlarm(string area, string alarm);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grid area {Area}: fleet {FleetId} failed to apply a frequency measurement: {Error}")]
    private partial void LogFleetFailed(string area, string fleetId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grid area {Area}: fleet {FleetId} FCR contract active = {Contracted} ({Count} fleet(s) contracted)")]
    private partial void LogContractChanged(string area, string fleetId, bool contracted, int count);
}
