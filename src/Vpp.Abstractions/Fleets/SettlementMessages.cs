namespace Vpp.Abstractions.Fleets;

/// <summary>One member's meter for one slot, as its partition keeps it.</summary>
[GenerateSerializer, Immutable]
public readonly record struct MeterReading(
    [property: Id(0)] string AssetId,
    [property: Id(1)] DateTimeOffset SlotStart,
    [property: Id(2)] double DeliveredKwh,
    [property: Id(3)] TimeSpan Covered,
    [property: Id(4)] double RequestedKwh,
    [property: Id(5)] double? RequestedKwAtStart);

[GenerateSerializer, Immutable]
public sealed record AssetSettlementView(
    [property: Id(0)] string AssetId,
    [property: Id(1)] double RequestedKwh,
    [property: Id(2)] double PlannedKwh,
    [property: Id(3)] double DeliveredKwh,
    [property: Id(4)] double? DeviationKwh,
    [property: Id(5)] TimeSpan UnknownTime,
    [property: Id(6)] double CoveragePercent,
    [property: Id(7)] double? SharePercent);

[GenerateSerializer, Immutable]
public sealed record CompensationView(
    [property: Id(0)] string CompensatingAssetId,
    [property: Id(1)] string ForAssetId,
    [property: Id(2)] double Kwh);

/// <summary>
/// One slot: requested energy (the fleet's base target integrated, plus the reserve activations the TSO asked for),
/// delivered energy (the members' meters), the deviation (null when a meter has a gap: unknown is not zero) and who
/// compensated for whom. <see cref="SocManagementKwh"/> is the energy of the batteries' own FCR SoC corrections in the
/// slot: nobody requested it, so it is not in <see cref="RequestedKwh"/> but is delivered, and shown here beside it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SlotSettlementView(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] DateTimeOffset End,
    [property: Id(2)] double RequestedKwh,
    [property: Id(3)] double DeliveredKwh,
    [property: Id(4)] double? DeviationKwh,
    [property: Id(5)] double? DeviationPercent,
    [property: Id(6)] bool Complete,
    [property: Id(7)] string[] AssetsWithGaps,
    [property: Id(8)] AssetSettlementView[] Assets,
    [property: Id(9)] CompensationView[] Compensations,
    [property: Id(10)] int AssetCount = 0,
    [property: Id(11)] int AssetsWithGapsCount = 0,
    [property: Id(12)] double SocManagementKwh = 0);

[GenerateSerializer, Immutable]
public sealed record SettlementView(
    [property: Id(0)] string FleetId,
    [property: Id(1)] SlotSettlementView[] Slots);
