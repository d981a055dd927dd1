using Vpp.Abstractions.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Domain.Schedules;

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
/// The fleet now, one record per concern: how many assets it has (<see cref="Counts"/>), what its online assets can
/// do together (<see cref="Capacity"/>), its target and last dispatch (<see cref="Dispatch"/>), what its assets
/// measured (<see cref="Measured"/>), what the grid services add to the standing target (<see cref="Services"/>) and
/// what its online batteries hold (<see cref="Storage"/>, null when none reports its SoC).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FleetView(
    [property: Id(0)] string FleetId,
    [property: Id(27)] FleetCounts Counts,
    [property: Id(28)] FleetCapacity Capacity,
    [property: Id(29)] FleetDispatchView Dispatch,
    [property: Id(30)] FleetMeasurement Measured,
    [property: Id(31)] FleetServicesView Services,
    [property: Id(20)] StoragePool? Storage = null);

/// <summary>The fleet's registered assets and how many of them are online.</summary>
[GenerateSerializer, Immutable]
public sealed record FleetCounts([property: Id(0)] int AssetCount, [property: Id(1)] int OnlineCount);

/// <summary>The online assets' range together and where they sit without instructions (kW).</summary>
[GenerateSerializer, Immutable]
public sealed record FleetCapacity([property: Id(0)] double MinKw, [property: Id(1)] double MaxKw, [property: Id(2)] double PreferredKw);

/// <summary>
/// <see cref="TargetKw"/> is the effective target (the standing target set by dispatch,
/// <see cref="FleetServicesView.BaseTargetKw"/>, plus FCR response, aFRR setpoint and battery SoC management, kept inside
/// the fleet's range); null while the fleet has none. What the assets acknowledged and what is missing, and the last
/// dispatch.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FleetDispatchView(
    [property: Id(0)] double? TargetKw,
    [property: Id(1)] DispatchStrategy Strategy,
    [property: Id(2)] double AllocatedKw,
    [property: Id(3)] double ShortfallKw,
    [property: Id(4)] string? LastDispatchId,
    [property: Id(5)] DateTimeOffset? LastDispatchAt);

/// <summary>
/// The sum of the active power the fleet's assets measured recently (<see cref="Count"/> of them, newest at
/// <see cref="At"/>; <see cref="Kw"/> null while none has); assets whose last measurement is too old are left out and
/// counted in <see cref="StaleCount"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FleetMeasurement(
    [property: Id(0)] double? Kw,
    [property: Id(1)] DateTimeOffset? At,
    [property: Id(2)] int Count,
    [property: Id(3)] int StaleCount);

/// <summary>
/// The grid services on top of the standing target: <see cref="BaseTargetKw"/> (the standing target, null while the
/// fleet has none: the target set by dispatch or schedule plus <see cref="SlicesKw"/>, the virtual batteries' net
/// setpoint, null while the fleet's slice book never set one), FCR (null unless it ever had a contract), the aFRR
/// setpoint, and what the fleet's range cut off the composed target (<see cref="ClampedKw"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FleetServicesView(
    [property: Id(0)] double? BaseTargetKw,
    [property: Id(1)] GridServices.FcrView? Fcr,
    [property: Id(2)] double? AfrrSetpointKw,
    [property: Id(3)] double ClampedKw,
    [property: Id(4)] double? SlicesKw = null);

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

