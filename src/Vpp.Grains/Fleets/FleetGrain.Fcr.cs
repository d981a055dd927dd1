using Microsoft.Extensions.Logging;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.GridServices;
using Vpp.Domain.GridServices;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;

namespace Vpp.Grains.Fleets;

/// <summary>
/// The fleet's FCR obligation: the contract, the frequency measurements that drive its response, and the rules that
/// keep the band deliverable (a base dispatch must leave it free, a stale measurement drives nothing).
/// </summary>
public sealed partial class FleetGrain
{
    private bool _staleRecorded;
    private IGrainTimer? _frequencyAgeWatch;

    private double FcrResponseKw => G.FcrContractedKw > 0 && FreshFrequency is { } f
        ? FcrDroop.ResponseKw(G.FcrContractedKw, f.FrequencyHz, GridOptions.Fcr)
        : 0;

    /// <summary>The last measurement while it is young enough to drive a response (see <see cref="FrequencyRules"/>).</summary>
    private FrequencyMeasurement? FreshFrequency =>
        _frequency is { At: { } at } f && FrequencyRules.IsFresh(at, clock.GetUtcNow(), GridOptions.Fcr) ? f : null;

    private bool FrequencyStale => _frequency is not null && FreshFrequency is null;

    /// <summary>A base dispatch must leave the contracted band free both ways (see <see cref="FcrBand"/>).</summary>
    private void RequireFcrBandFree(double baseKw)
    {
        var errors = new FieldErrors();
        FcrBand.CheckBase(errors, "targetKw", baseKw, FleetRange().Range, G.FcrContractedKw);
        InvalidInputException.ThrowIfAny(errors.Errors);
    }

    public async Task<FleetFrequencyResult> ApplyFrequencyAsync(FrequencyMeasurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        var now = clock.GetUtcNow();
        measurement = measurement with { At = (measurement.At ?? now).ToUniversalTime() };
        var responseKw = G.FcrContractedKw > 0 ? FcrDroop.ResponseKw(G.FcrContractedKw, measurement.FrequencyHz, GridOptions.Fcr) : 0;
        if (_frequency?.At is { } lastAt && measurement.At < lastAt || !FrequencyRules.IsFresh(measurement.At!.Value, now, GridOptions.Fcr))
        {
            return new FleetFrequencyResult(FleetId, FcrResponseKw, Superseded: true);
        }

        _frequency = measurement;
        _staleRecorded = false;
        if (!S.Known || G.FcrContractedKw <= 0)
        {
            return new FleetFrequencyResult(FleetId, 0, Superseded: false);
        }

        WatchFrequencyAge();
        await RequestServiceApplyAsync();
        return new FleetFrequencyResult(FleetId, responseKw, Superseded: !ReferenceEquals(_frequency, measurement));
    }

    /// <summary>
    /// While the fleet holds FCR awards, checks about every fifth of the maximum age (at most every second) whether a
    /// delivery period started or ended (<see cref="SwitchFcrBandAsync"/>), whether the online assets cover the band
    /// due, and whether the last measurement went stale; the first check that finds it so takes the response back to
    /// 0 kW and records one event.
    /// </summary>
    private void WatchFrequencyAge()
    {
        if (G.FcrContractedKw <= 0 && G.FcrAwards.Count == 0)
        {
            _frequencyAgeWatch?.Dispose();
            _frequencyAgeWatch = null;
            return;
        }

        var period = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, GridOptions.MaxFrequencyAge.Ticks / 5));
        _frequencyAgeWatch ??= this.RegisterGrainTimer(
            async _ =>
            {
                await SwitchFcrBandAsync();
                CheckFcrShortfall();
                await CheckFrequencyAgeAsync();
            },
            new GrainTimerCreationOptions(period, period));
    }

    private async Task CheckFrequencyAgeAsync()
    {
        if (G.FcrContractedKw <= 0 || !FrequencyStale || _staleRecorded)
        {
            return;
        }

        _staleRecorded = true;
        await DispatchServiceTargetAsync();
        _recordedFcrResponseKw = FcrResponseKw;
        AddEvent(new FrequencyStaleEvent(
            0, clock.GetUtcNow(),
            $"No frequency measurement since {_frequency?.At:O} (more than {GridOptions.MaxFrequencyAge.TotalSeconds:0.###} s): "
            + $"FCR response back to 0 kW until a fresh one arrives",
            TargetKw: _composed?.EffectiveKw, AllocatedKw: S.AllocatedKw, ShortfallKw: S.ShortfallKw));
        WriteEventsBehind();
        LogFrequencyStale(FleetId, _frequency?.At);
    }

    /// <summary>An "fcr" event only when the response moved by more than the threshold: retention is a few hundred events.</summary>
    private void RecordFcrResponseIfMoved()
    {
        var responseKw = FcrResponseKw;
        var thresholdKw = G.FcrContractedKw * GridOptions.FcrEventThresholdPercent / 100;
        if (G.FcrContractedKw <= 0 || Math.Abs(responseKw - _recordedFcrResponseKw) <= thresholdKw)
        {
            return;
        }

        _recordedFcrResponseKw = responseKw;
        AddEvent(new FcrEvent(
            0, clock.GetUtcNow(),
            $"FCR response {responseKw:0.###} kW at {_frequency?.FrequencyHz:0.000} Hz (band ±{G.FcrContractedKw:0.###} kW)",
            TargetKw: _composed?.EffectiveKw, AllocatedKw: S.AllocatedKw, ShortfallKw: S.ShortfallKw));
        WriteEventsBehind();
    }

    /// <summary>
    /// The band the fleet can hold around its base, by power (<see cref="FcrBand"/>) with the batteries sustaining their
    /// reserves for the activation time (<see cref="FcrReserves"/>): <c>RegisteredKw</c> with every member asset as
    /// registered, online or not (what an award or a bid may take), <c>DeliverableKw</c> with the online ones and the
    /// batteries at their SoC now (what is delivered).
    /// </summary>
    private (double RegisteredPowerKw, double RegisteredKw, double DeliverableKw, BatteryPool Pool) FcrCapacityNow()
    {
        var pool = new BatteryPool();
        double registeredBatteryKw = 0, registeredReserveKw = 0;
        foreach (var summary in _partitions.Values)
        {
            pool.Add(summary);
            registeredBatteryKw += summary.Registered.BatteryPowerKw;
            registeredReserveKw += summary.Registered.BatteryFcrReserveKw;
        }

        var (range, preferredKw) = FleetRange();
        var baseKw = BaseKw ?? preferredKw;
        var registeredPowerKw = FcrBand.SymmetricFreeKw(baseKw, RegisteredRange());
        var onlinePowerKw = FcrBand.SymmetricFreeKw(baseKw, range);
        return (registeredPowerKw, FcrReserves.MaxBandKw(registeredPowerKw, registeredBatteryKw, registeredReserveKw),
            FcrReserves.MaxBandKw(onlinePowerKw, pool.PowerKw, pool.FcrReserveNowKw), pool);
    }

    /// <summary>The power range of every member asset as registered, online or not.</summary>
    private PowerRange RegisteredRange() =>
        new(_partitions.Values.Sum(p => p.Registered.MinKw), _partitions.Values.Sum(p => p.Registered.MaxKw));

    private FcrView FcrViewNow()
    {
        var capacity = FcrCapacityNow();
        return new FcrView(
            G.FcrContractedKw, _frequency?.FrequencyHz, FcrResponseKw, _frequency?.At, _socManagementKw, capacity.Pool.SocPercent, _serviceDispatches,
            FrequencyStale, RoundKw(capacity.RegisteredKw), RoundKw(capacity.DeliverableKw),
            RoundKw(FcrReserves.ShortfallKw(G.FcrContractedKw, capacity.DeliverableKw)), Awards: [.. G.FcrAwards]);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet {FleetId}: frequency measurement of {MeasuredAt} is stale; FCR response back to 0 kW")]
    private partial void LogFrequencyStale(string fleetId, DateTimeOffset? measuredAt);
}
