using Vpp.Abstractions.Forecasts;

namespace Vpp.Grains.Contracts;

/// <summary>The fleet's forecasts as the silo sees them: <see cref="IFleetForecastGrain"/> and the optimiser's read.</summary>
public interface IFleetForecastInternal : IFleetForecastGrain
{
    /// <summary>The stored forecasts only (what the optimiser lays over its own).</summary>
    Task<ForecastView[]> GetStoredAsync();
}
