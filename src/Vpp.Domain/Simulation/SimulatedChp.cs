using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;

namespace Vpp.Domain.Simulation;

/// <summary>
/// A combined heat and power plant: off (0 kW) or running within [min stable, max]. It starts at min stable power,
/// then follows the setpoint within its ramp rate; to stop it ramps down to min stable power and trips to 0.
/// It stays on for the min up time after a start and off for the min down time after a stop, whatever it is told.
/// Without a setpoint it keeps doing what it does.
/// </summary>
public sealed class SimulatedChp : SimulatedAsset
{
    public SimulatedChp(AssetSpec spec, Random random)
        : base(spec, AssetKind.Chp, random)
    {
        MinStablePowerKw = spec.MinStablePowerKw!.Value; // required for a CHP plant: validated by the base
    }

    public double MinStablePowerKw { get; }

    public bool IsRunning { get; private set; }

    /// <summary>When the plant last started or stopped; null when that was long enough ago not to matter.</summary>
    public DateTimeOffset? RunningChangedAt { get; private set; }

    protected override void Advance(double seconds, DateTimeOffset now, double? setpointKw)
    {
        var targetKw = setpointKw ?? (IsRunning ? ActivePowerKw : 0);
        var wantsOn = targetKw > Capability.ToleranceKw;
        var sinceChange = RunningChangedAt is { } changed ? now - changed : TimeSpan.MaxValue;

        if (!IsRunning)
        {
            if (wantsOn && sinceChange >= TimeSpan.FromSeconds(Spec.MinDownTimeSeconds ?? 0))
            {
                IsRunning = true;
                RunningChangedAt = now;
                ActivePowerKw = MinStablePowerKw;
            }

            return;
        }

        if (wantsOn)
        {
            ActivePowerKw = RampToward(Math.Clamp(targetKw, MinStablePowerKw, Spec.MaxPowerKw), seconds);
            return;
        }

        var towardStableKw = Math.Max(MinStablePowerKw, RampToward(MinStablePowerKw, seconds));
        var mayStop = sinceChange >= TimeSpan.FromSeconds(Spec.MinUpTimeSeconds ?? 0);
        if (mayStop && towardStableKw <= MinStablePowerKw + Capability.ToleranceKw)
        {
            IsRunning = false;
            RunningChangedAt = now;
            ActivePowerKw = 0;
        }
        else
        {
            ActivePowerKw = towardStableKw;
        }
    }
}
