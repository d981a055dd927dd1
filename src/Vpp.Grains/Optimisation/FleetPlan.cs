using Vpp.Abstractions.Forecasts;
using Vpp.Abstractions.Optimisation;
using Vpp.Domain.Forecasts;
using Vpp.Domain.Optimisation;
using Vpp.Grains.Forecasts;

namespace Vpp.Grains.Optimisation;

/// <summary>
/// The fleet's groups as planned over quarter hours from a start: the fleet's input (groups, commitments) with PV,
/// wind and load from its forecasts. The optimiser plans within them and the schedule path checks every slot against
/// them (<see cref="PlannedRanges"/>), so an applied proposal meets the rule it was planned by.
/// </summary>
internal sealed record FleetPlan(OptimisationInput Input, IReadOnlyList<FleetGroup> Groups)
{
    public static async Task<FleetPlan> ReadAsync(
        IGrainFactory grains, string fleetId, DateTimeOffset from, int slots, DateTimeOffset now, VppOptions options)
    {
        var reading = grains.GetGrain<IFleetOptimisationInputGrain>(fleetId).GetOptimisationInputAsync(from, slots);
        var forecasts = grains.GetGrain<IFleetForecastInternal>(fleetId).GetStoredAsync();
        var input = await reading;
        var stored = (await forecasts).ToDictionary(f => f.Name, ForecastViews.ToSeries, StringComparer.Ordinal);
        return new FleetPlan(
            input, FleetForecasts.Groups(input.Groups, stored, now, from, slots, ForecastViews.Site(options), input.MeteredLoadKwByWeek));
    }

    public PlannedRanges Ranges(DateTimeOffset from, int slots) => PlannedRanges.Of(Groups, Input.Groups, from, slots);
}
