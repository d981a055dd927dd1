using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;

namespace Vpp.Domain.Simulation;

/// <summary>How a simulated flexible load pays back curtailed energy.</summary>
public sealed record FlexibleLoadBehaviour
{
    /// <summary>Share of the curtailed energy the process takes back later (1: all of it, as a fridge or heat pump does).</summary>
    public double ReboundFraction { get; init; } = 1;

    /// <summary>How far above baseline consumption may rise while paying back, in percent of baseline.</summary>
    public double ReboundHeadroomPercent { get; init; } = 20;

    /// <summary>Deferred energy is capped at this many hours of baseline consumption; beyond that the process gives up on it.</summary>
    public double MaxDeferredHours { get; init; } = 1;

    /// <summary>
    /// Longest continuous curtailment the process tolerates; after it, the process takes its load back whatever the
    /// setpoint says, until the VPP stops asking. Null: no limit.
    /// </summary>
    public TimeSpan? MaxCurtailment { get; init; } = TimeSpan.FromHours(2);
}

/// <summary>
/// A flexible load (output negative: it consumes). Uncurtailed it draws its baseline; a setpoint above −baseline
/// curtails it down to no less than its minimum consumption. Curtailed energy (times the rebound fraction) is owed:
/// once curtailment ends, consumption rises above baseline, by at most the rebound headroom, until it is paid back.
/// Output therefore stays within [−baseline·(1 + headroom), −minConsumption]. Ramps apply throughout.
/// A curtailment longer than <see cref="FlexibleLoadBehaviour.MaxCurtailment"/> is overridden by the process.
/// </summary>
public sealed class SimulatedFlexibleLoad : SimulatedAsset
{
    private readonly FlexibleLoadBehaviour _behaviour;

    public SimulatedFlexibleLoad(AssetSpec spec, Random random, FlexibleLoadBehaviour? behaviour = null)
        : base(spec, AssetKind.FlexibleLoad, random)
    {
        _behaviour = behaviour ?? new FlexibleLoadBehaviour();
        if (_behaviour.ReboundFraction is < 0 or > 1 || _behaviour.ReboundHeadroomPercent < 0 || _behaviour.MaxDeferredHours < 0
            || _behaviour.MaxCurtailment <= TimeSpan.Zero)
        {
            throw new ArgumentException("rebound fraction must be in [0, 1]; headroom and deferred hours must not be negative; max curtailment must be positive", nameof(behaviour));
        }

        ActivePowerKw = spec.MinPowerKw; // starts at baseline
    }

    /// <summary>Energy curtailed earlier that the process still has to take back (kWh).</summary>
    public double DeferredEnergyKwh { get; private set; }

    public double BaselineKw => Spec.BaselineKw;

    /// <summary>Highest consumption while paying back (kW, positive).</summary>
    public double MaxConsumptionKw => Spec.BaselineKw * (1 + (_behaviour.ReboundHeadroomPercent / 100));

    public bool IsCurtailed { get; private set; }

    /// <summary>True while the process overrides a curtailment that has lasted longer than it tolerates.</summary>
    public bool IsOverridingCurtailment { get; private set; }

    /// <summary>When the VPP started asking for the current stretch of curtailment; null when it is not asking.</summary>
    public DateTimeOffset? CurtailmentRequestedSince { get; private set; }

    protected override void Advance(double seconds, DateTimeOffset now, double? setpointKw)
    {
        var hours = seconds / 3600;
        var baselineKw = Spec.BaselineKw;
        var targetKw = Math.Clamp(setpointKw ?? Spec.MinPowerKw, Spec.MinPowerKw, Spec.MaxPowerKw);
        var asked = targetKw > Spec.MinPowerKw + Capability.ToleranceKw;
        CurtailmentRequestedSince = asked ? CurtailmentRequestedSince ?? now - TimeSpan.FromSeconds(seconds) : null;
        IsOverridingCurtailment = asked && now - CurtailmentRequestedSince >= _behaviour.MaxCurtailment;
        IsCurtailed = asked && !IsOverridingCurtailment;
        if (!IsCurtailed)
        {
            // Pay back no faster than the headroom allows and no more than is owed within this step.
            var reboundKw = Math.Min(MaxConsumptionKw - baselineKw, DeferredEnergyKwh / hours);
            targetKw = -(baselineKw + reboundKw);
        }

        ActivePowerKw = Math.Clamp(RampToward(targetKw, seconds), -MaxConsumptionKw, Spec.MaxPowerKw);

        var consumptionKw = -ActivePowerKw;
        DeferredEnergyKwh = consumptionKw < baselineKw
            ? DeferredEnergyKwh + ((baselineKw - consumptionKw) * hours * _behaviour.ReboundFraction)
            : Math.Max(0, DeferredEnergyKwh - ((consumptionKw - baselineKw) * hours));
        DeferredEnergyKwh = Math.Min(DeferredEnergyKwh, baselineKw * _behaviour.MaxDeferredHours);
    }
}
