using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Forecasts;
using Vpp.Domain.Forecasts;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;

namespace Vpp.Grains.Forecasts;

/// <summary>
/// A fleet's named forecasts: stores what traders put, and answers the VPP's own pv, wind and load forecasts
/// (<see cref="FleetForecasts"/>) where none is stored, from the fleet's online groups now.
/// </summary>
public sealed class FleetForecastGrain(
    [PersistentState("fleetForecasts", VppOptions.StorageName)] IPersistentState<FleetForecastState> state,
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    IOptions<VppOptions> options) : Grain, IFleetForecastInternal
{
    /// <summary>The most named forecasts one fleet stores.</summary>
    public const int MaxForecasts = 32;

    private string FleetId => this.GetPrimaryKeyString();

    private IFleetInternal Fleet => GrainFactory.GetGrain<IFleetInternal>(FleetId);

    public async Task<ForecastView> PutAsync(string name, ForecastPoint?[]? points)
    {
        var errors = new FieldErrors();
        var series = ForecastSeries.Parse(errors, name, points?.Select(p => p is null ? ((DateTimeOffset?, double?)?)null : (p.From, p.Kw)).ToList());
        InvalidInputException.ThrowIfAny(errors.Errors);
        _ = await Fleet.GetAsync() ?? throw new NotFoundException("fleet", FleetId);
        if (!state.State.Series.ContainsKey(name) && state.State.Series.Count >= MaxForecasts)
        {
            throw new ConflictException("name", $"the fleet stores {MaxForecasts} forecasts already; replace one of them");
        }

        var view = ForecastViews.ToView(FleetId, series!, ForecastView.Stored, clock.GetUtcNow());
        var before = state.State.Series.GetValueOrDefault(name);
        state.State.Series[name] = view;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // refused means unchanged
            if (before is null)
            {
                state.State.Series.Remove(name);
            }
            else
            {
                state.State.Series[name] = before;
            }

            throw;
        }

        return view;
    }

    public async Task<ForecastView> GetAsync(string name)
    {
        var errors = new FieldErrors();
        ForecastSeries.ValidName(errors, name);
        InvalidInputException.ThrowIfAny(errors.Errors);
        _ = await Fleet.GetAsync() ?? throw new NotFoundException("fleet", FleetId);
        if (state.State.Series.TryGetValue(name, out var stored))
        {
            return stored;
        }

        if (!ForecastSeries.Known.Contains(name))
        {
            throw new NotFoundException("forecast", name);
        }

        return (await OwnAsync([name]))[0];
    }

    public async Task<ForecastView[]> ListAsync()
    {
        _ = await Fleet.GetAsync() ?? throw new NotFoundException("fleet", FleetId);
        var own = await OwnAsync([.. ForecastSeries.Known.Where(n => !state.State.Series.ContainsKey(n))]);
        return [.. state.State.Series.Values.Concat(own).OrderBy(v => v.Name, StringComparer.Ordinal)];
    }

    public Task<ForecastView[]> GetStoredAsync() => Task.FromResult(state.State.Series.Values.ToArray());

    /// <summary>The VPP's own forecasts named <paramref name="names"/>, over two days from the current quarter hour.</summary>
    private async Task<ForecastView[]> OwnAsync(IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return [];
        }

        var now = clock.GetUtcNow();
        var from = QuarterHour.Floor(now);
        var input = await GrainFactory.GetGrain<IFleetOptimisationInputGrain>(FleetId).GetOptimisationInputAsync(from, ForecastViews.DefaultSlots);
        var site = ForecastViews.Site(options.Value);
        return [.. names.Select(n => ForecastViews.ToView(
            FleetId, FleetForecasts.Default(n, input.Groups, now, from, ForecastViews.DefaultSlots, site, input.MeteredLoadKwByWeek)!, ForecastView.Vpp, null))];
    }
}
