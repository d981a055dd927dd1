using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Forecasts;
using Vpp.Abstractions.Optimisation;
using Vpp.Domain.Assets;
using Vpp.Domain.Schedules;

namespace Vpp.Grains.Tests.Forecasts;

/// <summary>The forecast grain on the test cluster, and the optimiser planning with what it stores.</summary>
[Collection(VppClusterCollection.Name)]
public sealed class FleetForecastGrainTests(VppClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private DateTimeOffset NextHour => QuarterHour.Floor(fixture.Clock.GetUtcNow()).AddHours(1);

    /// <summary>A 100 kW solar park producing 80 kW now.</summary>
    private async Task<string> SolarFleetAsync(string prefix)
    {
        var fleetId = VppClusterFixture.NewId(prefix);
        var solar = _grains.GetGrain<IAssetGrain>(VppClusterFixture.NewId("pv"));
        await solar.ConfigureAsync(new AssetSpec { FleetId = fleetId, Kind = AssetKind.Solar, MinPowerKw = 0, MaxPowerKw = 100 });
        await solar.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 80, AvailablePowerKw: 80));
        await fixture.FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 1, "solar online");
        return fleetId;
    }

    private static ForecastPoint?[] Points(DateTimeOffset from, params double[] kw) =>
        [.. kw.Select((p, i) => new ForecastPoint(from + (QuarterHour.Length * i), p))];

    [Fact]
    public async Task The_optimiser_plans_pv_with_the_stored_forecast_not_the_output_now()
    {
        var fleetId = await SolarFleetAsync("fcopt");
        var from = NextHour;
        await _grains.GetGrain<IFleetForecastGrain>(fleetId).PutAsync("pv", Points(from, 10, 20, 30, 40));

        var proposal = await _grains.GetGrain<IScheduleOptimiserGrain>(0).OptimiseAsync(fleetId, new OptimiseRequest(
            from, from.AddHours(1), [.. Enumerable.Range(0, 4).Select(i => new PricePoint(from + (QuarterHour.Length * i), 50))]));

        Assert.Equal([10, 20, 30, 40], proposal.Slots.Select(s => Math.Round(s.TargetKw, 3)));
    }

    [Fact]
    public async Task Without_stored_forecasts_the_vpp_makes_pv_wind_and_load_and_a_stored_one_replaces_its_own()
    {
        var fleetId = await SolarFleetAsync("fcown");
        var forecasts = _grains.GetGrain<IFleetForecastGrain>(fleetId);

        var own = await forecasts.ListAsync();

        Assert.Equal(["load", "pv", "wind"], own.Select(f => f.Name));
        Assert.All(own, f => Assert.Equal(ForecastView.Vpp, f.Source));
        Assert.All(own, f => Assert.Equal(192, f.Points.Length));
        var pv = own.Single(f => f.Name == "pv");
        Assert.StartsWith("clear sky with persistence", pv.Method, StringComparison.Ordinal);
        Assert.Contains(pv.Points, p => p.Kw == 0); // two days hold two nights
        Assert.Contains(pv.Points, p => p.Kw > 0);
        Assert.All(pv.Points, p => Assert.InRange(p.Kw, 0, 100));
        Assert.All(own.Single(f => f.Name == "wind").Points, p => Assert.Equal(0, p.Kw));

        var from = NextHour;
        var stored = await forecasts.PutAsync("pv", Points(from, 5, 6));
        var read = await forecasts.GetAsync("pv");

        Assert.Equal(ForecastView.Stored, read.Source);
        Assert.Equal([5, 6], read.Points.Select(p => p.Kw));
        Assert.Equal(from, read.From);
        Assert.Equal(stored.StoredAt, read.StoredAt);
        Assert.Equal(ForecastView.Stored, (await forecasts.ListAsync()).Single(f => f.Name == "pv").Source);
    }

    [Fact]
    public async Task An_unknown_fleet_or_forecast_is_not_found_and_a_gap_is_refused_naming_the_point()
    {
        var unknown = _grains.GetGrain<IFleetForecastGrain>(VppClusterFixture.NewId("nofleet"));
        await Assert.ThrowsAsync<NotFoundException>(() => unknown.PutAsync("pv", Points(NextHour, 1)));
        await Assert.ThrowsAsync<NotFoundException>(() => unknown.GetAsync("pv"));
        await Assert.ThrowsAsync<NotFoundException>(() => unknown.ListAsync());

        var fleetId = await SolarFleetAsync("fcbad");
        var forecasts = _grains.GetGrain<IFleetForecastGrain>(fleetId);
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => forecasts.GetAsync("spread"));
        Assert.Equal("forecast", missing.Entity);

        var gap = Points(NextHour, 1, 2, 3).Where((_, i) => i != 1).ToArray();
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => forecasts.PutAsync("pv", gap));
        Assert.Equal("points[1].from", Assert.Single(error.Problems).Field);
        Assert.Equal(ForecastView.Vpp, (await forecasts.GetAsync("pv")).Source);
    }
}
