namespace Vpp.Abstractions.Fleets;

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
