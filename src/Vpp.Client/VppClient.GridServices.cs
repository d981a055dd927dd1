using Vpp.Abstractions.Errors;
using Vpp.Abstractions.GridServices;
using Vpp.Client.Errors;
using Vpp.Domain.GridServices;

namespace Vpp.Client;

public sealed partial class VppClient
{
    /// <summary>The longest window <see cref="GetAfrrStepsAsync"/> returns (the retention).</summary>
    public static readonly TimeSpan MaxAfrrWindow = TimeSpan.FromHours(24);

    /// <summary>
    /// Sets the fleet's FCR award for one delivery period: ±<paramref name="contractedKw"/> over [<paramref name="from"/>,
    /// <paramref name="to"/>) UTC, on quarter hours (0 withdraws the award for that period). The band is due only within
    /// its period, where overlapping awards add up; while it is due every frequency measurement
    /// (<see cref="ReportFrequencyAsync"/>) adds −band × (f − 50 Hz) / 0.2 Hz, clamped at ±band and zero within ±10 mHz,
    /// to the fleet's target. It is checked against the fleet's registered assets, online or not.
    /// </summary>
    /// <returns>The band due now, the awards and the response now (with the area's last measurement).</returns>
    /// <exception cref="VppNotFoundException">No asset ever joined the fleet.</exception>
    /// <exception cref="VppValidationException">
    /// The band is negative, not finite or more than the fleet can hold both ways (contractedKw); the period is not on
    /// quarter hours, empty, longer than 31 days or already over (from, to).
    /// </exception>
    /// <exception cref="VppConflictException">
    /// A stored schedule slot of the period would not leave the band free (contractedKw; the message names the slot).
    /// </exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<FcrView> SetFcrContractAsync(
        string fleetId, double contractedKw, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("fleetId", fleetId);
        return ErrorTranslation.CallAsync(
            () => GridServices(fleetId).SetFcrContractAsync(new FcrAwardInput(contractedKw, From: from, To: to)), cancellationToken);
    }

    /// <summary>
    /// Sets the fleet's FCR award for a product block of the FCR market: <paramref name="block"/> 0–5 of the delivery
    /// day <paramref name="date"/> in Europe/Berlin (block 0 = 00–04 local; on daylight-saving days it lasts 3 or 5 h).
    /// Otherwise as <see cref="SetFcrContractAsync(string, double, DateTimeOffset, DateTimeOffset, CancellationToken)"/>.
    /// </summary>
    /// <exception cref="VppValidationException">As there; a block outside 0–5 (block) or a day already over (date).</exception>
    public Task<FcrView> SetFcrBlockContractAsync(
        string fleetId, double contractedKw, DateOnly date, int block, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("fleetId", fleetId);
        return ErrorTranslation.CallAsync(
            () => GridServices(fleetId).SetFcrContractAsync(new FcrAwardInput(contractedKw, date, block)), cancellationToken);
    }

    /// <summary>Withdraws every FCR award of the fleet: the band returns to 0 kW now.</summary>
    /// <exception cref="VppNotFoundException">No asset ever joined the fleet.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<FcrView> EndFcrContractsAsync(string fleetId, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("fleetId", fleetId);
        return ErrorTranslation.CallAsync(() => GridServices(fleetId).EndFcrContractsAsync(), cancellationToken);
    }

    /// <summary>
    /// Feeds a frequency measurement of the synchronous area to every fleet with an FCR contract, in parallel; answers
    /// once each has sent setpoints that include it (or a newer measurement, when they arrive faster than a dispatch).
    /// </summary>
    /// <param name="frequencyHz">47.5 to 52.5 Hz.</param>
    /// <param name="timestamp">When it was measured (UTC); null = now by the VPP's clock. Never older than the last one.</param>
    /// <param name="cancellationToken">Stops waiting; a measurement already sent may still be applied.</param>
    /// <exception cref="VppValidationException">Frequency out of range or not finite; timestamp ahead of the VPP's clock or older than Vpp:GridServices:MaxFrequencyAge.</exception>
    /// <exception cref="VppConflictException">The timestamp is older than the last measurement applied (field timestamp).</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<FrequencyApplied> ReportFrequencyAsync(double frequencyHz, DateTimeOffset? timestamp = null, CancellationToken cancellationToken = default) =>
        ErrorTranslation.CallAsync(
            () => _cluster.GetGrain<IGridAreaGrain>(_options.GridArea).ReportFrequencyAsync(new FrequencyMeasurement(frequencyHz, timestamp?.ToUniversalTime())),
            cancellationToken);

    /// <summary>
    /// Sends the TSO's aFRR setpoint (kW on top of the fleet's target, + = more export; about every 4 s). It holds
    /// until the next one; the interval it closes is recorded as requested vs delivered. What the fleet cannot do
    /// right now is clamped and reported in the answer.
    /// </summary>
    /// <exception cref="VppNotFoundException">No asset ever joined the fleet.</exception>
    /// <exception cref="VppValidationException">Setpoint not finite or beyond anything the fleet could move; timestamp ahead of the clock.</exception>
    /// <exception cref="VppConflictException">The timestamp is older than the last setpoint (field timestamp).</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<AfrrAccepted> SendAfrrSetpointAsync(string fleetId, double setpointKw, DateTimeOffset? timestamp = null, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("fleetId", fleetId);
        return ErrorTranslation.CallAsync(
            () => GridServices(fleetId).SetAfrrSetpointAsync(new AfrrSetpoint(setpointKw, timestamp?.ToUniversalTime())), cancellationToken);
    }

    /// <summary>The recorded aFRR intervals overlapping [from, to), oldest first.</summary>
    /// <exception cref="VppNotFoundException">No asset ever joined the fleet.</exception>
    /// <exception cref="VppValidationException"><paramref name="to"/> is not after <paramref name="from"/>, or more than <see cref="MaxAfrrWindow"/> after it.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<AfrrStep[]> GetAfrrStepsAsync(string fleetId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("fleetId", fleetId);
        if (to <= from || to - from > MaxAfrrWindow)
        {
            throw new VppValidationException([new FieldProblem("to", $"must be after from and at most {MaxAfrrWindow.TotalHours:0} h after it")]);
        }

        return ErrorTranslation.CallAsync(() => GridServices(fleetId).GetAfrrStepsAsync(from, to), cancellationToken);
    }

    private IFleetGridServicesGrain GridServices(string fleetId) => _cluster.GetGrain<IFleetGridServicesGrain>(fleetId);
}
