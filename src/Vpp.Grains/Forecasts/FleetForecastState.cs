using Vpp.Abstractions.Forecasts;

namespace Vpp.Grains.Forecasts;

[GenerateSerializer]
public sealed class FleetForecastState
{
    /// <summary>The stored forecasts by name.</summary>
    [Id(0)] public Dictionary<string, ForecastView> Series { get; set; } = new(StringComparer.Ordinal);
}
