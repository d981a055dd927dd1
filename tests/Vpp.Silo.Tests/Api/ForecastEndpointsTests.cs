using System.Net;
using System.Text.Json.Nodes;
using Vpp.Silo.Tests.Security;
using static Vpp.Testing.Api.ApiTimes;

namespace Vpp.Silo.Tests.Api;

/// <summary>/fleets/{id}/forecasts through the real HTTP pipeline and a real silo.</summary>
[Collection(VppApiCollection.Name)]
public sealed class ForecastEndpointsTests(VppApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    private Task<string> OnlineFleetAsync() => Client.OnlineBatteryFleetAsync("fcfleet");

    private static DateTimeOffset At(JsonNode? node, string property) =>
        DateTimeOffset.Parse(node.Text(property), System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject Body(DateTimeOffset from, params double[] kw) => new()
    {
        ["points"] = new JsonArray([.. kw.Select((p, i) => (JsonNode)new JsonObject { ["from"] = Iso(from.AddMinutes(15 * i)), ["kw"] = p })]),
    };

    [Fact]
    public async Task A_forecast_put_is_read_back_and_listed_beside_the_vpps_own()
    {
        var fleetId = await OnlineFleetAsync();
        var from = NextHour;

        var put = await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/forecasts/pv", Body(from, 12.5, 40, 0))).ExpectJsonAsync();
        var read = await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/forecasts/pv")).ExpectJsonAsync();

        Assert.Equal("stored", read.Text("source"));
        Assert.Equal(from, At(read, "from"));
        Assert.Equal(from.AddMinutes(45), At(read, "until"));
        Assert.Equal([12.5, 40, 0], read["points"]!.AsArray().Select(p => p.Number("kw")));
        Assert.Equal(from.AddMinutes(15), At(read["points"]![1], "from"));
        Assert.Equal(put.Text("storedAt"), read.Text("storedAt"));

        var list = (await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/forecasts")).ExpectJsonAsync()).AsArray();
        Assert.Equal(["load", "pv", "wind"], list.Select(f => f.Text("name")));
        Assert.Equal(["vpp", "stored", "vpp"], list.Select(f => f.Text("source")));
        Assert.StartsWith("registered baselines", list[0].Text("method"), StringComparison.Ordinal);
        Assert.Equal(192, list[2]!["points"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_reader_may_read_forecasts_but_only_a_dispatcher_may_replace_one()
    {
        var fleetId = await OnlineFleetAsync();
        using var reader = fixture.ClientWithKey(TestKeys.Reader);
        using var dispatcher = fixture.ClientWithKey(TestKeys.Dispatcher);

        await (await reader.GetAsync($"/api/v1/fleets/{fleetId}/forecasts/wind")).ExpectJsonAsync();
        await (await reader.PutJsonAsync($"/api/v1/fleets/{fleetId}/forecasts/wind", Body(NextHour, 1))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await dispatcher.PutJsonAsync($"/api/v1/fleets/{fleetId}/forecasts/wind", Body(NextHour, 1))).ExpectJsonAsync();
    }

    [Fact]
    public async Task Bad_series_are_400_naming_the_field_and_unknown_fleets_and_forecasts_are_404()
    {
        var fleetId = await OnlineFleetAsync();
        var url = $"/api/v1/fleets/{fleetId}/forecasts/pv";
        var from = NextHour;

        var gap = Body(from, 1, 2, 3);
        gap["points"]!.AsArray().RemoveAt(1);
        await (await Client.PutJsonAsync(url, gap)).ExpectProblemAsync(HttpStatusCode.BadRequest, "points[1].from");

        var step = Body(from, 1, 2);
        step["points"]![1]!["from"] = Iso(from.AddMinutes(20));
        await (await Client.PutJsonAsync(url, step)).ExpectProblemAsync(HttpStatusCode.BadRequest, "points[1].from");

        var local = Body(from, 1);
        local["points"]![0]!["from"] = from.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        await (await Client.PutJsonAsync(url, local)).ExpectProblemAsync(HttpStatusCode.BadRequest, "points[0].from");

        await (await Client.PutJsonAsync(url, Body(from, new double[(7 * 96) + 1]))).ExpectProblemAsync(HttpStatusCode.BadRequest, "points");
        await (await Client.PutJsonAsync(url, Body(from, -5))).ExpectProblemAsync(HttpStatusCode.BadRequest, "points[0].kw");
        await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/forecasts/PV", Body(from, 1))).ExpectProblemAsync(HttpStatusCode.BadRequest, "name");

        // Nothing refused was stored.
        Assert.Equal("vpp", (await (await Client.GetAsync(url)).ExpectJsonAsync()).Text("source"));

        await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/forecasts/spread")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var nofleet = VppApiFixture.NewId("nofleet");
        await (await Client.PutJsonAsync($"/api/v1/fleets/{nofleet}/forecasts/pv", Body(from, 1))).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Client.GetAsync($"/api/v1/fleets/{nofleet}/forecasts")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}
