using Vpp.Abstractions.Schedules;
using Vpp.Client.Errors;

namespace Vpp.Client;

public sealed partial class VppClient
{
    /// <summary>
    /// Stores 15-minute slots for a fleet, starting at <paramref name="startUtc"/> (a UTC quarter hour), one target per
    /// slot (kW net export, + = to the grid). Stored slots with the same start are replaced, the others stay. At each
    /// slot's start the fleet is dispatched to its target; after the last slot of a run it returns to 0 kW. The answer
    /// is the stored schedule from now on with a warning for each slot the batteries cannot sustain (the slot and
    /// the shortfall in kWh): the schedule is stored all the same.
    /// </summary>
    /// <exception cref="VppValidationException">A misaligned start, no slots, a slot that has ended, or a target outside the fleet's range (the problem names <c>slots[i].targetKw</c>).</exception>
    /// <exception cref="VppNotFoundException">No asset ever joined the fleet.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<ScheduleView> PutScheduleAsync(
        string fleetId, DateTimeOffset startUtc, IReadOnlyList<double> targetsKw, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targetsKw);
        return PutScheduleAsync(fleetId, new ScheduleRequest(startUtc, [.. targetsKw.Select(t => new ScheduleSlotRequest(t))]), cancellationToken);
    }

    /// <summary>
    /// Stores a whole local delivery day: exactly one target per quarter hour of <paramref name="localDate"/> in
    /// <paramref name="timeZoneId"/> (an IANA id such as Europe/Berlin) — 92 on the day clocks go forward, 100 on the
    /// day they go back, 96 otherwise.
    /// </summary>
    /// <exception cref="VppValidationException">The zone is unknown or the count is not the day's number of quarter hours (field <c>slots</c>).</exception>
    /// <inheritdoc cref="PutScheduleAsync(string, DateTimeOffset, IReadOnlyList{double}, CancellationToken)"/>
    public Task<ScheduleView> PutLocalDayScheduleAsync(
        string fleetId, DateOnly localDate, string timeZoneId, IReadOnlyList<double> targetsKw, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targetsKw);
        return PutScheduleAsync(fleetId, new ScheduleRequest(null, [.. targetsKw.Select(t => new ScheduleSlotRequest(t))], localDate, timeZoneId), cancellationToken);
    }

    /// <summary>Stores a schedule in either form of <see cref="ScheduleRequest"/> (e.g. slots with their own starts, leaving gaps).</summary>
    /// <inheritdoc cref="PutScheduleAsync(string, DateTimeOffset, IReadOnlyList{double}, CancellationToken)"/>
    public Task<ScheduleView> PutScheduleAsync(string fleetId, ScheduleRequest request, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("fleetId", fleetId);
        ArgumentNullException.ThrowIfNull(request);
        return ErrorTranslation.CallAsync(() => _cluster.GetGrain<IFleetScheduleGrain>(fleetId).SubmitAsync(request), cancellationToken);
    }

    /// <summary>The fleet's stored slots overlapping [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), widened to whole quarter hours (at most 31 days).</summary>
    /// <exception cref="VppValidationException">The id is malformed, or <paramref name="toUtc"/> is not after <paramref name="fromUtc"/>, or the range is too long.</exception>
    /// <exception cref="VppNotFoundException">No asset ever joined the fleet.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<ScheduleView> GetScheduleAsync(string fleetId, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("fleetId", fleetId);
        return ErrorTranslation.CallAsync(() => _cluster.GetGrain<IFleetScheduleGrain>(fleetId).GetAsync(fromUtc, toUtc), cancellationToken);
    }

    /// <summary>
    /// Removes the fleet's slots overlapping [<paramref name="fromUtc"/>, <paramref name="toUtc"/>) and answers how many
    /// were removed. Removing the slot in force returns the fleet to 0 kW.
    /// </summary>
    /// <inheritdoc cref="GetScheduleAsync(string, DateTimeOffset, DateTimeOffset, CancellationToken)"/>
    public Task<int> DeleteScheduleAsync(string fleetId, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("fleetId", fleetId);
        return ErrorTranslation.CallAsync(() => _cluster.GetGrain<IFleetScheduleGrain>(fleetId).DeleteAsync(fromUtc, toUtc), cancellationToken);
    }
}
