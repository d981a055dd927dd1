using System.Net;
using System.Text.Json.Nodes;

namespace Vpp.Silo.Tests.Api;

/// <summary>The success paths of the fleet endpoints: the fleet view, dispatch, events and re-dispatch.</summary>
/// <remarks>
/// Assets report to their fleet through partition grains in the background, so a test waits (bounded) for the
/// fleet view to show what it set up before it dispatches.
/// </remarks>
[Collection(VppApiCollection.Name)]
public sealed class FleetEndpointsTests(VppApiFixture fixture)
{
    private const double Tolerance = Steps.Tolerance;

    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Fleet_view_counts_registered_assets_before_any_telemetry()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        await Client.RegisterAsync(VppApiFixture.NewId("bat"), Specs.Battery(fleetId));
        await Client.RegisterAsync(VppApiFixture.NewId("sun"), Specs.Solar(fleetId));

        var fleet = await Client.WaitForFleetAsync(fleetId, f => f.Number("assetCount") == 2, "two assets in the fleet");

        Assert.Equal(fleetId, fleet.Text("fleetId"));
        Assert.Equal(0, fleet.Number("onlineCount"));
        Assert.Equal(0, fleet.Number("minPowerKw"));
        Assert.Equal(0, fleet.Number("maxPowerKw"));
        Assert.False(fleet.Has("targetKw"));
        Assert.Equal(0, fleet.Number("allocatedKw"));
        Assert.Equal(0, fleet.Number("shortfallKw"));
    }

    [Fact]
    public async Task Fleet_view_json_has_the_v1_field_names_and_values()
    {
        // Pins the wire: the grain's view nests its fields, the API's JSON stays flat with these names.
        var fleetId = VppApiFixture.NewId("fleet");
        var battery = VppApiFixture.NewId("bat");
        await Client.OnlineBatteryAsync(battery, fleetId, maxKw: 100, minKw: -50);
        await Client.WaitForOnlineAsync(fleetId, count: 1, maxKw: 100);
        var dispatch = await (await Client.PostJsonAsync(
            $"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 30, "strategy": "meritOrder"}""")).ExpectJsonAsync();

        // A measurement counts for a while only: the battery measures again until the view shows a fresh one.
        var fleet = Assert.IsType<JsonObject>(await Eventually.Until(
            async () =>
            {
                await Client.TelemetryAsync(battery, """{"activePowerKw": 0, "stateOfChargePercent": 50}""");
                return await Client.GetFleetAsync(fleetId);
            },
            f => f.Number("onlineCount") == 1 && f.Has("measuredKw") && f.Number("staleCount") == 0,
            "the dispatched battery's measurement in the fleet view"));

        Assert.Equal(
            "allocatedKw assetCount baseTargetKw fleetId lastDispatchAt lastDispatchId maxPowerKw measuredAt measuredCount measuredKw "
            + "minPowerKw onlineCount preferredPowerKw serviceClampedKw shortfallKw staleCount strategy targetKw",
            string.Join(' ', fleet.Select(p => p.Key).Order(StringComparer.Ordinal)));
        Assert.Equal(fleetId, fleet.Text("fleetId"));
        Assert.Equal(1, fleet.Number("assetCount"));
        Assert.Equal(1, fleet.Number("onlineCount"));
        Assert.Equal(-50, fleet.Number("minPowerKw"), Tolerance);
        Assert.Equal(100, fleet.Number("maxPowerKw"), Tolerance);
        Assert.Equal(0, fleet.Number("preferredPowerKw"), Tolerance);
        Assert.Equal(30, fleet.Number("targetKw"), Tolerance);
        Assert.Equal(30, fleet.Number("baseTargetKw"), Tolerance);
        Assert.Equal("meritOrder", fleet.Text("strategy"));
        Assert.Equal(30, fleet.Number("allocatedKw"), Tolerance);
        Assert.Equal(0, fleet.Number("shortfallKw"), Tolerance);
        Assert.Equal(dispatch.Text("dispatchId"), fleet.Text("lastDispatchId"));
        Assert.Equal(0, fleet.Number("measuredKw"), Tolerance);
        Assert.Equal(1, fleet.Number("measuredCount"));
        Assert.Equal(0, fleet.Number("staleCount"));
        Assert.Equal(0, fleet.Number("serviceClampedKw"));
    }

    [Fact]
    public async Task Fleet_is_known_as_soon_as_the_put_registering_its_first_asset_has_answered()
    {
        // Read-your-writes: once PUT has answered 200, the fleet named in it exists (no 404 for a known id).
        var misses = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var fleetId = VppApiFixture.NewId("fleet");
            await Client.RegisterAsync(VppApiFixture.NewId("bat"), Specs.Battery(fleetId));

            var response = await Client.GetAsync($"/api/v1/fleets/{fleetId}");

            if (response.StatusCode != HttpStatusCode.OK)
            {
                misses.Add($"{fleetId}: {(int)response.StatusCode}");
            }
        }

        Assert.True(misses.Count == 0, $"GET fleet right after PUT asset missed {misses.Count}/10: {string.Join(", ", misses)}");
    }

    [Fact]
    public async Task Fleet_view_sums_the_online_assets_capability_after_telemetry()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        var battery = VppApiFixture.NewId("bat");
        var solar = VppApiFixture.NewId("sun");
        var load = VppApiFixture.NewId("load");
        var idle = VppApiFixture.NewId("idle");
        await Client.RegisterAsync(battery, Specs.Battery(fleetId, minKw: -50, maxKw: 100));
        await Client.RegisterAsync(solar, Specs.Solar(fleetId, maxKw: 200));
        await Client.RegisterAsync(load, Specs.FlexibleLoad(fleetId, baselineKw: 30, minConsumptionKw: 10));
        await Client.RegisterAsync(idle, Specs.Battery(fleetId, minKw: -1000, maxKw: 1000)); // never reports: offers nothing

        await Client.TelemetryAsync(battery, """{"activePowerKw": 0, "stateOfChargePercent": 50}""");
        await Client.TelemetryAsync(solar, """{"activePowerKw": 110, "availablePowerKw": 120}""");
        await Client.TelemetryAsync(load, """{"activePowerKw": -30}""");

        // battery [-50, 100] + solar [0, 120] (what the sun gives now) + load [-30, -10]
        var fleet = await Client.WaitForFleetAsync(
            fleetId, f => f.Number("onlineCount") == 3 && Steps.Near(f.Number("maxPowerKw"), 210), "three online assets worth 210 kW");
        Assert.Equal(4, fleet.Number("assetCount"));
        Assert.Equal(-80, fleet.Number("minPowerKw"), Tolerance);
        Assert.Equal(210, fleet.Number("maxPowerKw"), Tolerance);
    }

    [Fact]
    public async Task Dispatch_splits_the_target_in_merit_order_and_reports_the_setpoints()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        var cheap = VppApiFixture.NewId("cheap");
        var dear = VppApiFixture.NewId("dear");
        await Client.OnlineBatteryAsync(cheap, fleetId, maxKw: 100, cost: 10);
        await Client.OnlineBatteryAsync(dear, fleetId, maxKw: 100, cost: 20);
        await Client.WaitForOnlineAsync(fleetId, count: 2, maxKw: 200);

        var result = await (await Client.PostJsonAsync(
            $"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 150, "strategy": "meritOrder"}""")).ExpectJsonAsync();

        Assert.False(string.IsNullOrEmpty(result.Text("dispatchId")));
        Assert.Equal(150, result.Number("targetKw"));
        Assert.Equal("meritOrder", result.Text("strategy"));
        Assert.Equal(150, result.Number("allocatedKw"), Tolerance);
        Assert.Equal(0, result.Number("shortfallKw"));
        var setpoints = Setpoints(result);
        Assert.Equal(2, setpoints.Count);
        Assert.Equal(100, setpoints[cheap], Tolerance);
        Assert.Equal(50, setpoints[dear], Tolerance);

        var asset = await (await Client.GetAsync($"/api/v1/assets/{dear}")).ExpectJsonAsync();
        Assert.Equal(50, asset.Number("setpointKw"), Tolerance);
        var fleet = await (await Client.GetAsync($"/api/v1/fleets/{fleetId}")).ExpectJsonAsync();
        Assert.Equal(150, fleet.Number("targetKw"));
        Assert.Equal(150, fleet.Number("allocatedKw"), Tolerance);
        Assert.Equal(0, fleet.Number("shortfallKw"));
        Assert.Equal(result.Text("dispatchId"), fleet.Text("lastDispatchId"));
    }

    [Fact]
    public async Task Dispatch_pro_rata_moves_every_asset_by_the_same_share_of_its_headroom()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        var small = VppApiFixture.NewId("small");
        var large = VppApiFixture.NewId("large");
        await Client.OnlineBatteryAsync(small, fleetId, maxKw: 100, cost: 10);
        await Client.OnlineBatteryAsync(large, fleetId, maxKw: 300, cost: 90);
        await Client.WaitForOnlineAsync(fleetId, count: 2, maxKw: 400);

        var result = await (await Client.PostJsonAsync(
            $"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 200, "strategy": "proRata"}""")).ExpectJsonAsync();

        Assert.Equal("proRata", result.Text("strategy"));
        Assert.Equal(200, result.Number("allocatedKw"), Tolerance);
        var setpoints = Setpoints(result);
        Assert.Equal(50, setpoints[small], Tolerance);
        Assert.Equal(150, setpoints[large], Tolerance);
    }

    [Fact]
    public async Task Dispatch_beyond_the_fleets_capacity_reports_the_shortfall()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        var a = VppApiFixture.NewId("bat");
        var b = VppApiFixture.NewId("bat");
        await Client.OnlineBatteryAsync(a, fleetId, maxKw: 100, cost: 10);
        await Client.OnlineBatteryAsync(b, fleetId, maxKw: 100, cost: 20);
        await Client.WaitForOnlineAsync(fleetId, count: 2, maxKw: 200);

        var result = await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 260}""")).ExpectJsonAsync();

        Assert.Equal("meritOrder", result.Text("strategy")); // the default
        Assert.Equal(200, result.Number("allocatedKw"), Tolerance);
        Assert.Equal(60, result.Number("shortfallKw"), Tolerance);
        var setpoints = Setpoints(result);
        Assert.Equal(100, setpoints[a], Tolerance);
        Assert.Equal(100, setpoints[b], Tolerance);
        var fleet = await (await Client.GetAsync($"/api/v1/fleets/{fleetId}")).ExpectJsonAsync();
        Assert.Equal(60, fleet.Number("shortfallKw"), Tolerance);
    }

    [Fact]
    public async Task Dispatch_to_a_negative_target_charges_the_batteries()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        var a = VppApiFixture.NewId("bat");
        await Client.OnlineBatteryAsync(a, fleetId, maxKw: 100, cost: 10, minKw: -40);
        await Client.WaitForOnlineAsync(fleetId, count: 1, maxKw: 100);

        var result = await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": -25}""")).ExpectJsonAsync();

        Assert.Equal(-25, result.Number("allocatedKw"), Tolerance);
        Assert.Equal(-25, Setpoints(result)[a], Tolerance);
    }

    [Fact]
    public async Task Dispatch_with_setpoints_false_omits_the_setpoint_list()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        await Client.OnlineBatteryAsync(VppApiFixture.NewId("bat"), fleetId, maxKw: 100, cost: 10);
        await Client.WaitForOnlineAsync(fleetId, count: 1, maxKw: 100);

        var result = await (await Client.PostJsonAsync(
            $"/api/v1/fleets/{fleetId}/dispatch?setpoints=false", """{"targetKw": 40}""")).ExpectJsonAsync();

        Assert.False(result.Has("setpoints"), result.ToJsonString());
        Assert.Equal(40, result.Number("allocatedKw"), Tolerance);
    }

    [Fact]
    public async Task Events_are_newest_first_and_limited()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        await Client.OnlineBatteryAsync(VppApiFixture.NewId("bat"), fleetId, maxKw: 100, cost: 10);
        await Client.WaitForOnlineAsync(fleetId, count: 1, maxKw: 100);
        var first = await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 10}""")).ExpectJsonAsync();
        var second = await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 20}""")).ExpectJsonAsync();

        var limited = Assert.IsType<JsonArray>(await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/events?limit=2")).ExpectJsonAsync());
        var all = Assert.IsType<JsonArray>(await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/events")).ExpectJsonAsync());

        Assert.Equal(2, limited.Count);
        Assert.Equal("dispatch", limited[0].Text("kind"));
        Assert.Equal(second.Text("dispatchId"), limited[0].Text("dispatchId"));
        Assert.Equal(20, limited[0].Number("targetKw"));
        Assert.Equal(first.Text("dispatchId"), limited[1].Text("dispatchId"));

        // Everything so far: membership, the asset coming online, two dispatches — in descending sequence.
        Assert.True(all.Count >= 4, all.ToJsonString());
        var sequences = all.Select(e => e.Number("sequence")).ToList();
        Assert.Equal(sequences.OrderDescending(), sequences);
        Assert.Contains(all, e => e.Text("kind") == "membership");
        Assert.Contains(all, e => e.Text("kind") == "assetStatus" && e.Text("status") == "online");
    }

    [Fact]
    public async Task Events_page_back_from_a_cursor_to_the_first_event()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        await Client.OnlineBatteryAsync(VppApiFixture.NewId("bat"), fleetId, maxKw: 100, cost: 10);
        await Client.WaitForOnlineAsync(fleetId, count: 1, maxKw: 100);
        foreach (var targetKw in new[] { 10, 20, 30, 40, 50 })
        {
            await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", $$"""{"targetKw": {{targetKw}}}""")).ExpectJsonAsync();
        }

        var all = Assert.IsType<JsonArray>(await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/events?limit=500")).ExpectJsonAsync());
        var paged = new List<JsonNode>();
        string cursor = "";
        while (true)
        {
            var page = Assert.IsType<JsonArray>(await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/events?limit=2{cursor}")).ExpectJsonAsync());
            paged.AddRange(page.Select(e => e!));
            if (page.Count < 2)
            {
                break;
            }

            cursor = $"&before={page[^1].Number("sequence")}";
        }

        // Pages of two, cursor by cursor, give back exactly what one large page gives: nothing skipped, nothing twice.
        Assert.True(all.Count >= 7, all.ToJsonString());
        Assert.Equal(all.Select(e => e.Number("sequence")), paged.Select(e => e.Number("sequence")));
        var beforeFirst = Assert.IsType<JsonArray>(await (await Client.GetAsync(
            $"/api/v1/fleets/{fleetId}/events?before={all[^1].Number("sequence")}")).ExpectJsonAsync());
        Assert.Empty(beforeFirst);
    }

    [Fact]
    public async Task An_asset_reported_offline_makes_the_fleet_re_dispatch_and_others_with_headroom_still_meet_the_target()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        var cheap = VppApiFixture.NewId("cheap");
        var middle = VppApiFixture.NewId("middle");
        var dear = VppApiFixture.NewId("dear");
        await Client.OnlineBatteryAsync(cheap, fleetId, maxKw: 100, cost: 10);
        await Client.OnlineBatteryAsync(middle, fleetId, maxKw: 100, cost: 20);
        await Client.OnlineBatteryAsync(dear, fleetId, maxKw: 100, cost: 30);
        await Client.WaitForOnlineAsync(fleetId, count: 3, maxKw: 300);
        var dispatch = await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 150}""")).ExpectJsonAsync();
        Assert.Equal(0, Setpoints(dispatch)[dear], Tolerance);

        await (await Client.PostJsonAsync($"/api/v1/assets/{cheap}/status", """{"status": "offline", "reason": "tripped"}""")).ExpectJsonAsync();

        var fleet = await Client.WaitForFleetAsync(
            fleetId, f => f["lastDispatchId"]?.GetValue<string>() != dispatch.Text("dispatchId"), "the fleet to re-dispatch");
        Assert.Equal(2, fleet.Number("onlineCount"));
        Assert.Equal(150, fleet.Number("targetKw"));
        Assert.Equal(150, fleet.Number("allocatedKw"), Tolerance);
        Assert.Equal(0, fleet.Number("shortfallKw"));
        Assert.Equal(100, (await (await Client.GetAsync($"/api/v1/assets/{middle}")).ExpectJsonAsync()).Number("setpointKw"), Tolerance);
        Assert.Equal(50, (await (await Client.GetAsync($"/api/v1/assets/{dear}")).ExpectJsonAsync()).Number("setpointKw"), Tolerance);

        var events = Assert.IsType<JsonArray>(await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/events?limit=5")).ExpectJsonAsync());
        var reallocation = Assert.Single(events, e => e.Text("kind") == "reallocation");
        Assert.Equal(fleet.Text("lastDispatchId"), reallocation.Text("dispatchId"));
        Assert.Equal(100, reallocation.Number("lostKw"), Tolerance);
        Assert.Equal(100, reallocation.Number("pickedUpKw"), Tolerance);
        Assert.Contains(events, e => e.Text("kind") == "assetStatus" && e.Text("assetId") == cheap && e.Text("status") == "offline");
    }

    private static Dictionary<string, double> Setpoints(JsonNode dispatch) =>
        Assert.IsType<JsonArray>(dispatch["setpoints"]).ToDictionary(s => s.Text("assetId"), s => s.Number("setpointKw"));
}
