using Vpp.Abstractions.Forecasts;
using Vpp.Client.Errors;
using Vpp.Domain.Schedules;

namespace Vpp.Client.Tests;

/// <summary>Fleet forecasts through the SDK against a real cluster.</summary>
[Collection(SdkClusterCollection.Name)]
public sealed class ForecastOperationsTests(SdkClusterFixture fixture)
{
    private VppClient Vpp => fixture.Client;

    private static DateTimeOffset NextHour => QuarterHour.Floor(DateTimeOffset.UtcNow) + TimeSpan.FromHours(1);

    [Fact]
    public async Task A_forecast_put_is_read_back_and_listed()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 1, maxKw: 100);
        var from = NextHour;

        await Vpp.PutForecastAsync(fleetId, "load", from, [30, 35]);
        var read = await Vpp.GetForecastAsync(fleetId, "load");
        var all = await Vpp.GetForecastsAsync(fleetId);

        Assert.Equal(ForecastView.Stored, read.Source);
        Assert.Equal([from, from.AddMinutes(15)], read.Points.Select(p => p.From));
        Assert.Equal([30, 35], read.Points.Select(p => p.Kw));
        Assert.Equal(["load", "pv", "wind"], all.Select(f => f.Name));
        Assert.Equal(ForecastView.Vpp, all.Single(f => f.Name == "pv").Source);
    }

    [Fact]
    public async Task Refusals_are_typed_and_name_the_field()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 1, maxKw: 100);

        var negative = await Assert.ThrowsAsync<VppValidationException>(() => Vpp.PutForecastAsync(fleetId, "pv", NextHour, [1, -1]));
        Assert.Equal(["points[1].kw"], negative.Fields);
        var misaligned = await Assert.ThrowsAsync<VppValidationException>(() => Vpp.PutForecastAsync(fleetId, "pv", NextHour.AddMinutes(5), [1]));
        Assert.Equal(["points[0].from"], misaligned.Fields);
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.GetForecastAsync(fleetId, "spread"));
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.PutForecastAsync(SdkClusterFixture.NewId("nofleet"), "pv", NextHour, [1]));
        await Assert.ThrowsAsync<VppValidationException>(() => Vpp.GetForecastsAsync("12345"));
    }
}
