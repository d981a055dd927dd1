using Microsoft.Extensions.Logging;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.GridServices;
using Vpp.Domain.Dispatch;
using Vpp.Domain.GridServices;
using Vpp.Domain.Schedules;
using Vpp.Domain.Settlement;
using Vpp.Domain.Validation;
using Vpp.Grains.GridServices;

namespace Vpp.Grains.Fleets;

/// <summary>The fleet's grid services, stored apart from its dispatch state ("fleetGridServices").</summary>
[GenerateSerializer]
public sealed class FleetGridServicesState
{
    [Id(0)] public double FcrContractedKw { get; set; }
    [Id(1)] public bool FcrEverContracted { get; set; }
    [Id(2)] public double? AfrrSetpointKw { get; set; }
    [Id(3)] public DateTimeOffset? AfrrAt { get; set; }
    [Id(4)] public List<AfrrStep> AfrrSteps { get; set; } = [];

    /// <summary>Energy of the activations (effective − base target) per quarter hour, for settlement's requested side.</summary>
    [Id(5)] public Dictionary<DateTimeOffset, double> ActivationKwhBySlot { get; set; } = [];

    /// <summary>aFRR capacity sold, per direction (kW): held back from flexibility and bids.</summary>
    [Id(6)] public double AfrrCapacityUpKw { get; set; }
    [Id(7)] public double AfrrCapacityDownKw { get; set; }

    /// <summary>Energy of the batteries' FCR SoC corrections per quarter hour, kept apart from the requested energy.</summary>
    [Id(8)] public Dictionary<DateTimeOffset, double> SocManagementKwhBySlot { get; set; } = [];

    /// <summary>The FCR awards still to deliver or in delivery; <see cref="FcrContractedKw"/> is the band they make due now.</summary>
    [Id(20)] public List<FcrAwardView> FcrAwards { get; set; } = [];
}

/// <summary>
/// Grid services as offsets on the fleet's target: effective target = base (the standing target DispatchAsync sets,
/// or where the fleet sits by itself when none is set) + FCR response + battery SoC management + aFRR setpoint, kept
/// inside the fleet's range. The sum goes through the same fan-out as any dispatch.
/// <para>
/// Frequency measurements arrive faster than a dispatch of 100,000 assets completes. They are taken by an
/// interleaving call that only records the newest and queues one self-call; that self-call runs after the dispatch
/// in progress and applies whatever is newest by then. So at most one dispatch runs and one waits, never a backlog,
/// and every caller is answered once setpoints that include its measurement (or a newer one) are sent.
/// </para>
/// </summary>
public sealed partial class FleetGrain : IFleetGridServicesInternal
{
    private FrequencyMeasurement? _frequency;
    private double _recordedFcrResponseKw;

    private ClampedServiceTarget? _composed;
    private DateTimeOffset? _activationSince;
    private TaskCompletionSource? _pendingServiceApply;
    private QueuedSelfCall _serviceApply = null!;
    private WriteBehind _gridWrites = null!;
    private long _serviceDispatches;

    private FleetGridServicesState G => gridState.State;

    /// <summary>What the fleet is asked to deliver now: base + FCR/aFRR activations when composed, else the standing target.</summary>
    private double? EffectiveTargetKw => _composed?.EffectiveKw ?? BaseKw;

    private GridServiceOptions GridOptions => _options.GridServices;

    private bool ServicesActive => G.FcrContractedKw > 0 || G.AfrrSetpointKw is { } afrr && afrr != 0;

    /// <summary>Joins the next service dispatch, queueing it when none is queued yet (see the class remarks).</summary>
    private Task RequestServiceApplyAsync()
    {
        var pending = _pendingServiceApply ??= new TaskCompletionSource();
        _serviceApply.Queue();
        return pending.Task;
    }

    public async Task ApplyServiceTargetAsync()
    {
        _serviceApply.Running();
        var waiting = _pendingServiceApply;
        _pendingServiceApply = null;
        try
        {
            await DispatchServiceTargetAsync();
            RecordFcrResponseIfMoved();
            waiting?.TrySetResult();
        }
        catch (Exception ex)
        {
            waiting?.TrySetException(ex);
            throw;
        }
    }

    public async Task<AfrrAccepted> SetAfrrSetpointAsync(AfrrSetpoint setpoint)
    {
        ArgumentNullException.ThrowIfNull(setpoint);
        RequireKnown();
        var now = clock.GetUtcNow();
        var (range, _) = FleetRange();

        // Anything the fleet could ever move is a valid request (what it cannot do right now is clamped and reported).
        var band = new PowerRange(range.MinKw - range.MaxKw, range.MaxKw - range.MinKw);
        InvalidInputException.ThrowIfAny(new AfrrSetpointInput(setpoint.SetpointKw, setpoint.At).Validate(band, null, now, GridOptions.Afrr));
        var at = (setpoint.At ?? now).ToUniversalTime();
        if (G.AfrrAt is { } lastAt && at < lastAt)
        {
            throw new ConflictException("timestamp", $"is older than the last aFRR setpoint ({lastAt:O}); setpoints must arrive in order");
        }

        CloseAfrrStep(at, now);
        G.AfrrSetpointKw = setpoint.SetpointKw;
        G.AfrrAt = at;
        await DispatchServiceTargetAsync();
        WriteGridStateBehind();
        return new AfrrAccepted(setpoint.SetpointKw, at, _composed?.EffectiveKw ?? 0, _composed?.ClampedKw ?? 0, S.AllocatedKw);
    }

    public Task<AfrrStep[]> GetAfrrStepsAsync(DateTimeOffset from, DateTimeOffset to)
    {
        RequireKnown();
        if (to <= from)
        {
            throw new InvalidInputException("to", "must be after from");
        }

        return Task.FromResult(G.AfrrSteps.Where(s => s.To > from && s.From < to).ToArray());
    }

    /// <summary>
    /// Closes the interval the previous setpoint held, split at quarter hours (<see cref="AfrrFollower"/>). Delivered
    /// power at the close is the fleet's measured output minus the rest of its target (base, FCR, SoC management)
    /// when every online asset has a fresh measurement, integrated by the trapezoid rule from the power delivered at
    /// the interval's start; otherwise the aFRR part of what the assets acknowledged (request − range cut − shortfall,
    /// never beyond the request), reached from the power delivered at the interval's start at the online assets'
    /// summed ramp (<see cref="AfrrRampKwPerSecond"/>): the assets' own ramp is what limits how fast aFRR follows.
    /// </summary>
    private void CloseAfrrStep(DateTimeOffset at, DateTimeOffset now)
    {
        if (G.AfrrAt is { } from && G.AfrrSetpointKw is { } requestedKw && at > from)
        {
            var (allocatedKw, measuredKw) = AfrrDeliveredKw(requestedKw);
            var startKw = G.AfrrSteps.Count > 0 && G.AfrrSteps[^1].To == from ? G.AfrrSteps[^1].DeliveredKw : 0;
            var (_, steps) = AfrrFollower.Apply(
                new AfrrState(from, requestedKw, startKw), requestedKw, at, AfrrRampKwPerSecond(), new PowerRange(allocatedKw, allocatedKw), measuredKw);
            G.AfrrSteps.AddRange(steps.Select(s => s with { DeliveredKw = RoundKw(s.DeliveredKw) }));
        }

        var cutoff = now - GridOptions.AfrrRetention;
        var expired = G.AfrrSteps.FindIndex(s => s.To >= cutoff);
        G.AfrrSteps.RemoveRange(0, expired < 0 ? G.AfrrSteps.Count : expired);
    }

    /// <summary>
    /// How fast the fleet's output can move (kW/s): the sum of its online assets' rates (an asset without a ramp limit
    /// counts with its whole range per second). Null — a step — when no online asset reports one: assets that are gone
    /// deliver nothing at once, there is nothing to ramp.
    /// </summary>
    private double? AfrrRampKwPerSecond()
    {
        var rampKwPerSecond = _partitions.Values.Where(p => p.OnlineCount > 0).Sum(p => p.RampKwPerSecond);
        return rampKwPerSecond > 0 ? rampKwPerSecond : null;
    }

    /// <summary>The aFRR power the assets acknowledged, and the one measured when every online asset measured it freshly.</summary>
    private (double AllocatedKw, double? MeasuredKw) AfrrDeliveredKw(double requestedKw)
    {
        var clampedKw = _composed?.ClampedKw ?? 0;
        var allocatedKw = requestedKw - clampedKw - S.ShortfallKw;
        allocatedKw = requestedKw >= 0 ? Math.Clamp(allocatedKw, 0, requestedKw) : Math.Clamp(allocatedKw, requestedKw, 0);
        var measured = Measured();
        var online = _partitions.Values.Sum(p => p.OnlineCount);
        if (measured.Kw is { } measuredKw && measured.StaleCount == 0 && measured.Count >= online && _composed is { } composed)
        {
            var othersKw = composed.EffectiveKw - (requestedKw - clampedKw);
            return (allocatedKw, measuredKw - othersKw);
        }

        return (allocatedKw, null);
    }

    /// <summary>Sends the composed target when it moved; inside the deadband most measurements change nothing.</summary>
    private async Task DispatchServiceTargetAsync()
    {
        await SendSocShareIfChangedAsync();
        RecordSocAlertIfChanged();
        var previous = _composed;
        var composed = Compose(BaseKw);
        if (composed is not { } next)
        {
            return;
        }

        if (previous is { } before && Math.Abs(before.EffectiveKw - next.EffectiveKw) <= Capability.ToleranceKw && !SocRedispatchDue())
        {
            SetComposed(next);
            return;
        }

        await RunDispatchAsync(next.EffectiveKw, S.Strategy, includeSetpoints: false);
        SetComposed(next);
        _serviceDispatches++;
    }

    /// <summary>The effective target for a dispatch of <paramref name="baseKw"/>; remembered for the view.</summary>
    private double? TargetToDispatch(double? baseKw)
    {
        SetComposed(Compose(baseKw));
        return _composed?.EffectiveKw;
    }

    /// <summary>
    /// Replaces the composed target, booking what was held until now per slot: the reserve activations into the ledger
    /// settlement adds to the requested energy, the SoC corrections into their own ledger (they are the provider's, not
    /// requested by anyone, and settlement shows them apart).
    /// </summary>
    private void SetComposed(ClampedServiceTarget? next)
    {
        AccrueActivations();
        _composed = next;
    }

    private void AccrueActivations()
    {
        var now = clock.GetUtcNow();
        if (_composed is { } held && _activationSince is { } since)
        {
            ActivationLedger.Accrue(G.ActivationKwhBySlot, since, now, held.ActivationEffectiveKw);
            ActivationLedger.Accrue(G.SocManagementKwhBySlot, since, now, held.SocEffectiveKw);
            ActivationLedger.Prune(G.ActivationKwhBySlot, now - _options.SettlementRetention);
            ActivationLedger.Prune(G.SocManagementKwhBySlot, now - _options.SettlementRetention);
            WriteGridStateBehind();
        }

        _activationSince = now;
    }

    private ClampedServiceTarget? Compose(double? baseKw)
    {
        if (baseKw is null && !ServicesActive)
        {
            return null;
        }

        var (range, preferredKw) = FleetRange();
        _socManagementKw = SocManagementKw();
        var target = new ServiceTarget(
            baseKw ?? preferredKw, baseKw is null ? BaseTargetSource.None : BaseTargetSource.Standing,
            G.AfrrSetpointKw ?? 0, FcrResponseKw, _socManagementKw);
        return target.Within(range);
    }

    private (PowerRange Range, double PreferredKw) FleetRange()
    {
        var curve = new SupplyCurve();
        foreach (var summary in _partitions.Values)
        {
            if (summary.OnlineCount > 0)
            {
                curve.Add(new SupplyCurve(summary.Curve));
            }
        }

        return (new PowerRange(curve.MinKw, curve.MaxKw), curve.PreferredKw);
    }

    /// <summary>The grid-service part of the fleet view.</summary>
    private FleetServicesView ServicesView() => new(
        BaseKw,
        G.FcrEverContracted ? WithSocBalance(FcrViewNow()) : null,
        G.AfrrSetpointKw,
        _composed?.ClampedKw ?? 0,
        S.SlicesKw);

    private void WriteGridStateBehind() => _gridWrites.Request();

    [LoggerMessage(Level = LogLevel.Error, Message = "Fleet {FleetId}: applying the grid-service target failed: {Error}")]
    private partial void LogServiceApplyFailed(string fleetId, string? error);
}
