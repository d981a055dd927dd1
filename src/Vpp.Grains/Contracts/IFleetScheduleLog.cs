namespace Vpp.Grains.Contracts;

/// <summary>The fleet's side of its schedule (same key as the fleet): slot starts appear among the fleet's events.</summary>
public interface IFleetScheduleLog : IGrainWithStringKey
{
    /// <summary>Records a "schedule" event: a slot with a new target started, or the schedule ran out.</summary>
    /// <exception cref="Vpp.Abstractions.Errors.NotFoundException">No asset ever joined the fleet.</exception>
    Task RecordScheduleEventAsync(string message, double targetKw, string? dispatchId);
}
