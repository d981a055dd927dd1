using Orleans.Concurrency;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Domain.Schedules;

namespace Vpp.Grains.Contracts;

// Messages between a fleet and its partitions; silo-internal, not part of the SDK.

/// <summary>
/// A partition's share of the fleet, pushed up whenever it changes. <see cref="InfeasibleKw"/> is how far its
/// members' accepted setpoints now lie outside what they can do (a battery reaching its SoC limit, a cloud over a
/// solar park): the part of the standing target that is no longer being delivered. <see cref="RampKwPerSecond"/> is
/// how fast its online members' output can move together (the sum of their rates). What they measured, what their
/// online batteries hold and what every member adds up to as registered travel as one record each.
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
    [property: Id(44)] double RampKwPerSecond = 0,
    [property: Id(46)] PartitionMeasurement Measured = default,
    [property: Id(47)] PartitionBatteries Batteries = default,
    [property: Id(48)] PartitionRegistration Registered = default);

/// <summary>
/// The active power summed over the <see cref="Count"/> members with a recent measurement (newest at <see cref="At"/>);
/// <see cref="StaleCount"/> members have measured before but not recently enough to count.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct PartitionMeasurement(
    [property: Id(0)] double Kw,
    [property: Id(1)] int Count,
    [property: Id(2)] int StaleCount,
    [property: Id(3)] DateTimeOffset? At);

/// <summary>
/// The partition's online batteries: usable and stored energy, power, the FCR reserve they hold as registered and at
/// their SoC now, their store by direction (<see cref="Storage"/>, null when none reports its SoC), and where they
/// stand for FCR SoC management (<see cref="SocShifts"/>, <see cref="Soc"/>).
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct PartitionBatteries(
    [property: Id(0)] double UsableKwh,
    [property: Id(1)] double StoredKwh,
    [property: Id(2)] double PowerKw,
    [property: Id(3)] double FcrReserveKw,
    [property: Id(4)] double FcrReserveNowKw,
    [property: Id(5)] StoragePool? Storage,
    [property: Id(6)] SocShift[]? SocShifts,
    [property: Id(7)] SocBalance? Soc);

/// <summary>Every member of the partition as registered, online or not: its power range and its batteries' power, FCR reserve and usable energy.</summary>
[GenerateSerializer, Immutable]
public readonly record struct PartitionRegistration(
    [property: Id(0)] double MinKw,
    [property: Id(1)] double MaxKw,
    [property: Id(2)] double BatteryPowerKw,
    [property: Id(3)] double BatteryFcrReserveKw,
    [property: Id(4)] double BatteryUsableKwh);

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
/// What a partition's bulk registration left undone: <see cref="Existing"/> items have a stored row (registered before,
/// perhaps in another fleet) and go through their own grain; <see cref="Failed"/> items were not stored
/// (<see cref="FailureMessage"/> says why) and may be sent again. Every other item is registered and joined.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BulkJoinResult(
    [property: Id(0)] string[] Existing,
    [property: Id(1)] string[] Failed,
    [property: Id(2)] string? FailureMessage);

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

/// <summary>Uncommitted flexibility of a partition's members in one slot (sums), for the fleet to add up.</summary>
[GenerateSerializer, Immutable]
public readonly record struct PooledFlexSlot(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] double UpKw,
    [property: Id(2)] double DownKw,
    [property: Id(3)] double BaselineKw,
    [property: Id(4)] int Counted,
    [property: Id(5)] int NotCounted);

/// <summary>
/// One partition's members with meter data in the range, summed for one slot: settlement without the per-asset list
/// (<see cref="IncompleteAssetIds"/> names at most <see cref="MaxNamed"/> of the <see cref="IncompleteCount"/> with gaps).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MeterSlotTotal(
    [property: Id(0)] DateTimeOffset SlotStart,
    [property: Id(1)] double DeliveredKwh,
    [property: Id(2)] int AssetCount,
    [property: Id(3)] int IncompleteCount,
    [property: Id(4)] string[] IncompleteAssetIds)
{
    public const int MaxNamed = 20;
}
