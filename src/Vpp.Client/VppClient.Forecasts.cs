using Vpp.Abstractions.Forecasts;
using Vpp.Client.Errors;

namespace Vpp.Client;

public sealed partial class VppClient
{
    /// <summary>
    /// The fleet's forecast <paramref name="name"/>: the stored one, or the VPP's own for <c>pv</c>, <c>wind</c> and
    /// <c>load</c> (two days from the current quarter hour; <see cref="ForecastView.Method"/> says how it was made).
    /// </summary>
    /// <exception cref="VppValidationException">The name is invalid.</exception>
    /// <exception cref="VppNotFoundException">Unknown fleet, or no forecast of that name.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<ForecastView> GetForecastAsync(string fleetId, string name, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("fleetId", fleetId);
        return ErrorTranslation.CallAsync(() => _cluster.GetGrain<IFleetForecastGrain>(fleetId).GetAsync(name), cancellationToken);
    }

    /// <summary>Every stored forecast of the fleet, and the VPP's own pv, wind and load forecasts where none is stored.</summary>
    /// <exception cref="VppNotFoundException">Unknown fleet.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<ForecastView[]> GetForecastsAsync(string fleetId, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("fleetId", fleetId);
        return ErrorTranslation.CallAsync(() => _cluster.GetGrain<IFleetForecastGrain>(fleetId).ListAsync(), cancellationToken);
    }

    /// <summary>
    /// Replaces the fleet's forecast <paramref name="name"/> with one power per quarter hour from
    /// <paramref name="fromUtc"/> (kW; pv and wind: available generation, load: consumption, both positive). The
    /// optimiser plans with the stored pv, wind and load forecasts where they cover a slot.
    /// </summary>
    /// <exception cref="VppValidationException">The name, start or a power is invalid, or the series is empty or longer than 7 days (names the field).</exception>
    /// <exception cref="VppNotFoundException">Unknown fleet.</exception>
    /// <exception cref="VppConflictException">The fleet stores the most forecasts already.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<ForecastView> PutForecastAsync(
        string fleetId, string name, DateTimeOffset fromUtc, IReadOnlyList<double> kw, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kw);
        CheckOperatorId("fleetId", fleetId);
        var points = kw.Select((p, i) => (ForecastPoint?)new ForecastPoint(fromUtc.AddMinutes(15 * i), p)).ToArray();
        return ErrorTranslation.CallAsync(() => _cluster.GetGrain<IFleetForecastGrain>(fleetId).PutAsync(name, points), cancellationToken);
    }
}
