using Vpp.Domain.Assets;
using Vpp.Domain.Forecasts;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Tests.Forecasts;

public sealed class FleetForecastsTests
{
    private static readonly SiteLocation Kassel = new(51.16, 10.45);

    private static readonly DateTimeOffset Midsummer = new(2026, 6, 21, 0, 0, 0, TimeSpan.Zero);

    private static GroupTotals Solar(double ratedKw, double measuredKw, double cost = 0) =>
        new($"solar@{cost}", AssetKind.Solar, cost, 1, ratedKw, 0, measuredKw, null, 1, 0, 0, 0, 0, 0, 0, []);

    private static GroupTotals Load(double baselineKw, double minKw) =>
        new("flexibleLoad@150", AssetKind.FlexibleLoad, 150, 1, baselineKw, -baselineKw, -minKw, null, 1, 0, 0, 0, 0, 0, 0, []);

    [Fact]
    public void Clear_sky_pv_is_zero_at_night_and_peaks_near_solar_noon()
    {
        Assert.Equal(0, FleetForecasts.ClearSkyKw(Midsummer, 1000, Kassel));
        Assert.Equal(0, FleetForecasts.ClearSkyKw(Midsummer.AddHours(23), 1000, Kassel));

        // Solar noon at 10.45° E is 12:00 − 10.45 / 15 h = 11:18 UTC (the equation of time is left out).
        var minutes = Enumerable.Range(0, 24 * 60).Select(m => Midsummer.AddMinutes(m)).ToArray();
        var peak = minutes.MaxBy(at => FleetForecasts.ClearSkyKw(at, 1000, Kassel));
        Assert.InRange(peak, Midsummer.AddHours(11).AddMinutes(10), Midsummer.AddHours(11).AddMinutes(26));
        Assert.InRange(FleetForecasts.ClearSkyKw(peak, 1000, Kassel), 700, 1000);
    }

    [Fact]
    public void Pv_is_the_clear_sky_scaled_by_the_share_of_it_measured_now()
    {
        var now = Midsummer.AddHours(10);
        var clearNowKw = FleetForecasts.ClearSkyKw(now, 1000, Kassel);

        var forecast = FleetForecasts.Pv(now, now, 96, ratedKw: 1000, measuredKw: clearNowKw / 2, Kassel);

        Assert.Equal(96, forecast.Kw.Count);
        for (var t = 0; t < 96; t++)
        {
            var middle = now + (QuarterHour.Length * t) + (QuarterHour.Length / 2);
            Assert.Equal(FleetForecasts.ClearSkyKw(middle, 1000, Kassel) / 2, forecast.Kw[t], 6);
        }

        Assert.Contains("0.5", forecast.Method, StringComparison.Ordinal);
    }

    [Fact]
    public void At_night_the_measurement_says_nothing_of_the_clouds_and_the_forecast_is_the_clear_sky()
    {
        Assert.Equal(1, FleetForecasts.PersistenceFactor(measuredKw: 0, clearSkyNowKw: 0, ratedKw: 1000));
        Assert.Equal(1, FleetForecasts.PersistenceFactor(measuredKw: 0, clearSkyNowKw: 10, ratedKw: 1000));
        Assert.Equal(0.25, FleetForecasts.PersistenceFactor(measuredKw: 100, clearSkyNowKw: 400, ratedKw: 1000));
        Assert.Equal(1, FleetForecasts.PersistenceFactor(measuredKw: 500, clearSkyNowKw: 400, ratedKw: 1000));
    }

    [Fact]
    public void Wind_holds_the_power_available_now()
    {
        var forecast = FleetForecasts.Wind(Midsummer, 8, 320);

        Assert.All(forecast.Kw, kw => Assert.Equal(320, kw));
        Assert.StartsWith("persistence", forecast.Method, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stored_forecast_sets_availability_where_it_covers_a_slot_and_the_vpps_own_elsewhere()
    {
        var now = Midsummer.AddHours(10);
        var groups = new[] { Solar(300, 150, cost: 0), Solar(100, 50, cost: 5), Load(200, 50) };
        var stored = new Dictionary<string, ForecastSeries>
        {
            ["pv"] = new("pv", now, [400, 200], ForecastSeries.StoredMethod),
            ["load"] = new("load", now.AddMinutes(15), [100], ForecastSeries.StoredMethod),
        };

        var planned = FleetForecasts.Groups(groups, stored, now, now, 3, Kassel);

        var own = FleetForecasts.Pv(now, now, 3, 400, 200, Kassel).Kw[2];
        var big = Assert.IsType<RenewableGroup>(planned[0]);
        var small = Assert.IsType<RenewableGroup>(planned[1]);
        Assert.Equal([300, 150, Math.Round(own * 0.75, 9)], big.AvailableKw.Select(kw => Math.Round(kw, 9)));
        Assert.Equal([100, 50, Math.Round(own * 0.25, 9)], small.AvailableKw.Select(kw => Math.Round(kw, 9)));
        var load = Assert.IsType<FlexibleLoadGroup>(planned[2]);
        Assert.Equal([200, 100, 200], Enumerable.Range(0, 3).Select(load.BaselineAt));
    }

    [Fact]
    public void A_pv_forecast_changes_the_proposed_schedule()
    {
        var now = Midsummer.AddHours(10);
        var groups = new[] { Solar(400, 400) };
        var prices = new double[] { 50, 50, 50, 50 };
        var persisted = Solve(FleetForecasts.Groups(groups, new Dictionary<string, ForecastSeries>(), now, now, 4, Kassel), now, prices);
        var cloudy = new Dictionary<string, ForecastSeries> { ["pv"] = new("pv", now, [400, 300, 100, 0], ForecastSeries.StoredMethod) };

        var forecast = Solve(FleetForecasts.Groups(groups, cloudy, now, now, 4, Kassel), now, prices);

        Assert.Equal([400, 300, 100, 0], forecast.Slots.Select(s => Math.Round(s.TargetKw, 6)));
        // Without it the VPP's own clear-sky forecast holds: about 313–321 kW of the 400 kW between 10 and 11 UTC.
        Assert.Equal(FleetForecasts.Pv(now, now, 4, 400, 400, Kassel).Kw.Select(kw => Math.Round(kw, 6)), persisted.Slots.Select(s => Math.Round(s.TargetKw, 6)));
        Assert.All(persisted.Slots, s => Assert.InRange(s.TargetKw, 300, 330));
    }

    [Fact]
    public void A_flexible_load_forecast_moves_the_loads_baseline_per_slot()
    {
        var groups = new[] { Load(200, 50) };
        var stored = new Dictionary<string, ForecastSeries> { ["load"] = new("load", Midsummer, [100, 300], ForecastSeries.StoredMethod) };

        var schedule = Solve(FleetForecasts.Groups(groups, stored, Midsummer, Midsummer, 2, Kassel), Midsummer, [10, 10]);

        // Below its 150 EUR/MWh curtailment cost the load consumes its forecast.
        Assert.Equal([-100, -300], schedule.Slots.Select(s => Math.Round(s.TargetKw, 6)));
    }

    [Fact]
    public void Load_is_the_mean_of_the_same_quarter_hour_of_the_weeks_the_meters_hold_and_the_baseline_elsewhere()
    {
        // Slot 0: both weeks metered; slot 1: only two weeks ago; slot 2: no week.
        double?[][] weeks = [[60, null, null], [80, 40, null]];

        var forecast = FleetForecasts.Load(Midsummer, 3, baselineKw: 200, weeks);

        Assert.Equal([70, 40, 200], forecast.Kw);
        Assert.StartsWith("similar day: in 2 of 3 quarter hours", forecast.Method, StringComparison.Ordinal);
        var none = FleetForecasts.Load(Midsummer, 3, baselineKw: 200, [[null, null, null]]);
        Assert.Equal([200, 200, 200], none.Kw);
        Assert.StartsWith("registered baselines", none.Method, StringComparison.Ordinal);
    }

    [Fact]
    public void Metered_history_moves_the_loads_baseline_in_the_proposed_schedule()
    {
        var groups = new[] { Load(200, 50) };

        var schedule = Solve(FleetForecasts.Groups(groups, new Dictionary<string, ForecastSeries>(), Midsummer, Midsummer, 2, Kassel, [[120, null]]), Midsummer, [10, 10]);

        Assert.Equal([-120, -200], schedule.Slots.Select(s => Math.Round(s.TargetKw, 6)));
    }

    [Fact]
    public void Metered_load_is_energy_over_covered_time_summed_and_unknown_without_any_coverage()
    {
        var quarter = QuarterHour.Length;

        // −10 kWh over a whole quarter hour is 40 kW; −5 kWh over half of one is 40 kW too; a silent meter adds nothing.
        Assert.Equal(80, FleetForecasts.MeteredLoadKw([new(-10, quarter, 0, null), new(-5, quarter / 2, 0, null), new(0, TimeSpan.Zero, 0, null)]));
        Assert.Null(FleetForecasts.MeteredLoadKw([new(0, TimeSpan.Zero, 0, null)]));
        Assert.Equal([5, null, 3], FleetForecasts.AddUp([[2, null, null], null, [3, null, 3]], 3));
    }

    private static ProposedSchedule Solve(IReadOnlyList<FleetGroup> groups, DateTimeOffset from, double[] prices)
    {
        var result = ScheduleOptimiser.Solve(new OptimisationProblem { From = from, PricesEurPerMwh = prices, Groups = groups }, TimeSpan.FromSeconds(30));
        Assert.Null(result.Infeasibility);
        return result.Schedule!;
    }
}
