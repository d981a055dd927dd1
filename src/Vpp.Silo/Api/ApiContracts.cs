using System.Text.Json.Serialization;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Domain.Validation;

namespace Vpp.Silo.Api;

// Wire shapes of HTTP API v1. Requests use nullable members so a missing field is told apart from a zero;
// enums travel as camelCase strings and are parsed strictly.

public sealed record AssetSpecRequest(
    string? FleetId,
    string? Kind,
    double? MinPowerKw,
    double? MaxPowerKw,
    double? RampRateKwPerSecond,
    double? MarginalCostEurPerMwh,
    double? EnergyCapacityKwh,
    double? MinSocPercent,
    double? MaxSocPercent,
    double? RoundTripEfficiencyPercent,
    double? MinStablePowerKw,
    double? MinUpTimeSeconds,
    double? MinDownTimeSeconds,
    double? StartUpCostEur = null)
{
    /// <summary>
    /// The asset's id: required in an item of a fleet's asset import (PUT /fleets/{fleetId}/assets); in PUT
    /// /assets/{assetId} the path names it, and a body that names another is refused.
    /// </summary>
    public string? AssetId { get; init; }

    public AssetSpec ToSpec(FieldErrors errors)
    {
        errors.Required("fleetId", FleetId, "(the fleet the asset belongs to)");
        errors.Required("kind", Kind, $"({string.Join(", ", WireNames.Kinds)})");
        errors.Required("minPowerKw", MinPowerKw, "(kW, negative = taking power from the grid)");
        errors.Required("maxPowerKw", MaxPowerKw, "(kW, positive = exporting to the grid)");
        var kind = WireNames.ParseKind(Kind);
        if (Kind is not null && kind is null)
        {
            errors.Add("kind", $"'{Kind}' is not a known kind: {WireNames.OneOf(WireNames.Kinds)}");
        }

        return new AssetSpec
        {
            FleetId = FleetId ?? "",
            Kind = kind ?? AssetKind.Battery,
            MinPowerKw = MinPowerKw ?? 0,
            MaxPowerKw = MaxPowerKw ?? 0,
            RampRateKwPerSecond = RampRateKwPerSecond,
            MarginalCostEurPerMwh = MarginalCostEurPerMwh ?? 0,
            EnergyCapacityKwh = EnergyCapacityKwh,
            MinSocPercent = MinSocPercent,
            MaxSocPercent = MaxSocPercent,
            RoundTripEfficiencyPercent = RoundTripEfficiencyPercent,
            MinStablePowerKw = MinStablePowerKw,
            MinUpTimeSeconds = MinUpTimeSeconds,
            MinDownTimeSeconds = MinDownTimeSeconds,
            StartUpCostEur = StartUpCostEur,
        };
    }
}

public sealed record TelemetryRequest(DateTimeOffset? Timestamp, double? ActivePowerKw, double? AvailablePowerKw, double? StateOfChargePercent)
{
    public Telemetry ToTelemetry(FieldErrors errors)
    {
        errors.Required("activePowerKw", ActivePowerKw, "(kW, positive = exporting)");
        return new Telemetry(Timestamp?.ToUniversalTime(), ActivePowerKw ?? 0, AvailablePowerKw, StateOfChargePercent);
    }
}

public sealed record StatusRequest(string? Status, string? Reason)
{
    public AssetStatus ToStatus(FieldErrors errors)
    {
        errors.Required("status", Status, $"({string.Join(", ", WireNames.Statuses)})");
        var status = WireNames.ParseStatus(Status);
        if (Status is not null && status is null)
        {
            errors.Add("status", $"'{Status}' is not a known status: {WireNames.OneOf(WireNames.Statuses)}");
        }

        if (Reason is { Length: > 500 })
        {
            errors.Add("reason", "must be at most 500 characters");
        }

        return status ?? AssetStatus.Online;
    }
}

public sealed record DispatchHttpRequest(double? TargetKw, string? Strategy)
{
    public DispatchRequest ToRequest(FieldErrors errors, bool includeSetpoints)
    {
        errors.Required("targetKw", TargetKw, "(kW net export for the whole fleet)");
        errors.Finite("targetKw", TargetKw);
        var strategy = Strategy is null ? DispatchStrategy.MeritOrder : DispatchStrategies.Parse(Strategy);
        if (strategy is null)
        {
            errors.Add("strategy", $"'{Strategy}' is not a known strategy: {WireNames.OneOf(DispatchStrategies.Names)}");
        }

        return new DispatchRequest(TargetKw ?? 0, strategy ?? DispatchStrategy.MeritOrder, includeSetpoints);
    }
}

public sealed record CapabilityResponse(double MinPowerKw, double MaxPowerKw, double PreferredPowerKw);

public sealed record AssetResponse(
    string AssetId,
    string FleetId,
    string Kind,
    string Status,
    string? StatusReason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? LastSeen,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? ActivePowerKw,
    double? AvailablePowerKw,
    double? StateOfChargePercent,
    double? SetpointKw,
    CapabilityResponse Capability,
    AssetSpecRequest Spec,
    IReadOnlyList<UnavailabilityResponse>? Unavailabilities = null)
{
    public static AssetResponse From(AssetView view) => new(
        view.AssetId,
        view.Spec.FleetId,
        view.Spec.Kind.ToWire(),
        view.Live.Status.ToWire(),
        view.Live.StatusReason,
        view.Live.LastSeen,
        view.Live.ActivePowerKw,
        view.Live.AvailablePowerKw,
        view.Live.StateOfChargePercent,
        view.Live.SetpointKw,
        new CapabilityResponse(view.CapabilityNow.MinKw, view.CapabilityNow.MaxKw, view.CapabilityNow.PreferredKw),
        new AssetSpecRequest(
            view.Spec.FleetId, view.Spec.Kind.ToWire(), view.Spec.MinPowerKw, view.Spec.MaxPowerKw, view.Spec.RampRateKwPerSecond,
            view.Spec.MarginalCostEurPerMwh, view.Spec.EnergyCapacityKwh, view.Spec.MinSocPercent, view.Spec.MaxSocPercent,
            view.Spec.RoundTripEfficiencyPercent, view.Spec.MinStablePowerKw, view.Spec.MinUpTimeSeconds, view.Spec.MinDownTimeSeconds,
            view.Spec.StartUpCostEur),
        view.Unavailabilities is { Length: > 0 } windows ? [.. windows.Select(UnavailabilityResponse.Of)] : null);
}

public sealed record FleetResponse(
    string FleetId,
    int AssetCount,
    int OnlineCount,
    double MinPowerKw,
    double MaxPowerKw,
    double PreferredPowerKw,
    double? TargetKw,
    string Strategy,
    double AllocatedKw,
    double ShortfallKw,
    string? LastDispatchId,
    DateTimeOffset? LastDispatchAt,
    double? MeasuredKw,
    DateTimeOffset? MeasuredAt,
    int MeasuredCount,
    int StaleCount,
    double? BaseTargetKw = null,
    FcrResponse? Fcr = null,
    double? AfrrSetpointKw = null,
    double ServiceClampedKw = 0)
{
    /// <summary>The API keeps the fleet view flat: the grain's nested records map to the v1 field names.</summary>
    public static FleetResponse From(FleetView v) => new(
        v.FleetId, v.Counts.AssetCount, v.Counts.OnlineCount, v.Capacity.MinKw, v.Capacity.MaxKw, v.Capacity.PreferredKw,
        v.Dispatch.TargetKw, v.Dispatch.Strategy.ToWire(), v.Dispatch.AllocatedKw, v.Dispatch.ShortfallKw,
        v.Dispatch.LastDispatchId, v.Dispatch.LastDispatchAt,
        v.Measured.Kw, v.Measured.At, v.Measured.Count, v.Measured.StaleCount,
        v.Services.BaseTargetKw, v.Services.Fcr is null ? null : FcrResponse.From(v.Services.Fcr), v.Services.AfrrSetpointKw,
        v.Services.ClampedKw);
}

public sealed record SetpointResponse(string AssetId, double SetpointKw);

public sealed record DispatchResponse(
    string DispatchId,
    DateTimeOffset At,
    double TargetKw,
    string Strategy,
    double AllocatedKw,
    double ShortfallKw,
    int Rounds,
    int AcknowledgedCount,
    int UnacknowledgedCount,
    int ClampedCount,
    IReadOnlyList<SetpointResponse>? Setpoints)
{
    public static DispatchResponse From(DispatchResult r, bool includeSetpoints) => new(
        r.DispatchId, r.At, r.TargetKw, r.Strategy.ToWire(), r.AllocatedKw, r.ShortfallKw, r.Rounds,
        r.AcknowledgedCount, r.UnacknowledgedCount, r.ClampedCount,
        includeSetpoints ? [.. r.Setpoints.Select(s => new SetpointResponse(s.AssetId, s.SetpointKw))] : null);
}
