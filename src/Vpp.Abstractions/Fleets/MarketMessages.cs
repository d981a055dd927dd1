namespace Vpp.Abstractions.Fleets;

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

/// <summary>Uncommitted flexibility of a partition's members in one slot (sums), for the fleet to add up.</summary>
[GenerateSerializer, Immutable]
public readonly record struct PooledFlexSlot(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] double UpKw,
    [property: Id(2)] double DownKw,
    [property: Id(3)] double BaselineKw,
    [property: Id(4)] int Counted,
    [property: Id(5)] int NotCounted);

/// <summary>What the fleet can guarantee in one 15-minute slot for a product of the query's duration.</summary>
[GenerateSerializer, Immutable]
public sealed record FlexibilitySlotView(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] DateTimeOffset End,
    [property: Id(2)] double UpKw,
    [property: Id(3)] double DownKw,
    [property: Id(4)] double UpKwh,
    [property: Id(5)] double DownKwh,
    [property: Id(6)] int AssetsCounted,
    [property: Id(7)] int AssetsNotCounted);

[GenerateSerializer, Immutable]
public sealed record FlexibilityView(
    [property: Id(0)] string FleetId,
    [property: Id(1)] TimeSpan ProductDuration,
    [property: Id(2)] int ScheduledSlots,
    [property: Id(3)] double FcrReserveKw,
    [property: Id(4)] FlexibilitySlotView[] Slots);

/// <summary>One bid: a product block, its direction, what the pool can guarantee and the quantity after rounding.</summary>
[GenerateSerializer, Immutable]
public sealed record BidView(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] DateTimeOffset End,
    [property: Id(2)] string Direction,
    [property: Id(3)] double PooledKw,
    [property: Id(4)] double QuantityKw,
    [property: Id(5)] string? Problem);

[GenerateSerializer, Immutable]
public sealed record BidsView(
    [property: Id(0)] string FleetId,
    [property: Id(1)] string Product,
    [property: Id(2)] double MinBidKw,
    [property: Id(3)] double IncrementKw,
    [property: Id(4)] BidView[] Bids);
