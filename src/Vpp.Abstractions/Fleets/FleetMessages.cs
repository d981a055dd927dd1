using Vpp.Abstractions.Assets;
using Vpp.Domain.Dispatch;

namespace Vpp.Abstractions.Fleets;

/// <param name="RequestedFrom">
/// When the target is requested from, for settlement: a schedule slot's start, so the slot's requested energy is its
/// target over the whole slot however late the dispatch ran. Null: from when the dispatch completes.
/// </param>
[GenerateSerializer, Immutable]
public sealed record DispatchRequest(
    [property: Id(0)] double TargetKw,
    [property: Id(1)] DispatchStrategy Strategy = DispatchStrategy.MeritOrder,
    [property: Id(2)] bool IncludeSetpoints = true,
    [property: Id(3)] DateTimeOffset? RequestedFrom = null);

[GenerateSerializer, Immutable]
public readonly record struct AssetSetpoint([property: Id(0)] string AssetId, [property: Id(1)] double SetpointKw);

/// <summary>The outcome of one dispatch: what was asked, what the assets acknowledged, and what is missing.</summary>
[GenerateSerializer, Immutable]
public sealed record DispatchResult(
    [property: Id(0)] string DispatchId,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] double TargetKw,
    [property: Id(3)] DispatchStrategy Strategy,
    [property: Id(4)] double AllocatedKw,
    [property: Id(5)] double ShortfallKw,
    [property: Id(6)] int Rounds,
    [property: Id(7)] int AcknowledgedCount,
    [property: Id(8)] int UnacknowledgedCount,
    [property: Id(9)] int ClampedCount,
    [property: Id(10)] AssetSetpoint[] Setpoints,
    [property: Id(11)] SetpointChange[]? LargestChanges = null);

/// <summary>
/// The fleet now: capacity pushed up by its assets, and its target. <see cref="TargetKw"/> is the effective target
/// (<see cref="BaseTargetKw"/>, the standing target set by dispatch, plus FCR response, aFRR setpoint and battery SoC
/// management, kept inside the fleet's range; <see cref="ServiceClampedKw"/> is what that range cut off).
/// <see cref="MeasuredKw"/> is the sum of the active power its assets measured recently (<see cref="MeasuredCount"/>
/// of them; null while none has); assets whose last measurement is too old are left out and counted in
/// <see cref="StaleCount"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FleetView(
    [property: Id(0)] string FleetId,
    [property: Id(1)] int AssetCount,
    [property: Id(2)] int OnlineCount,
    [property: Id(3)] double MinPowerKw,
    [property: Id(4)] double MaxPowerKw,
    [property: Id(5)] double PreferredPowerKw,
    [property: Id(6)] double? TargetKw,
    [property: Id(7)] DispatchStrategy Strategy,
    [property: Id(8)] double AllocatedKw,
    [property: Id(9)] double ShortfallKw,
    [property: Id(10)] string? LastDispatchId,
    [property: Id(11)] DateTimeOffset? LastDispatchAt,
    [property: Id(12)] double? MeasuredKw = null,
    [property: Id(13)] DateTimeOffset? MeasuredAt = null,
    [property: Id(14)] double? BaseTargetKw = null,
    [property: Id(15)] GridServices.FcrView? Fcr = null,
    [property: Id(16)] double? AfrrSetpointKw = null,
    [property: Id(17)] double ServiceClampedKw = 0,
    [property: Id(25)] int MeasuredCount = 0,
    [property: Id(26)] int StaleCount = 0,
    [property: Id(20)] StorageEnergy? Storage = null);

public static class FleetEventKinds
{
    public const string Dispatch = "dispatch";
    public const string AssetStatus = "assetStatus";
    public const string Reallocation = "reallocation";
    public const string Membership = "membership";

    /// <summary>A trader's virtual batteries are curtailed (pro rata with every other slice) because the fleet cannot deliver a slot.</summary>
    public const string SliceCurtailment = "sliceCurtailment";

    /// <summary>A schedule slot started with a new target (or the schedule ran out and the fleet returned to 0 kW).</summary>
    public const string Schedule = "schedule";

    /// <summary>
    /// Never recorded by a fleet: a subscriber emits it when it had to subscribe again (the fleet was reactivated,
    /// e.g. after a silo restart) and has filled in what it missed as far as the fleet still retains it.
    /// </summary>
    public const string Resubscribed = "resubscribed";
}

/// <summary>How far one asset's setpoint moved in a dispatch (+ more export): who picked up a share, and how much.</summary>
[GenerateSerializer, Immutable]
public readonly record struct SetpointChange([property: Id(0)] string AssetId, [property: Id(1)] double ChangeKw);

