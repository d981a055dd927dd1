using Orleans.Concurrency;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;

namespace Vpp.Grains.Contracts;

// Messages between an asset and its partition; silo-internal, not part of the SDK.

/// <summary>An asset's answer to a setpoint: whether it took it, what it accepted, and what it can do now.</summary>
[GenerateSerializer, Immutable]
public readonly record struct SetpointAck(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] double AcceptedKw,
    [property: Id(2)] Capability CapabilityAfter);

/// <summary>An asset status change as reported up the tree (fleet events and reallocation come from these).</summary>
[GenerateSerializer, Immutable]
public sealed record StatusChange(
    [property: Id(0)] string AssetId,
    [property: Id(1)] AssetStatus From,
    [property: Id(2)] AssetStatus To,
    [property: Id(3)] string? Reason,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] double LostKw);

/// <summary>
/// What a partition needs to know about one member asset. <see cref="MeasuredKw"/> is the active power of the
/// newest telemetry (+ export) measured at <see cref="MeasuredAt"/>; both null until the asset has reported one.
/// <see cref="Kind"/> lets the console filter a fleet's assets by kind without asking every asset (null only
/// from a report made before the field existed).
/// A battery reports its energy model and SoC once (<see cref="Battery"/>, null for other kinds and while the SoC is
/// unknown); the partition derives from it both the store the fleet checks schedules and slices against and the figures
/// FCR SoC management works on (<see cref="BatteryAtSoc"/>). <see cref="RegisteredMinKw"/> and
/// <see cref="RegisteredMaxKw"/> are the asset's registered power range (its spec), online or not: what an FCR award
/// may count on, since the award comes ahead of delivery. <see cref="RampKwPerSecond"/> is how fast its output follows
/// a setpoint (<c>AssetSpec.FollowRateKwPerSecond</c>): the fleet sums it over its online assets to know how fast its
/// delivered aFRR power can move.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct MemberReport(
    [property: Id(0)] AssetStatus Status,
    [property: Id(1)] Capability Capability,
    [property: Id(2)] double? SetpointKw,
    [property: Id(25)] double? MeasuredKw = null,
    [property: Id(26)] DateTimeOffset? MeasuredAt = null,
    [property: Id(43)] BatteryAtSoc? Battery = null,
    [property: Id(21)] OutageView[]? UpcomingOutages = null,
    [property: Id(35)] AssetKind? Kind = null,
    [property: Id(40)] double RegisteredMinKw = 0,
    [property: Id(41)] double RegisteredMaxKw = 0,
    [property: Id(42)] double RampKwPerSecond = 0); // ids 20 and 30–32 belong to retired members: never reuse them

/// <summary>
/// One asset's flexibility as its partition pools it: its range and baseline, the energy it can still deliver or
/// absorb (null: not energy-limited), until when it counts at all (solar, wind: no forecast), and its outages.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FlexOffer(
    [property: Id(0)] double MinKw,
    [property: Id(1)] double MaxKw,
    [property: Id(2)] double BaselineKw,
    [property: Id(3)] double? DeliverableKwh,
    [property: Id(4)] double? AbsorbableKwh,
    [property: Id(5)] DateTimeOffset? CountsUntil,
    [property: Id(6)] OutageWindow[] Outages);

[GenerateSerializer, Immutable]
public sealed record OutageWindow([property: Id(0)] DateTimeOffset From, [property: Id(1)] DateTimeOffset Until, [property: Id(2)] bool Planned);
