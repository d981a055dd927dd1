using System.Net;
using System.Text.Json.Nodes;

namespace Vpp.Silo.Tests.Api;

/// <summary>Flexibility and bids over HTTP: wire shape, rounding to market sizes, and the reason when there is no bid.</summary>
[Collection(VppApiCollection.Name)]
public sealed class MarketEndpointsTests(VppApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    private static string Instant(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));

    private static DateTimeOffset NextHour
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
        }
    }

    /// <summary>Three lossless 100 kW batteries of 400 kWh at 50 %: 300 kW up and down, each holding it for 2 hours.</summary>
    private async Task<string> FleetAsync()
    {
        var fleetId = VppApiFixture.NewId("mkt");
        for (var k = 0; k < 3; k++)
        {
            var spec = Specs.Battery(fleetId, minKw: -100, maxKw: 100, capacityKwh: 400);
            spec["minSocPercent"] = 0;
            spec["maxSocPercent"] = 100;
            spec["roundTripEfficiencyPercent"] = 100;
            var assetId = VppApiFixture.NewId("b");
            await Client.RegisterAsync(assetId, spec);
            await Client.TelemetryAsync(assetId, """{"activePowerKw": 0, "stateOfChargePercent": 50}""");
        }

        await Client.WaitForOnlineAsync(fleetId, count: 3, maxKw: 300);
        return fleetId;
    }

    [Fact]
    public async Task Flexibility_answers_each_slot_with_power_and_energy_each_way()
    {
        var fleetId = await FleetAsync();
        var from = NextHour;

        var flex = await (await Client.GetAsync(
            $"/api/v1/fleets/{fleetId}/flexibility?from={Instant(from)}&to={Instant(from.AddMinutes(30))}&durationMinutes=240")).ExpectJsonAsync();

        Assert.Equal(fleetId, flex.Text("fleetId"));
        Assert.Equal(240, flex.Number("productDurationMinutes"));
        var slots = flex["slots"]!.AsArray();
        Assert.Equal(2, slots.Count);
        var first = slots[0]!;
        Assert.Equal(from, DateTimeOffset.Parse(first.Text("start"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(150, first.Number("upKw"), 6);   // 3 × 200 kWh / 4 h
        Assert.Equal(150, first.Number("downKw"), 6);
        Assert.Equal(600, first.Number("upKwh"), 6);  // 150 kW for 4 hours
        Assert.Equal(3, first.Number("assetsCounted"));
    }

    [Fact]
    public async Task Bids_round_down_to_the_increment_and_explain_a_missing_bid()
    {
        var fleetId = await FleetAsync();
        var from = NextHour;
        var range = $"from={Instant(from)}&to={Instant(from.AddMinutes(15))}";

        var intraday = await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/bids?product=intraday&{range}")).ExpectJsonAsync();
        Assert.Equal(100, intraday.Number("minBidKw"));
        var bids = intraday["bids"]!.AsArray();
        Assert.Equal(["up", "down"], bids.Select(b => b.Text("direction")));
        Assert.All(bids, b => Assert.Equal(300, b.Number("quantityKw")));
        Assert.All(bids, b => Assert.False(b.Has("problem")));

        var fcr = await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/bids?product=fcr&{range}")).ExpectJsonAsync();
        var bid = Assert.Single(fcr["bids"]!.AsArray())!;
        Assert.Equal("symmetric", bid.Text("direction"));
        Assert.Equal(300, bid.Number("pooledKw"), 6);
        Assert.Equal(0, bid.Number("quantityKw"));
        Assert.Contains("below the minimum bid of 1000 kW", bid.Text("problem"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Afrr_capacity_sold_is_held_back_from_flexibility_in_its_direction()
    {
        var fleetId = await FleetAsync();
        var range = $"from={Instant(NextHour)}&to={Instant(NextHour.AddMinutes(15))}&durationMinutes=15";

        var sold = await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/afrr/capacity", """{"upKw": 100, "downKw": 50}""")).ExpectJsonAsync();
        Assert.Equal((100, 50), (sold.Number("upKw"), sold.Number("downKw")));

        var slot = (await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/flexibility?{range}")).ExpectJsonAsync())["slots"]!.AsArray()[0]!;
        Assert.Equal(300 - 100, slot.Number("upKw"), 6);
        Assert.Equal(300 - 50, slot.Number("downKw"), 6);
        var intraday = await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/bids?product=intraday&from={Instant(NextHour)}&to={Instant(NextHour.AddMinutes(15))}")).ExpectJsonAsync();
        Assert.Equal([200d, 200d], intraday["bids"]!.AsArray().Select(b => b.Number("quantityKw")));

        // More than the fleet can raise from its target is refused, naming the field, and nothing changes.
        await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/afrr/capacity", """{"upKw": 301, "downKw": 0}"""))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "upKw");
        slot = (await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/flexibility?{range}")).ExpectJsonAsync())["slots"]!.AsArray()[0]!;
        Assert.Equal(200, slot.Number("upKw"), 6);
    }

    [Fact]
    public async Task Market_queries_of_an_unknown_fleet_are_404()
    {
        var fleetId = VppApiFixture.NewId("nofleet");
        var range = $"from={Instant(NextHour)}&to={Instant(NextHour.AddHours(1))}";

        await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/flexibility?{range}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/bids?product=fcr&{range}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}
