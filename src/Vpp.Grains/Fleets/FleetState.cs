using Vpp.Abstractions.Fleets;
using Vpp.Domain.Dispatch;

namespace Vpp.Grains.Fleets;

[GenerateSerializer]
public sealed class FleetState
{
    [Id(0)] public bool Known { get; set; }
    [Id(1)] public HashSet<string> PartitionKeys { get; set; } = [];
    [Id(2)] public double? TargetKw { get; set; }
    [Id(3)] public DispatchStrategy Strategy { get; set; }
    [Id(4)] public double AllocatedKw { get; set; }
    [Id(5)] public double ShortfallKw { get; set; }
    [Id(6)] public string? LastDispatchId { get; set; }
    [Id(7)] public DateTimeOffset? LastDispatchAt { get; set; }
    [Id(8)] public List<FleetEvent> Events { get; set; } = [];
    [Id(9)] public long NextSequence { get; set; } = 1;

    /// <summary>The virtual batteries' net setpoint, set by the fleet's slice book; part of the base target beside <see cref="TargetKw"/>.</summary>
    [Id(10)] public double? SlicesKw { get; set; }
}
