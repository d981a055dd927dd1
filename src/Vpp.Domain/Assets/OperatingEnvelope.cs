using Vpp.Domain.Dispatch;

namespace Vpp.Domain.Assets;

/// <summary>Tunables of the asset physics that are policy rather than spec.</summary>
public sealed record EnvelopeSettings
{
    /// <summary>A setpoint must be reachable within this time at the asset's ramp rate.</summary>
    public TimeSpan RampHorizon { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Battery power is derated linearly over this many SoC percentage points before each SoC limit (<see cref="SocDerating"/>).</summary>
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
            AssetKind.Chp => Chp(spec, state, now, settings),
            AssetKind.FlexibleLoad => (spec.MinPowerKw, spec.MaxPowerKw, spec.MinPowerKw, 0d),
            _ => (0d, 0d, 0d, 0d),
        };

        // A CHP's ramp applies inside its running band only (see Chp).
        if (spec.Kind != AssetKind.Chp && spec.RampRateKwPerSecond is { } ramp && (state.ActivePowerKw ?? state.SetpointKw) is { } fromKw)
        {
            var reachKw = ramp * settings.RampHorizon.TotalSeconds;
            (minKw, maxKw) = Intersect(minKw, maxKw, fromKw - reachKw, fromKw + reachKw);
        }

        return Capability.Create(minKw, maxKw, preferredKw, cost, minStableKw);
    }

    private static (double, double, double, double) Battery(AssetSpec spec, AssetLiveState state, EnvelopeSettings settings)
    {
        if (state.StateOfChargePercent is not { } soc)
        {
            return (0, 0, 0, 0); // unknown SoC: dispatching it could break its limits
        }

        var (chargeFactor, dischargeFactor) = SocDerating.Factors(soc, spec.EffectiveMinSocPercent, spec.EffectiveMaxSocPercent, settings.SocDerateBandPercent);
        return (spec.MinPowerKw * chargeFactor, spec.MaxPowerKw * dischargeFactor, 0, 0);
    }

    private static (double, double, double, double) Renewable(AssetSpec spec, AssetLiveState state)
    {
        // Curtailment only: the ceiling is what the weather gives now, which only telemetry knows.
        var availableKw = state.AvailablePowerKw ?? state.ActivePowerKw ?? 0;
        var maxKw = Math.Min(Math.Max(availableKw, 0), spec.MaxPowerKw);
        return (Math.Min(spec.MinPowerKw, maxKw), maxKw, maxKw, 0);
    }

    /// <summary>
    /// A CHP is off or runs in its band [min stable, max]. An off unit may start once its min down time has passed and a
    /// running one may stop once its min up time has passed: start-up to min stable power and shut-down are the unit's own
    /// sequences, so the ramp rate limits only moves inside the running band (from where it runs, or from min stable
    /// power when it starts). The running band's lower end is the capability's min stable power, so every request in
    /// the gap below it is either off or that lower end.
    /// </summary>
    /// <summary>Whether a CHP runs: its setpoint, or without one its measured power, above the tolerance.</summary>
    public static bool Running(AssetLiveState state) => (state.SetpointKw ?? state.ActivePowerKw ?? 0) > Capability.ToleranceKw;

    private static (double, double, double, double) Chp(AssetSpec spec, AssetLiveState state, DateTimeOffset now, EnvelopeSettings settings)
    {
        var stableKw = spec.MinStablePowerKw ?? spec.MaxPowerKw;
        var running = Running(state);
        var sinceChange = state.RunningChangedAt is { } changed ? now - changed : TimeSpan.MaxValue;
        var (lowKw, highKw) = (stableKw, spec.MaxPowerKw);
        if (spec.RampRateKwPerSecond is { } ramp)
        {
            var reachKw = ramp * settings.RampHorizon.TotalSeconds;
            var fromKw = running ? Math.Max(state.ActivePowerKw ?? state.SetpointKw ?? stableKw, stableKw) : stableKw;
            (lowKw, highKw) = (Math.Max(stableKw, fromKw - reachKw), Math.Min(spec.MaxPowerKw, fromKw + reachKw));
        }

        lowKw = Math.Min(lowKw, highKw);
        if (running)
        {
            var mustStayOn = sinceChange < TimeSpan.FromSeconds(spec.MinUpTimeSeconds ?? 0);
            var current = Math.Clamp(state.SetpointKw ?? state.ActivePowerKw ?? stableKw, lowKw, highKw);
            return mustStayOn
                ? (lowKw, highKw, current, 0)
                : (0, highKw, current, lowKw);
        }

        var mustStayOff = sinceChange < TimeSpan.FromSeconds(spec.MinDownTimeSeconds ?? 0);
        return mustStayOff ? (0, 0, 0, 0) : (0, highKw, 0, lowKw);
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
