using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Forecasts;
using Vpp.Abstractions.Optimisation;
using Vpp.Domain.Forecasts;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Schedules;
using Vpp.Grains.Fleets;
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

    /// <summary>
    /// This plan (read from <paramref name="from"/>) with each battery group starting at the SoC the fleet reaches at
    /// <paramref name="from"/> by running its stored schedule from now (<see cref="StartSocProjection"/>): the groups
    /// planned from the current quarter hour, built as this plan's are, the stored slots until <paramref name="from"/>,
    /// and the fleet's standing target and dispatch strategy. This plan itself when <paramref name="from"/> is at or
    /// before the current quarter hour's start.
    /// </summary>
    public async Task<FleetPlan> WithProjectedStartAsync(IGrainFactory grains, string fleetId, DateTimeOffset from, DateTimeOffset now, VppOptions options)
    {
        var slots = StartSocProjection.SlotsBefore(now, from);
        if (slots == 0)
        {
            return this;
        }

        var start = QuarterHour.Floor(now);
        var window = ReadAsync(grains, fleetId, start, slots, now, options);
        var stored = ScheduleReads.SlotsAsync(grains, fleetId, new SlotRange(start, start + (QuarterHour.Length * slots)));
        var reading = grains.GetGrain<IFleetGrain>(fleetId).GetAsync();
        await Task.WhenAll(window, stored, reading);
        if (await reading is not { } fleet)
        {
            return this;
        }

        var groups = StartSocProjection.StartAt(
            Groups, (await window).Groups, await stored, fleet.Services.BaseTargetKw, now, from, fleet.Dispatch.Strategy);
        return this with { Groups = groups };
    }

    public PlannedRanges Ranges(DateTimeOffset from, int slots) => PlannedRanges.Of(Groups, Input.Groups, from, slots);
}
