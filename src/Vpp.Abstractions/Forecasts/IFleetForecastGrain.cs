namespace Vpp.Abstractions.Forecasts;

/// <summary>
/// A fleet's named 15-minute forecasts (pv, wind, load or a trader's own name), keyed by fleet id and stored durably.
/// Where no pv, wind or load forecast is stored, the VPP makes one from the fleet's assets (clear sky with persistence,
/// persistence, registered baselines); the optimiser reads them for PV/wind availability and load per slot.
/// </summary>
public interface IFleetForecastGrain : IGrainWithStringKey
{
    /// <summary>Replaces the forecast <paramref name="name"/> with <paramref name="points"/> (one per quarter hour, in order, UTC).</summary>
    /// <exception cref="Errors.InvalidInputException">The name or a point is invalid: a gap, a step other than 15 minutes, a non-UTC instant, too many points (names the field).</exception>
    /// <exception cref="Errors.NotFoundException">No asset ever joined the fleet.</exception>
    /// <exception cref="Errors.ConflictException">The fleet holds the most named forecasts already.</exception>
    Task<ForecastView> PutAsync(string name, ForecastPoint?[]? points);

    /// <summary>The stored forecast <paramref name="name"/>, or the VPP's own for pv, wind and load (two days from the current quarter hour).</summary>
    /// <exception cref="Errors.NotFoundException">Unknown fleet, or no forecast of that name.</exception>
    Task<ForecastView> GetAsync(string name);

    /// <summary>Every stored forecast, and the VPP's own for pv, wind and load where none is stored.</summary>
    /// <exception cref="Errors.NotFoundException">No asset ever joined the fleet.</exception>
    Task<ForecastView[]> ListAsync();
}
