using Vpp.Abstractions.Fleets;

namespace Vpp.Grains.Fleets;

/// <summary>
/// A partition's closed settlement slots, stored so settlement survives a restart or a deactivation: written once per
/// quarter hour (when the first measurement of a new slot arrives) and on deactivation, pruned to the retention.
/// </summary>
[GenerateSerializer]
public sealed class PartitionMeterState
{
    [Id(0)] public List<MeterReading> Readings { get; set; } = [];
}
