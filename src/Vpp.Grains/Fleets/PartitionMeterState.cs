using Vpp.Abstractions.Fleets;

namespace Vpp.Grains.Fleets;

/// <summary>
/// One quarter hour of a partition's settlement meters: the members' readings of that slot, in one cell of the
/// partition's <see cref="MeterRing"/>.
/// </summary>
[GenerateSerializer]
public sealed class PartitionMeterSlotState
{
    [Id(0)] public DateTimeOffset SlotStart { get; set; }
    [Id(1)] public List<MeterReading> Readings { get; set; } = [];
}
