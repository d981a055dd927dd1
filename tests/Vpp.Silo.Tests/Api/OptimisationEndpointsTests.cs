using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Vpp.Silo.Tests.Security;
using static Vpp.Testing.Api.ApiTimes;

namespace Vpp.Silo.Tests.Api;

/// <summary>POST /fleets/{id}/optimise through the real HTTP pipeline and a real silo (real clock: slots lie ahead).</summary>
[Collection(VppApiCollection.Name)]
public sealed class OptimisationEndpointsTests(VppApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    private Task<string> OnlineFleetAsync() => Client.OnlineBatteryFleetAsync("optfleet");

    private static JsonObject Body(DateTimeOffset from, double[] prices, double? endSocPercent = null)
    {
        var body = new JsonObject
        {
            ["from"] = Iso(from),
            ["to"] = Iso(from.AddMinutes(15 * prices.Length)),
            ["prices"] = new JsonArray([.. prices.Select((p, i) => (JsonNode)new JsonObject { ["from"] = Iso(from.AddMinutes(15 * i)), ["eurPerMwh"] = p })]),
        };
        if (endSocPercent is { } end)
        {
            body["endSocPercent"] = end;
        }

        return body;
    }

    [Fact]
    public async Task A_proposal_buys_cheap_and_sells_dear_and_applied_it_is_the_fleets_schedule()
    {
        var fleetId = await OnlineFleetAsync(); // 50 kW charge, 100 kW discharge, 200 kWh at 50 %, 88 % round trip
        var from = NextHour;
        var body = Body(from, [20, 20, 200, 190]);

        var proposal = await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/optimise", body)).ExpectJsonAsync();

        // Full charge power in the cheap slots; everything stored sold in the dearest slot (it fits in 100 kW). Selling
        // more there and buying it back at 190 EUR/MWh does not pay: a stored kWh sells for (200 − 10) × 0.938 = 178 EUR/MWh
        // but costs (190 + 10) ÷ 0.938 = 213 EUR/MWh to buy back (10 EUR/MWh wear each way).
        var targets = proposal["slots"]!.AsArray().Select(s => s.Number("targetKw")).ToArray();
        Assert.Equal(-50, targets[0], 3);
        Assert.Equal(-50, targets[1], 3);
        Assert.Equal(88, targets[2], 3); // 25 kWh in × √0.88 stored × √0.88 out = 22 kWh in 15 minutes
        Assert.Equal(0, targets[3], 3);
        Assert.True(proposal.Number("profitEur") > 0);
        Assert.False(proposal["applied"]!.GetValue<bool>());
        Assert.Contains(proposal["slots"]![0]!["binding"]!.AsArray(), b => b!.GetValue<string>().EndsWith(".maxCharge", StringComparison.Ordinal));
        Assert.Equal("battery", proposal["groups"]![0]!.Text("kind"));

        var applied = await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/optimise?apply=true", body)).ExpectJsonAsync();
        Assert.True(applied["applied"]!.GetValue<bool>());

        var schedule = await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/schedule?from={Iso(from)}&to={Iso(from.AddHours(1))}")).ExpectJsonAsync();
        var stored = schedule["slots"]!.AsArray();
        Assert.Equal(4, stored.Count);
        Assert.Equal(targets.Select(t => Math.Round(t, 3)), stored.Select(s => s.Number("targetKw")));
        Assert.Equal(Iso(from), Iso(DateTimeOffset.Parse(stored[0]!.Text("start"), CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_day_planned_on_pv_that_shines_only_later_is_applied_and_each_slot_is_checked_against_its_own_range()
    {
        // Night now: the fleet can export 100 kW (the battery); the PV forecast gives 200 kW in the two middle slots.
        var fleetId = VppApiFixture.NewId("optpv");
        await Client.OnlineBatteryAsync(VppApiFixture.NewId("bat"), fleetId);
        var solarId = VppApiFixture.NewId("pv");
        await Client.RegisterAsync(solarId, Specs.Solar(fleetId, maxKw: 200));
        await Client.TelemetryAsync(solarId, """{"activePowerKw": 0, "availablePowerKw": 0}""");
        await Client.WaitForOnlineAsync(fleetId, count: 2, maxKw: 100);
        var from = NextHour;
        var pv = new JsonArray([.. new[] { 0, 200, 200, 0 }.Select((kw, i) => (JsonNode)new JsonObject { ["from"] = Iso(from.AddMinutes(15 * i)), ["kw"] = kw })]);
        await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/forecasts/pv", new JsonObject { ["points"] = pv })).ExpectJsonAsync();
        var body = Body(from, [200, 20, 20, 200]);

        var applied = await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/optimise?apply=true", body)).ExpectJsonAsync();

        // The PV is sold at 20 EUR/MWh while the battery charges 50 kW of it: 150 kW, more than the fleet can export now.
        Assert.True(applied["applied"]!.GetValue<bool>());
        var targets = applied["slots"]!.AsArray().Select(s => s.Number("targetKw")).ToArray();
        Assert.Equal(150, targets[1], 3);
        Assert.Equal(150, targets[2], 3);
        var schedule = await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/schedule?from={Iso(from)}&to={Iso(from.AddHours(1))}")).ExpectJsonAsync();
        Assert.Equal(targets.Select(t => Math.Round(t, 3)), schedule["slots"]!.AsArray().Select(s => s.Number("targetKw")));

        // What no forecast lets the fleet do is refused, naming the slot: 150 kW without sun, 301 kW with it.
        foreach (var (slots, field) in new[] { (new double[] { 150, 0 }, "slots[0].targetKw"), (new double[] { 0, 301 }, "slots[1].targetKw") })
        {
            var put = new JsonObject { ["start"] = Iso(from), ["slots"] = new JsonArray([.. slots.Select(kw => (JsonNode)new JsonObject { ["targetKw"] = kw })]) };
            var problem = await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/schedule", put)).ExpectProblemAsync(HttpStatusCode.BadRequest, field);
            Assert.Contains("the fleet's range for the slot", problem["errors"]![field]![0]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Self_consumption_stores_the_pv_surplus_for_the_load_where_arbitrage_sells_it()
    {
        // PV forecast 200 kW then 0; load forecast 0 then 100 kW (curtailable to 90 kW at 80 EUR/MWh); the battery
        // charges 50 kW at most and must end where it starts. Prices favour selling the PV: 200 then 20 EUR/MWh.
        var fleetId = VppApiFixture.NewId("optself");
        await Client.OnlineBatteryAsync(VppApiFixture.NewId("bat"), fleetId);
        var solarId = VppApiFixture.NewId("pv");
        await Client.RegisterAsync(solarId, Specs.Solar(fleetId, maxKw: 200));
        await Client.TelemetryAsync(solarId, """{"activePowerKw": 0, "availablePowerKw": 0}""");
        var loadId = VppApiFixture.NewId("load");
        await Client.RegisterAsync(loadId, Specs.FlexibleLoad(fleetId, baselineKw: 100, minConsumptionKw: 90));
        await Client.TelemetryAsync(loadId, """{"activePowerKw": -100}""");
        await Client.WaitForFleetAsync(fleetId, f => f.Number("onlineCount") == 3, "battery, PV and load online");
        var from = NextHour;
        foreach (var (name, kw) in new[] { ("pv", new[] { 200, 0 }), ("load", new[] { 0, 100 }) })
        {
            var points = new JsonArray([.. kw.Select((v, i) => (JsonNode)new JsonObject { ["from"] = Iso(from.AddMinutes(15 * i)), ["kw"] = v })]);
            await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/forecasts/{name}", new JsonObject { ["points"] = points })).ExpectJsonAsync();
        }

        var body = Body(from, [200, 20]);
        var arbitrage = await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/optimise", body)).ExpectJsonAsync();
        body["objective"] = "selfConsumption";
        var self = await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/optimise", body)).ExpectJsonAsync();

        // Arbitrage: all PV sold at 200 and the battery sells 44 kW it buys back at 20 with its 50 kW (44 = 50 × 0.88);
        // the whole load bought at 20 (curtailing costs 80): 150 kW taken in slot 1, 37.5 kWh imported.
        Assert.Equal([244, -150], arbitrage["slots"]!.AsArray().Select(s => Math.Round(s.Number("targetKw"), 3)));
        Assert.Equal(37.5, arbitrage.Number("importKwh"), 3);

        // Self-consumption, by hand: 50 kW of PV stored, 12.5 kWh × 0.938 = 11.73 kWh, delivered back × 0.938 = 11 kWh
        // (44 kW); the load curtailed to 90 kW, so the grid supplies 90 − 44 = 46 kW: 11.5 kWh. The other 150 kW of PV
        // are sold (no less self-sufficient, and they earn).
        Assert.Equal("selfConsumption", self.Text("objective"));
        Assert.Equal([150, -46], self["slots"]!.AsArray().Select(s => Math.Round(s.Number("targetKw"), 3)));
        Assert.Equal(11.5, self.Number("importKwh"), 3);
        Assert.Equal(37.5, self.Number("exportKwh"), 3);
        Assert.Null(self["greedyProfitEur"]);
    }

    [Fact]
    public async Task Each_virtual_battery_gets_its_share_of_the_battery_plan_cut_to_what_its_virtual_soc_sustains()
    {
        var fleetId = await OnlineFleetAsync(); // 50 kW charge, 100 kW discharge, 88 % round trip
        var (large, small) = (VppApiFixture.NewId("vbl"), VppApiFixture.NewId("vbs"));
        foreach (var (id, powerKw, energyKwh) in new[] { (large, 25.0, 50.0), (small, 10.0, 2.0) })
        {
            var slice = new JsonObject
            {
                ["traderId"] = TestKeys.TraderAId, ["fleetId"] = fleetId, ["powerKw"] = powerKw, ["energyKwh"] = energyKwh, ["initialSocPercent"] = 50,
            };
            await (await Client.PutJsonAsync($"/api/v1/virtual-batteries/{id}", slice)).ExpectJsonAsync();
        }

        var proposal = await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/optimise", Body(NextHour, [20, 200]))).ExpectJsonAsync();

        var plan = proposal["slots"]!.AsArray().Select(s => s!["groups"]!.AsArray().Single()!.Number("powerKw")).ToArray();
        Assert.True(plan[0] < 0 && plan[1] > 0, $"charges at 20, sells at 200: {string.Join(", ", plan)}");
        var slices = proposal["slices"]!.AsArray().ToDictionary(s => s.Text("virtualBatteryId"));
        Assert.Equal(2, slices.Count);

        // The large slice follows the plan within its 25 kW, uncut.
        var largeSlots = slices[large]!["slots"]!.AsArray();
        Assert.True(largeSlots[0].Number("kw") < 0 && largeSlots[1].Number("kw") > 0, largeSlots.ToJsonString());
        Assert.All(largeSlots, s => Assert.True(Math.Abs(s.Number("kw")) <= 25 + 1e-9 && s!["clamped"] is null, s!.ToJsonString()));

        // The small slice (2 kWh at 50 %) has room for 1 kWh: 1 / √0.88 kWh at the grid in 15 minutes, 4.264 kW, to 100 %.
        var smallFirst = slices[small]!["slots"]![0]!;
        Assert.Equal(-1 / Math.Sqrt(0.88) / 0.25, smallFirst.Number("kw"), 6);
        Assert.Equal("soc", smallFirst.Text("clamped"));
        Assert.Equal(100, smallFirst.Number("socPercent"), 6);
        Assert.Equal(50, slices[small]!.Number("startSocPercent"), 6);
    }

    [Fact]
    public async Task A_reader_may_propose_but_only_a_dispatcher_may_apply()
    {
        var fleetId = await OnlineFleetAsync();
        var body = Body(NextHour, [20, 200]);
        using var reader = fixture.ClientWithKey(TestKeys.Reader);

        await (await reader.PostJsonAsync($"/api/v1/fleets/{fleetId}/optimise", body)).ExpectJsonAsync();
        await (await reader.PostJsonAsync($"/api/v1/fleets/{fleetId}/optimise?apply=true", body)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        var schedule = await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/schedule")).ExpectJsonAsync();
        Assert.Empty(schedule["slots"]!.AsArray());
    }

    [Fact]
    public async Task An_end_soc_out_of_reach_is_422_naming_the_constraint_and_the_last_slot()
    {
        var fleetId = await OnlineFleetAsync();
        var from = NextHour;

        var problem = await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/optimise", Body(from, [20, 20, 20, 20], endSocPercent: 90)))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("endSoc", problem.Text("constraint"));
        Assert.Equal(Iso(from.AddMinutes(45)), Iso(DateTimeOffset.Parse(problem.Text("slotStart"), CultureInfo.InvariantCulture)));
        Assert.StartsWith("SoC end condition cannot be met:", problem.Text("detail"));
    }

    [Fact]
    public async Task Bad_requests_are_400_naming_the_field_and_an_unknown_fleet_is_404()
    {
        var fleetId = await OnlineFleetAsync();
        var url = $"/api/v1/fleets/{fleetId}/optimise";
        var from = NextHour;

        var gap = Body(from, [20, 30, 40]);
        gap["prices"]!.AsArray().RemoveAt(1);
        await (await Client.PostJsonAsync(url, gap)).ExpectProblemAsync(HttpStatusCode.BadRequest, "prices");

        var misaligned = Body(from, [20]);
        misaligned["from"] = Iso(from.AddMinutes(5));
        await (await Client.PostJsonAsync(url, misaligned)).ExpectProblemAsync(HttpStatusCode.BadRequest, "from");

        var tooLong = Body(from, [20]);
        tooLong["to"] = Iso(from.AddDays(2).AddMinutes(15));
        await (await Client.PostJsonAsync(url, tooLong)).ExpectProblemAsync(HttpStatusCode.BadRequest, "to");

        var objective = Body(from, [20]);
        objective["objective"] = "selfconsumption"; // the names are case-sensitive: "selfConsumption"
        await (await Client.PostJsonAsync(url, objective)).ExpectProblemAsync(HttpStatusCode.BadRequest, "objective");

        var offset = Body(from, [20]);
        offset["prices"]![0]!["eurPerMwh"] = "cheap";
        await (await Client.PostJsonAsync(url, offset)).ExpectProblemAsync(HttpStatusCode.BadRequest, "prices[0].eurPerMwh");

        await (await Client.PostJsonAsync($"{url}?apply=maybe", Body(from, [20]))).ExpectProblemAsync(HttpStatusCode.BadRequest, "apply");
        await (await Client.PostJsonAsync($"/api/v1/fleets/{VppApiFixture.NewId("nofleet")}/optimise", Body(from, [20])))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}
