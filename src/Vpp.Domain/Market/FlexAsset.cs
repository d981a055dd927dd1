using Vpp.Domain.Assets;
using Vpp.Domain.Availability;

namespace Vpp.Domain.Market;

/// <summary>Tunables of the flexibility estimate.</summary>
public sealed record FlexibilitySettings
{
    /// <summary>
    /// Solar and wind are counted at what they produce now only this far ahead: without a forecast nothing beyond
    /// can be guaranteed (the sun sets, the wind drops).
    /// </summary>
    public TimeSpan RenewableHorizon { get; init; } = TimeSpan.FromMinutes(15);

    public static readonly FlexibilitySettings Default = new();
}

/// <summary>
/// What one asset can offer: its range and baseline (where it sits without instructions), the energy it can still
/// deliver or absorb (null: not energy-limited) and its reported outages.
/// </summary>
public sealed record FlexAsset(
    string AssetId,
    double MinKw,
    double MaxKw,
    double BaselineKw,
    double? DeliverableKwh,
    double? AbsorbableKwh,
    UnavailabilityCalendar Calendar,
    DateTimeOffset? CountsUntil = null)
{
    public double UpKw => Math.Max(0, MaxKw - BaselineKw);

    public double DownKw => Math.Max(0, BaselineKw - MinKw);

    /// <summary>True when the asset can be counted on for the whole of [from, until).</summary>
    public bool IsAvailableDuring(DateTimeOffset from, DateTimeOffset until) =>
        !Calendar.IsUnavailableDuring(from, until) && (CountsUntil is not { } limit || until <= limit);

    /// <summary>
    /// The asset's offer from its spec and live state. An asset that is not online now offers nothing (its return is
    /// not guaranteed); a battery with unknown SoC offers nothing; solar and wind offer only curtailment of what they
    /// produce now, and only within <see cref="FlexibilitySettings.RenewableHorizon"/>.
    /// </summary>
    public static FlexAsset Of(
        string assetId, AssetSpec spec, AssetLiveState state, UnavailabilityCalendar calendar, DateTimeOffset now, FlexibilitySettings? settings = null)
    {
        settings ??= FlexibilitySettings.Default;
        var nothing = new FlexAsset(assetId, 0, 0, 0, null, null, calendar);
        if (state.Status != AssetStatus.Online)
        {
            return nothing;
        }

        switch (spec.Kind)
        {
            case AssetKind.Battery:
                if (BatteryAtSoc.Of(spec, state.StateOfChargePercent) is not { } battery)
                {
                    return nothing;
                }

                var store = battery.Storage;
                return new FlexAsset(assetId, spec.MinPowerKw, spec.MaxPowerKw, 0, store.DeliverableKwh, store.AbsorbableKwh, calendar);
            case AssetKind.Solar or AssetKind.Wind:
                var availableKw = Math.Clamp(state.AvailablePowerKw ?? state.ActivePowerKw ?? 0, 0, spec.MaxPowerKw);
                return new FlexAsset(assetId, Math.Min(spec.MinPowerKw, availableKw), availableKw, availableKw, null, null, calendar,
                    Schedules.QuarterHour.Floor(now) + settings.RenewableHorizon);
            case AssetKind.Chp:
                var runningKw = state.SetpointKw ?? state.ActivePowerKw ?? 0;
                return new FlexAsset(assetId, 0, spec.MaxPowerKw, Math.Clamp(runningKw, 0, spec.MaxPowerKw), null, null, calendar);
            default: // flexible load: consumes its baseline, can curtail to its minimum consumption
                return new FlexAsset(assetId, spec.MinPowerKw, spec.MaxPowerKw, spec.MinPowerKw, null, null, calendar);
        }
    }
}
