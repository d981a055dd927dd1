using Vpp.Abstractions.Schedules;

namespace Vpp.Grains.Schedules;

[GenerateSerializer]
public sealed class FleetScheduleState
{
    /// <summary>The slots, ordered by start (ended ones kept for <see cref="VppOptions.ScheduleHistoryRetention"/>).</summary>
    [Id(0)] public List<ScheduledSlotView> Slots { get; set; } = [];

    /// <summary>The slot whose target was last dispatched: a restart dispatches the current slot only if it differs.</summary>
    [Id(1)] public DateTimeOffset? AppliedSlotStart { get; set; }

    [Id(2)] public double? AppliedTargetKw { get; set; }

    /// <summary>True once the fleet was returned to 0 kW after the last applied slot ended without a successor.</summary>
    [Id(3)] public bool Released { get; set; }
}
