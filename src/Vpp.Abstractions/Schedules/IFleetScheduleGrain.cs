namespace Vpp.Abstractions.Schedules;

/// <summary>
/// A fleet's schedule of 15-minute slots, keyed by fleet id. At each slot boundary it dispatches the slot's target
/// through the fleet (a grain timer while active, a reminder so restarts do not lose a boundary). When a run of slots
/// ends without a following slot, the fleet is dispatched to 0 kW: no slot means no market position.
/// </summary>
public interface IFleetScheduleGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores the slots (replacing stored slots with the same start, leaving the others) and answers the stored
    /// schedule from now on, with a warning for each slot the batteries cannot sustain.
    /// </summary>
    /// <exception cref="Errors.InvalidInputException">Misaligned, overlapping, empty, past or infeasible slots (the problem names <c>slots[i].targetKw</c>).</exception>
    /// <exception cref="Errors.NotFoundException">No asset ever joined the fleet.</exception>
    Task<ScheduleView> SubmitAsync(ScheduleRequest request);

    /// <summary>
    /// The stored slots overlapping [from, to), widened to whole quarter hours (at most 31 days); both null: the next
    /// two days from the current quarter hour.
    /// </summary>
    /// <exception cref="Errors.InvalidInputException">The range is missing, reversed or too long.</exception>
    [AlwaysInterleave]
    Task<ScheduleView> GetAsync(DateTimeOffset? from, DateTimeOffset? to);

    /// <summary>Removes the slots overlapping [from, to) and answers how many were removed.</summary>
    /// <exception cref="Errors.InvalidInputException">The range is missing, reversed or too long.</exception>
    Task<int> DeleteAsync(DateTimeOffset? from, DateTimeOffset? to);
}
