using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Client.Errors;
using Vpp.Domain.Dispatch;

namespace Vpp.Client;

public sealed partial class VppClient
{
    /// <summary>Most recent events one call returns.</summary>
    public const int MaxEventLimit = 500;

    /// <summary>
    /// The fleet now: asset and online counts (<see cref="FleetView.Counts"/>), its capacity
    /// (<see cref="FleetView.Capacity"/>: its range and where it sits without instructions), its target and what is
    /// allocated of it (<see cref="FleetView.Dispatch"/>), what its assets measured, its grid services and its batteries.
    /// </summary>
    /// <exception cref="VppNotFoundException">No asset ever joined the fleet.</exception>
    /// <exception cref="VppValidationException">The id is malformed.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public async Task<FleetView> GetFleetAsync(string fleetId, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("fleetId", fleetId);
        return await ErrorTranslation.CallAsync(() => Fleet(fleetId).GetAsync(), cancellationToken)
            ?? throw new VppNotFoundException("fleet", fleetId);
    }

    /// <summary>
    /// Sets the fleet's standing target (kW net export, + = to the grid) and splits it over the online assets;
    /// the answer says what the assets acknowledged and the shortfall. The fleet re-dispatches the target by
    /// itself when assets drop out or return.
    /// </summary>
    /// <exception cref="VppNotFoundException">No asset ever joined the fleet.</exception>
    /// <exception cref="VppValidationException">The id, target or strategy is invalid.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<DispatchResult> DispatchAsync(
        string fleetId, double targetKw, DispatchStrategy strategy = DispatchStrategy.MeritOrder, CancellationToken cancellationToken = default) =>
        DispatchAsync(fleetId, new DispatchRequest(targetKw, strategy), cancellationToken);

    /// <summary>Dispatches with every option of <see cref="DispatchRequest"/> (e.g. without the per-asset setpoints in the answer).</summary>
    /// <inheritdoc cref="DispatchAsync(string, double, DispatchStrategy, CancellationToken)"/>
    public Task<DispatchResult> DispatchAsync(string fleetId, DispatchRequest request, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("fleetId", fleetId);
        ArgumentNullException.ThrowIfNull(request);
        return ErrorTranslation.CallAsync(() => Fleet(fleetId).DispatchAsync(request), cancellationToken);
    }

    /// <summary>The fleet's most recent events, newest first: dispatches, asset status changes, re-dispatches, membership.</summary>
    /// <exception cref="VppNotFoundException">No asset ever joined the fleet.</exception>
    /// <exception cref="VppValidationException">The id is malformed or <paramref name="limit"/> is not 1 to <see cref="MaxEventLimit"/>.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<FleetEvent[]> GetFleetEventsAsync(string fleetId, int limit = 50, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("fleetId", fleetId);
        if (limit is < 1 or > MaxEventLimit)
        {
            throw new VppValidationException([new FieldProblem("limit", $"must be a whole number from 1 to {MaxEventLimit}")]);
        }

        return ErrorTranslation.CallAsync(() => Fleet(fleetId).GetEventsAsync(limit), cancellationToken);
    }

    /// <summary>
    /// The fleet's events older than <paramref name="beforeSequence"/>, newest first: pass the smallest
    /// <see cref="FleetEvent.Sequence"/> of one page to read the next, back to what the fleet retains.
    /// </summary>
    /// <exception cref="VppNotFoundException">No asset ever joined the fleet.</exception>
    /// <exception cref="VppValidationException">The id is malformed, <paramref name="beforeSequence"/> is below 1 or <paramref name="limit"/> is not 1 to <see cref="MaxEventLimit"/>.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<FleetEvent[]> GetFleetEventsBeforeAsync(string fleetId, long beforeSequence, int limit = 50, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("fleetId", fleetId);
        var problems = new List<FieldProblem>();
        if (beforeSequence < 1)
        {
            problems.Add(new FieldProblem("beforeSequence", "must be an event sequence, a whole number of at least 1"));
        }

        if (limit is < 1 or > MaxEventLimit)
        {
            problems.Add(new FieldProblem("limit", $"must be a whole number from 1 to {MaxEventLimit}"));
        }

        if (problems.Count > 0)
        {
            throw new VppValidationException([.. problems]);
        }

        return ErrorTranslation.CallAsync(() => Fleet(fleetId).GetEventsBeforeAsync(beforeSequence, limit), cancellationToken);
    }

    private IFleetGrain Fleet(string fleetId) => _cluster.GetGrain<IFleetGrain>(fleetId);
}
