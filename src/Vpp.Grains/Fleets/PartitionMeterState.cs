namespace Vpp.Grains.Fleets;

/// <summary>
/// A partition's closed settlement slots, stored so settlement survives a restart or a deactivation: written once per
/// quarter hour (when the first measurement of a new slot arrives) and on deactivation, pruned to the retention.
/// </summary>
[GenerateSerializer]
public sealed class PartitionMeterState
{
    [Id(0)] public List<StoredSlotReading> Readings { get; set; } = [];
}

[GenerateSerializer, Immutable]
public sealed record StoredSlotReading(
    [property: Id(0)] string AssetId,
    [property: Id(1)] DateTimeOffset SlotStart,
    [property: Id(2)] double DeliveredKwh,
    [property: Id(3)] TimeSpan Covered,
    [property: Id(4)] double RequestedKwh,
    [property: Id(5)] double? RequestedKwAtStart);
