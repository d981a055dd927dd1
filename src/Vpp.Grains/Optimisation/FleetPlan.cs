using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Forecasts;
using Vpp.Abstractions.Optimisation;
using Vpp.Grains.Contracts;
using Vpp.Domain.Forecasts;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Schedules;
using Vpp.Grains.Fleets;
using Vpp.Grains.Forecasts;

namespace Vpp.Grains.Optimisation;

/// <summary>
/// The fleet's groups as planned over quarter hours from a start: the fleet's input (groups, commitments) with PV,
/// wind and load from its forecasts, battery groups derated near their SoC limits as the assets' operating envelope
/// derates them (<see cref="BatteryGroup.SocDerateBandPercent"/>). The optimiser plans within them and the schedule path checks every slot against
/// them (<see cref="PlannedRanges"/>), so an applied proposal meets the rule it was planned by.
/// </summary>
internal sealed record FleetPlan(OptimisationInput Input, IReadOnlyList<FleetGroup> Groups)
{
    public static async Task<FleetPlan> ReadAsync(
        IGrainFactory grains, string fleetId, DateTimeOffset from, int slots, DateTimeOffset now, VppOptions options)
    {
        var (input, stored) = await ReadInputAsync(grains, fleetId, from, slots);
        return Of(input, stored, from, slots, now, options);
    }

    /// <summary>
    /// The plan for [<paramref name="from"/>, + <paramref name="slots"/>) with each battery group starting at the SoC
    /// and each CHP group with the units on the fleet reaches at <paramref name="from"/> by running its stored schedule from now
    /// (<see cref="StartStateProjection"/>): the groups planned from the current quarter hour, built as the plan's are,
    /// the stored slots until <paramref name="from"/>, the fleet's own standing target and dispatch strategy, and the
    /// plans of its virtual batteries (<paramref name="slices"/>, every slice of the fleet), which it adds to its own
    /// target. The plan as read when <paramref name="from"/> is at or before the current quarter hour's start. The
    /// fleet's input is read once, over both horizons, when they meet.
    /// </summary>
    public static async Task<FleetPlan> ReadProjectedAsync(
        IGrainFactory grains, string fleetId, DateTimeOffset from, int slots, DateTimeOffset now, VppOptions options,
        IReadOnlyList<SliceProjection> slices)
    {
        var before = StartStateProjection.SlotsBefore(now, from);
        if (before == 0)
        {
            return await ReadAsync(grains, fleetId, from, slots, now, options);
        }

        var start = QuarterHour.Floor(now);
        var stored = ScheduleReads.SlotsAsync(grains, fleetId, new SlotRange(start, start + (QuarterHour.Length * before)));
        var fleet = grains.GetGrain<IFleetGrain>(fleetId).GetAsync();
        FleetPlan window, plan;
        if (start + (QuarterHour.Length * before) == from)
        {
            var (input, forecasts) = await ReadInputAsync(grains, fleetId, start, before + slots);
            window = Of(input.Slots(0, before), forecasts, start, before, now, options);
            plan = Of(input.Slots(before, slots), forecasts, from, slots, now, options);
        }
        else
        {
            // Beyond the longest projection (PlannedRanges.MaxSlots): the two horizons do not meet.
            var reading = ReadAsync(grains, fleetId, from, slots, now, options);
            window = await ReadAsync(grains, fleetId, start, before, now, options);
            plan = await reading;
        }

        if (await fleet is not { } view)
        {
            return plan;
        }

        // The standing target holds the slices' net setpoint now; their plans replace it quarter hour by quarter hour.
        var services = view.Services;
        var ownStandingKw = services.SlicesKw is { } slicesNowKw ? services.BaseTargetKw - slicesNowKw : services.BaseTargetKw;
        var slicesKw = slices.Count == 0 && services.SlicesKw is null
            ? null
            : StartStateProjection.SlicesKw(slices.Select(p => (p.From, (IReadOnlyList<double>)p.QuartersKw)), start, before);
        var groups = StartStateProjection.StartAt(
            plan.Groups, window.Groups, await stored, ownStandingKw, now, from, view.Dispatch.Strategy, slicesKw);
        return plan with { Groups = groups };
    }

    public PlannedRanges Ranges(DateTimeOffset from, int slots) => PlannedRanges.Of(Groups, Input.Groups, from, slots);

    private static async Task<(OptimisationInput Input, Dictionary<string, ForecastSeries> Forecasts)> ReadInputAsync(
        IGrainFactory grains, string fleetId, DateTimeOffset from, int slots)
    {
        var reading = grains.GetGrain<IFleetOptimisationInputGrain>(fleetId).GetOptimisationInputAsync(from, slots);
        var forecasts = grains.GetGrain<IFleetForecastInternal>(fleetId).GetStoredAsync();
        var input = await reading;
        return (input, (await forecasts).ToDictionary(f => f.Name, ForecastViews.ToSeries, StringComparer.Ordinal));
    }

    private static FleetPlan Of(
        OptimisationInput input, Dictionary<string, ForecastSeries> forecasts, DateTimeOffset from, int slots, DateTimeOffset now, VppOptions options) =>
        new(input, [.. FleetForecasts.Groups(input.Groups, forecasts, now, from, slots, ForecastViews.Site(options), input.MeteredLoadKwByWeek)
            .Select(g => g is BatteryGroup battery ? battery with { SocDerateBandPercent = options.Envelope.SocDerateBandPercent } : g)]);
}
