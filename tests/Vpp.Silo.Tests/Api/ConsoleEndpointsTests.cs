using System.Net;
using System.Text.Json.Nodes;
using Vpp.Silo.Tests.Security;

namespace Vpp.Silo.Tests.Api;

/// <summary>The console's reads: the caller's roles, the fleet list, and a fleet's asset table paged on the server.</summary>
[Collection(VppApiCollection.Name)]
public sealed class ConsoleEndpointsTests(VppApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Me_answers_the_keys_name_and_exactly_its_roles()
    {
        using var reader = fixture.ClientWithKey(TestKeys.Reader);

        var me = await (await reader.GetAsync("/api/v1/me")).ExpectJsonAsync();
        var everything = await (await Client.GetAsync("/api/v1/me")).ExpectJsonAsync();

        Assert.Equal(["read"], me["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(me.Text("name")));
        Assert.Equal(["read", "dispatch", "telemetry", "admin"], everything["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.DoesNotContain(TestKeys.Reader, me.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fleet_list_shows_a_new_fleet_as_its_own_view_does()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        await Client.OnlineBatteryAsync(VppApiFixture.NewId("bat"), fleetId, maxKw: 70);
        var view = await Client.WaitForFleetAsync(fleetId, f => f.Has("onlineCount") && f.Number("onlineCount") == 1, "the battery online");

        var listed = await Eventually.Until(
            async () => Assert.IsType<JsonArray>(await (await Client.GetAsync("/api/v1/fleets")).ExpectJsonAsync())
                .FirstOrDefault(f => f!.Text("fleetId") == fleetId),
            f => f is not null,
            "the new fleet in GET /fleets");

        Assert.Equal(view.Number("assetCount"), listed!.Number("assetCount"));
        Assert.Equal(view.Number("maxPowerKw"), listed.Number("maxPowerKw"));
    }

    [Fact]
    public async Task The_asset_table_filters_sorts_and_pages_on_the_server()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        var batteries = new List<(string Id, double MaxKw)>();
        for (var i = 0; i < 5; i++)
        {
            var id = $"{fleetId}-bat-{i:D2}";
            await Client.OnlineBatteryAsync(id, fleetId, maxKw: 10 + (7 * i % 5) * 10);
            batteries.Add((id, 10 + (7 * i % 5) * 10));
        }

        for (var i = 0; i < 4; i++)
        {
            await Client.RegisterAsync($"{fleetId}-sun-{i:D2}", Specs.Solar(fleetId)); // registered, never reporting: offline
        }

        await Client.RegisterAsync($"{fleetId}-chp-00", Specs.Chp(fleetId));
        await Client.WaitForFleetAsync(fleetId, f => f.Has("onlineCount") && f.Number("assetCount") == 10 && f.Number("onlineCount") == 5, "10 assets, 5 online");

        var all = await PageAsync(fleetId, "pageSize=4");
        Assert.Equal(10, all.Number("matchCount"));
        Assert.Equal(3, all.Number("pageCount"));
        Assert.Equal(AllIds(fleetId).Take(4), Ids(all));
        Assert.Equal(AllIds(fleetId).Skip(8), Ids(await PageAsync(fleetId, "pageSize=4&page=3")));

        var online = await PageAsync(fleetId, "status=online&kind=battery&sort=maxPowerKw&desc=true");
        Assert.Equal(batteries.OrderByDescending(b => b.MaxKw).ThenByDescending(b => b.Id, StringComparer.Ordinal).Select(b => b.Id), Ids(online));
        var first = online["items"]![0]!;
        Assert.Equal("battery", first.Text("kind"));
        Assert.Equal(50, first.Number("stateOfChargePercent"));
        Assert.Equal(0, first.Number("activePowerKw"));
        Assert.True(first.Has("lastSeen") && first["lastSeen"] is not null, first.ToJsonString());

        var solar = await PageAsync(fleetId, "kind=solar&status=offline");
        Assert.Equal(4, solar.Number("matchCount"));
        Assert.All(solar["items"]!.AsArray(), row => Assert.Null(row!["lastSeen"]));

        Assert.Equal([$"{fleetId}-chp-00"], Ids(await PageAsync(fleetId, "q=CHP")));

        // Active power as the partitions last heard it: each battery now measures a different export.
        foreach (var (id, maxKw) in batteries)
        {
            await Client.TelemetryAsync(id, $$"""{"activePowerKw": {{maxKw / 2}}, "stateOfChargePercent": 50}""");
        }

        var byPower = batteries.OrderBy(b => b.MaxKw / 2).Select(b => b.Id).ToArray();
        await Eventually.Until(
            async () => Ids(await PageAsync(fleetId, "kind=battery&sort=activePowerKw")),
            ids => ids.SequenceEqual(byPower),
            "batteries ordered by their measured active power",
            describe: ids => string.Join(", ", ids));
        Assert.Equal(0, (await PageAsync(fleetId, "status=maintenance")).Number("matchCount"));
    }

    [Fact]
    public async Task The_asset_table_of_an_unknown_fleet_is_404()
    {
        var response = await Client.GetAsync($"/api/v1/fleets/{VppApiFixture.NewId("nofleet")}/assets");

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    private static IEnumerable<string> AllIds(string fleetId) =>
        new[] { "bat-00", "bat-01", "bat-02", "bat-03", "bat-04", "chp-00", "sun-00", "sun-01", "sun-02", "sun-03" }.Select(s => $"{fleetId}-{s}");

    private static string[] Ids(JsonNode page) => [.. page["items"]!.AsArray().Select(r => r!.Text("assetId"))];

    private async Task<JsonNode> PageAsync(string fleetId, string query) =>
        await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/assets?{query}")).ExpectJsonAsync();
}
