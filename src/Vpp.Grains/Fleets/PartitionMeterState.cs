using Vpp.Abstractions.Fleets;

namespace Vpp.Grains.Fleets;

/// <summary>
/// A partition's settlement slots in one state (all slots in one row). Read on activation, so slots stored in this
/// layout are restored; never written — slots are stored per quarter hour (<see cref="PartitionMeterSlotState"/>).
/// </summary>
[GenerateSerializer]
public sealed class PartitionMeterState
{
    [Id(0)] public List<MeterReading> Readings { get; set; } = [];
}

/// <summary>
/// One quarter hour of a partition's settlement meters: the members' readings of that slot. The states form a ring
/// ("partitionMeter-q{n}", n = the slot's index modulo the ring size) that covers the retention, so a write carries
/// only the quarter hour that closed, and a cell is reused once its slot fell out of the retention.
/// </summary>
[GenerateSerializer]
public sealed class PartitionMeterSlotState
{
    [Id(0)] public DateTimeOffset SlotStart { get; set; }
    [Id(1)] public List<MeterReading> Readings { get; set; } = [];
}
