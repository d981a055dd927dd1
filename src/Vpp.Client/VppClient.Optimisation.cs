using Vpp.Abstractions.Optimisation;
using Vpp.Client.Errors;

namespace Vpp.Client;

public sealed partial class VppClient
{
    /// <summary>
    /// Proposes the fleet's 15-minute schedule over [<paramref name="fromUtc"/>, <paramref name="toUtc"/>) (UTC quarter
    /// hours, at most 2 days) from one price per quarter hour (EUR/MWh, the first for <paramref name="fromUtc"/>):
    /// per slot the fleet target, each group's power and SoC, revenue and the binding limits. Battery groups end at
    /// <paramref name="endSocPercent"/> or above (null: where they start). With <paramref name="apply"/> the proposal
    /// is also stored as the fleet's schedule, as <see cref="PutScheduleAsync(string, DateTimeOffset, IReadOnlyList{double}, CancellationToken)"/> would.
    /// </summary>
    /// <exception cref="VppValidationException">The horizon, prices or end SoC are invalid (the problem names the field).</exception>
    /// <exception cref="VppNotFoundException">No asset ever joined the fleet.</exception>
    /// <exception cref="VppInfeasibleException">No schedule meets the fleet's constraints (names the family and the slot).</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached, or the optimiser found no schedule within its time limit.</exception>
    public Task<OptimisationProposal> OptimiseAsync(
        string fleetId, DateTimeOffset fromUtc, DateTimeOffset toUtc, IReadOnlyList<double> pricesEurPerMwh, double? endSocPercent = null,
        bool apply = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pricesEurPerMwh);
        var prices = pricesEurPerMwh.Select((p, i) => new PricePoint(fromUtc.AddMinutes(15 * i), p)).ToArray();
        return OptimiseAsync(fleetId, new OptimiseRequest(fromUtc, toUtc, prices, EndSocPercent: endSocPercent), apply, cancellationToken);
    }

    /// <summary>Proposes (and with <paramref name="apply"/> stores) a schedule for any <see cref="OptimiseRequest"/>.</summary>
    /// <inheritdoc cref="OptimiseAsync(string, DateTimeOffset, DateTimeOffset, IReadOnlyList{double}, double?, bool, CancellationToken)"/>
    public Task<OptimisationProposal> OptimiseAsync(string fleetId, OptimiseRequest request, bool apply = false, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("fleetId", fleetId);
        ArgumentNullException.ThrowIfNull(request);
        return ErrorTranslation.CallAsync(
            () => _cluster.GetGrain<IScheduleOptimiserGrain>(0).OptimiseAsync(fleetId, request, apply, cancellationToken), cancellationToken);
    }
}
