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

/// <summary>Something that happened to a fleet. Fields that do not apply to a kind are null.</summary>
[GenerateSerializer, Immutable]
public sealed record FleetEvent(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Kind,
    [property: Id(3)] string Message,
    [property: Id(4)] string? DispatchId = null,
    [property: Id(5)] string? AssetId = null,
    [property: Id(6)] string? Status = null,
    [property: Id(7)] double? TargetKw = null,
    [property: Id(8)] double? AllocatedKw = null,
    [property: Id(9)] double? ShortfallKw = null,
    [property: Id(10)] double? LostKw = null,
    [property: Id(11)] double? PickedUpKw = null,
    [property: Id(12)] string[]? AssetIds = null,
    [property: Id(13)] SetpointChange[]? PickedUpBy = null,
    [property: Id(14)] string? TraderId = null,
    [property: Id(15)] string[]? VirtualBatteryIds = null);

/// <summary>How far one asset's setpoint moved in a dispatch (+ more export): who picked up a share, and how much.</summary>
[GenerateSerializer, Immutable]
public readonly record struct SetpointChange([property: Id(0)] string AssetId, [property: Id(1)] double ChangeKw);

/// <summary>
/// A partition's share of the fleet, pushed up whenever it changes. <see cref="InfeasibleKw"/> is how far its
/// members' accepted setpoints now lie outside what they can do (a battery reaching its SoC limit, a cloud over a
/// solar park): the part of the standing target that is no longer being delivered. <see cref="MeasuredKw"/> sums the
/// active power of the <see cref="MeasuredCount"/> members with a recent measurement (newest at
/// <see cref="MeasuredAt"/>); <see cref="StaleCount"/> members have measured before but not recently enough to count.
/// <see cref="RampKwPerSecond"/> is how fast its online members' output can move together (the sum of their rates).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PartitionSummary(
    [property: Id(0)] string PartitionKey,
    [property: Id(1)] int AssetCount,
    [property: Id(2)] int OnlineCount,
    [property: Id(3)] CostLevel[] Curve,
    [property: Id(4)] double AllocatedKw,
    [property: Id(5)] StatusChange[] StatusChanges,
    [property: Id(6)] MembershipChange[] MembershipChanges,
    [property: Id(7)] double InfeasibleKw = 0,
    [property: Id(8)] double MeasuredKw = 0,
    [property: Id(9)] int MeasuredCount = 0,
    [property: Id(10)] int StaleCount = 0,
    [property: Id(11)] DateTimeOffset? MeasuredAt = null,
    [property: Id(12)] double BatteryUsableKwh = 0,
    [property: Id(13)] double BatteryStoredKwh = 0,
    [property: Id(14)] double BatteryPowerKw = 0,
    [property: Id(16)] StorageEnergy? Storage = null,
    [property: Id(17)] SocShift[]? SocShifts = null,
    [property: Id(18)] double BatteryFcrReserveKw = 0,
    [property: Id(19)] double BatteryFcrReserveNowKw = 0,
    [property: Id(20)] SocBalance? Soc = null,
    [property: Id(40)] double RegisteredMinKw = 0,
    [property: Id(41)] double RegisteredMaxKw = 0,
    [property: Id(42)] double RegisteredBatteryPowerKw = 0,
    [property: Id(43)] double RegisteredBatteryFcrReserveKw = 0,
    [property: Id(44)] double RampKwPerSecond = 0,
    [property: Id(45)] double RegisteredBatteryUsableKwh = 0);

/// <summary>
/// Where a partition's FCR batteries stand against their SoC windows (at the reserve share last sent): the energy
/// scheduled trades must sell (too full) and buy (too empty) to bring them back, and how many can no longer hold
/// their reserve for the activation time upwards (too empty) and downwards (too full).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SocBalance(
    [property: Id(0)] double TradeSellKwh,
    [property: Id(1)] double TradeBuyKwh,
    [property: Id(2)] int AlertUpCount,
    [property: Id(3)] int AlertDownCount);

/// <summary>
/// FCR SoC management of one marginal cost's batteries in a partition, at the reserve share the partition was last
/// sent: urgency × reserve summed over the batteries that are too full (<see cref="DischargeReserveKw"/>) and over
/// those too empty (<see cref="ChargeReserveKw"/>, positive). Times the share of the reserve the frequency allows each
/// way (<c>FcrSocManagement.Limits</c>) that is how far their preferred points move; the fleet plans with the net and
/// re-dispatches when the sum moves.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SocShift(
    [property: Id(0)] double MarginalCostEurPerMwh,
    [property: Id(1)] double DischargeReserveKw,
    [property: Id(2)] double ChargeReserveKw)
{
    public double NetKw(double dischargeShare, double chargeShare) => (DischargeReserveKw * dischargeShare) - (ChargeReserveKw * chargeShare);

    public double MovedKw(double dischargeShare, double chargeShare) => (DischargeReserveKw * dischargeShare) + (ChargeReserveKw * chargeShare);
}

[GenerateSerializer, Immutable]
public sealed record MembershipChange(
    [property: Id(0)] string AssetId,
    [property: Id(1)] bool Joined,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] double LostKw);

/// <summary>
/// One round of a dispatch, sent to every partition with assets to move. <see cref="SocManagementShare"/> is set while
/// FCR SoC management runs (an FCR contract): each battery then holds that share of its power as reserve and starts
/// from its own SoC correction instead of its plain preferred point — urgency × the share of its reserve the frequency
/// allows that way (<see cref="SocDischargeShare"/>, <see cref="SocChargeShare"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PartitionRoundRequest(
    [property: Id(0)] string DispatchId,
    [property: Id(1)] int Round,
    [property: Id(2)] DispatchPlan Plan,
    [property: Id(3)] bool IncludeSetpoints,
    [property: Id(4)] double? SocManagementShare = null,
    [property: Id(5)] double SocDischargeShare = 0,
    [property: Id(6)] double SocChargeShare = 0);

[GenerateSerializer, Immutable]
public sealed record PartitionRoundResult(
    [property: Id(0)] double AcceptedKw,
    [property: Id(1)] CostLevel[] ResidualCurve,
    [property: Id(2)] int AcknowledgedCount,
    [property: Id(3)] int UnacknowledgedCount,
    [property: Id(4)] int ClampedCount,
    [property: Id(5)] AssetSetpoint[] Setpoints,
    [property: Id(6)] SetpointChange[]? LargestChanges = null);
