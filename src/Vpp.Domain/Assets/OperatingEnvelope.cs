using Vpp.Domain.Dispatch;

namespace Vpp.Domain.Assets;

/// <summary>Tunables of the asset physics that are policy rather than spec.</summary>
public sealed record EnvelopeSettings
{
    /// <summary>A setpoint must be reachable within this time at the asset's ramp rate.</summary>
    public TimeSpan RampHorizon { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Battery power is derated linearly over this many SoC percentage points before each SoC limit.</summary>
    public double SocDerateBandPercent { get; init; } = 5;

    public static readonly EnvelopeSettings Default = new();
}

/// <summary>
/// What one asset can do now, from its spec and its live state: the physics of each kind (SoC limits,
/// available wind or sun, CHP minimum stable power and up/down times, ramp rate) folded into a <see cref="Capability"/>.
/// An asset that is not online, or whose limiting state is unknown, offers nothing.
/// </summary>
public static class OperatingEnvelope
{
    public static Capability Of(AssetSpec spec, AssetLiveState state, DateTimeOffset now, EnvelopeSettings? settings = null)
    {
        settings ??= EnvelopeSettings.Default;
        if (state.Status != AssetStatus.Online)
        {
            return Capability.None;
        }

        var cost = spec.MarginalCostEurPerMwh;
        var (minKw, maxKw, preferredKw, minStableKw) = spec.Kind switch
        {
            AssetKind.Battery => Battery(spec, state, settings),
            AssetKind.Solar or AssetKind.Wind => Renewable(spec, state),
            AssetKind.Chp => Chp(spec, state, now),
            AssetKind.FlexibleLoad => (spec.MinPowerKw, spec.MaxPowerKw, spec.MinPowerKw, 0d),
            _ => (0d, 0d, 0d, 0d),
        };

        if (spec.RampRateKwPerSecond is { } ramp && (state.ActivePowerKw ?? state.SetpointKw) is { } fromKw)
        {
            var reachKw = ramp * settings.RampHorizon.TotalSeconds;
            (minKw, maxKw) = Intersect(minKw, maxKw, fromKw - reachKw, fromKw + reachKw);
            if (minStableKw > 0 && minKw > 0)
            {
                // Cannot reach 0 in time: it keeps running, so at least at minimum stable power.
                (minKw, maxKw, minStableKw) = (Math.Max(minKw, minStableKw), Math.Max(maxKw, minStableKw), 0);
            }
            else if (minStableKw > 0 && maxKw < minStableKw)
            {
                // Cannot reach minimum stable power in time: starting now is not possible, it stays off.
                (minKw, maxKw, minStableKw) = (0, 0, 0);
            }
        }

        return Capability.Create(minKw, maxKw, preferredKw, cost, minStableKw);
    }

    private static (double, double, double, double) Battery(AssetSpec spec, AssetLiveState state, EnvelopeSettings settings)
    {
        if (state.StateOfChargePercent is not { } soc)
        {
            return (0, 0, 0, 0); // unknown SoC: dispatching it could break its limits
        }

        var band = Math.Max(settings.SocDerateBandPercent, 1e-9);
        var minSoc = spec.EffectiveMinSocPercent;
        var maxSoc = spec.EffectiveMaxSocPercent;
        var dischargeFactor = Math.Clamp((soc - minSoc) / band, 0, 1);
        var chargeFactor = Math.Clamp((maxSoc - soc) / band, 0, 1);
        return (spec.MinPowerKw * chargeFactor, spec.MaxPowerKw * dischargeFactor, 0, 0);
    }

    private static (double, double, double, double) Renewable(AssetSpec spec, AssetLiveState state)
    {
        // Curtailment only: the ceiling is what the weather gives now, which only telemetry knows.
        var availableKw = state.AvailablePowerKw ?? state.ActivePowerKw ?? 0;
        var maxKw = Math.Min(Math.Max(availableKw, 0), spec.MaxPowerKw);
        return (Math.Min(spec.MinPowerKw, maxKw), maxKw, maxKw, 0);
    }

    private static (double, double, double, double) Chp(AssetSpec spec, AssetLiveState state, DateTimeOffset now)
    {
        var stableKw = spec.MinStablePowerKw ?? spec.MaxPowerKw;
        var running = (state.SetpointKw ?? state.ActivePowerKw ?? 0) > Capability.ToleranceKw;
        var sinceChange = state.RunningChangedAt is { } changed ? now - changed : TimeSpan.MaxValue;
        if (running)
        {
            var mustStayOn = sinceChange < TimeSpan.FromSeconds(spec.MinUpTimeSeconds ?? 0);
            var current = state.SetpointKw ?? state.ActivePowerKw ?? stableKw;
            return mustStayOn
                ? (stableKw, spec.MaxPowerKw, current, 0)
                : (0, spec.MaxPowerKw, current, stableKw);
        }

        var mustStayOff = sinceChange < TimeSpan.FromSeconds(spec.MinDownTimeSeconds ?? 0);
        return mustStayOff ? (0, 0, 0, 0) : (0, spec.MaxPowerKw, 0, stableKw);
    }

    private static (double Min, double Max) Intersect(double minKw, double maxKw, double lowKw, double highKw)
    {
        var lo = Math.Max(minKw, lowKw);
        var hi = Math.Min(maxKw, highKw);
        if (lo <= hi)
        {
            return (lo, hi);
        }

        // The ramp window lies outside the physical range (e.g. available sun dropped fast): the physical bound
        // nearest to where the asset is wins, because physics caps output whatever the ramp says.
        var edge = highKw < minKw ? minKw : maxKw;
        return (edge, edge);
    }
}
