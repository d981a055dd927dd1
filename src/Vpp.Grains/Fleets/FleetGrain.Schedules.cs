using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Schedules;

namespace Vpp.Grains.Fleets;

/// <summary>The schedule grain dispatches through <see cref="IFleetGrain.DispatchAsync"/>; this records why, for the event log.</summary>
public sealed partial class FleetGrain : IFleetScheduleLog
{
    public Task RecordScheduleEventAsync(string message, double targetKw, string? dispatchId)
    {
        RequireKnown();
        AddEvent(new ScheduleEvent(0, clock.GetUtcNow(), message, DispatchId: dispatchId, TargetKw: targetKw));
        WriteEventsBehind(); // the dispatch it explains was written already
        return Task.CompletedTask;
    }
}
