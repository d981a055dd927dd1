using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.VirtualBatteries;
using Vpp.Silo.Tests.Security;

namespace Vpp.Silo.Tests.Api;

/// <summary>
/// Virtual batteries through the real HTTP pipeline, on fleets of two batteries (registered 100 kW each way and
/// 320 kWh usable; with the 10 % reserve 90 kW and 288 kWh can be sliced; round trip 88 %).
/// </summary>
[Collection(VppApiCollection.Name)]
public sealed class VirtualBatteryEndpointsTests(VppApiFixture fixture)
{
    private HttpClient Operator => fixture.Client;

    private static string Range()
    {
        var now = DateTimeOffset.UtcNow;
        return $"?from={Instant(now.AddHours(-1))}&to={Instant(now.AddHours(1))}";
    }

    /// <summary>Every endpoint of one virtual battery, as another trader would call it.</summary>
    public static TheoryData<string, string, string?> OneBatteryEndpoints() => new()
    {
        { "GET", "", null },
        { "PUT", "", """{"traderId": "trader-b", "fleetId": "{fleetId}", "powerKw": 1, "energyKwh": 1, "initialSocPercent": 50}""" },
        { "POST", "/dispatch", """{"targetKw": 1}""" },
        { "PUT", "/schedule", """{"start": "2030-01-01T00:00:00Z", "slots": [{"targetKw": 1}]}""" },
        { "GET", "/settlement{range}", null },
        { "GET", "/settlement.csv{range}", null },
        { "GET", "/events", null },
    };

    [Theory]
    [MemberData(nameof(OneBatteryEndpoints))]
    public async Task Another_traders_key_gets_404_on_every_endpoint_of_a_virtual_battery_and_the_owner_gets_through(string method, string suffix, string? body)
    {
        var fleetId = await FleetAsync();
        var vbId = VppApiFixture.NewId("vb");
        await PutAsync(Operator, vbId, TestKeys.TraderAId, fleetId, powerKw: 10, energyKwh: 10);
        var url = $"/api/v1/virtual-batteries/{vbId}{suffix.Replace("{range}", Range(), StringComparison.Ordinal)}";
        body = body?.Replace("{fleetId}", fleetId, StringComparison.Ordinal);
        using var other = fixture.ClientWithKey(TestKeys.TraderB);
        using var owner = fixture.ClientWithKey(TestKeys.TraderA);

        var refused = await other.SendAsync(new HttpMethod(method), url, body);
        var answered = await owner.SendAsync(new HttpMethod(method), url, body?.Replace("trader-b", "trader-a", StringComparison.Ordinal));

        var problem = await refused.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("virtualBattery", problem.Text("entity"));
        Assert.True(answered.StatusCode is not HttpStatusCode.NotFound and < HttpStatusCode.InternalServerError,
            $"the owner got {(int)answered.StatusCode}: {await answered.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task A_traders_key_lists_and_settles_only_its_own_virtual_batteries_and_sees_no_fleet()
    {
        var fleetId = await FleetAsync();
        var mine = VppApiFixture.NewId("vb");
        var theirs = VppApiFixture.NewId("vb");
        await PutAsync(Operator, mine, TestKeys.TraderAId, fleetId, powerKw: 10, energyKwh: 10);
        await PutAsync(Operator, theirs, TestKeys.TraderBId, fleetId, powerKw: 10, energyKwh: 10);
        using var traderA = fixture.ClientWithKey(TestKeys.TraderA);

        var listed = Assert.IsType<JsonArray>(await (await traderA.GetAsync("/api/v1/virtual-batteries")).ExpectJsonAsync());
        var settled = await (await traderA.GetAsync("/api/v1/virtual-batteries/settlement" + Range())).ExpectJsonAsync();
        var all = Assert.IsType<JsonArray>(await (await Operator.GetAsync("/api/v1/virtual-batteries")).ExpectJsonAsync());

        Assert.Contains(listed, v => v.Text("virtualBatteryId") == mine);
        Assert.All(listed, v => Assert.Equal(TestKeys.TraderAId, v.Text("traderId")));
        Assert.All(Assert.IsType<JsonArray>(settled["totals"]), t => Assert.Equal(TestKeys.TraderAId, t.Text("traderId")));
        Assert.Contains(all, v => v.Text("virtualBatteryId") == theirs);
        await (await traderA.GetAsync($"/api/v1/fleets/{fleetId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var created = await traderA.PutJsonAsync($"/api/v1/virtual-batteries/{VppApiFixture.NewId("vb")}", Body(TestKeys.TraderBId, fleetId, 1, 1));
        await created.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_operator_sees_how_each_fleet_is_sliced_and_a_traders_key_gets_404()
    {
        var fleetId = await FleetAsync();
        await PutAsync(Operator, VppApiFixture.NewId("vb"), TestKeys.TraderAId, fleetId, powerKw: 30, energyKwh: 40);
        await PutAsync(Operator, VppApiFixture.NewId("vb"), TestKeys.TraderAId, fleetId, powerKw: 20, energyKwh: 10);

        var books = JsonNode.Parse(await Operator.GetStringAsync("/api/v1/virtual-batteries/books"))!.AsArray();
        using var trader = fixture.ClientWithKey(TestKeys.TraderA);
        var refused = await trader.GetAsync("/api/v1/virtual-batteries/books");

        var book = books.Single(b => (string?)b!["fleetId"] == fleetId)!;
        Assert.Equal(50, (double)book["soldPowerKw"]!, 6);
        Assert.Equal(50, (double)book["soldEnergyKwh"]!, 6);
        Assert.Equal(90 - 50, (double)book["freePowerKw"]!, 6);
        var alpha = Assert.Single(book["traders"]!.AsArray())!;
        Assert.Equal((TestKeys.TraderAId, 2), ((string?)alpha["traderId"], (int)alpha["sliceCount"]!));
        Assert.Equal(2, book["slices"]!.AsArray().Count);
        await refused.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_slices_event_stream_carries_only_its_own_events_and_another_traders_key_gets_404()
    {
        var fleetId = await FleetAsync();
        var (mine, theirs) = (VppApiFixture.NewId("vb"), VppApiFixture.NewId("vb"));
        await PutAsync(Operator, mine, TestKeys.TraderAId, fleetId, powerKw: 10, energyKwh: 10);
        await PutAsync(Operator, theirs, TestKeys.TraderBId, fleetId, powerKw: 10, energyKwh: 10);
        using var other = fixture.ClientWithKey(TestKeys.TraderB);
        await (await other.GetAsync($"/api/v1/virtual-batteries/{mine}/events/stream")).ExpectProblemAsync(HttpStatusCode.NotFound);

        using var timeout = new CancellationTokenSource(Eventually.DefaultBound);
        using var owner = fixture.ClientWithKey(TestKeys.TraderA);
        using var response = await owner.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, $"/api/v1/virtual-batteries/{mine}/events/stream"), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Equal("retry: 3000", await reader.ReadLineAsync(timeout.Token));

        // The other trader's curtailment first, then this slice's: only the second reaches the stream.
        var fleet = fixture.Factory.Services.GetRequiredService<IGrainFactory>().GetGrain<Vpp.Grains.Contracts.IFleetSlicesGrain>(fleetId);
        static FleetEvent FleetEventOf(string traderId, string vbId) =>
            new SliceCurtailmentEvent(0, default, $"{vbId} curtailed", CurtailmentReasons.FleetCapacity, 10, 8, 2, traderId, [vbId]);
        await fleet.RecordSliceEventsAsync([FleetEventOf(TestKeys.TraderBId, theirs), FleetEventOf(TestKeys.TraderAId, mine)]);
        string? data = null;
        for (var lines = 0; data is null && lines < 200; lines++)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new Xunit.Sdk.XunitException("the stream ended early");
            data = line.StartsWith("data: ", StringComparison.Ordinal) ? line["data: ".Length..] : null;
        }

        var received = JsonNode.Parse(data!)!;
        Assert.Equal(FleetEventKinds.SliceCurtailment, received.Text("kind"));
        Assert.Equal(mine, (string?)received["virtualBatteryIds"]![0]);
    }

    [Fact]
    public async Task A_slice_beyond_what_is_free_is_refused_409_saying_what_is_free()
    {
        var fleetId = await FleetAsync();
        await PutAsync(Operator, VppApiFixture.NewId("vb"), TestKeys.TraderAId, fleetId, powerKw: 60, energyKwh: 100);

        var response = await Operator.PutJsonAsync($"/api/v1/virtual-batteries/{VppApiFixture.NewId("vb")}", Body(TestKeys.TraderBId, fleetId, powerKw: 40, energyKwh: 100));

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("powerKw", problem.Text("field"));
        Assert.Equal(30, problem.Number("freePowerKw"), 3);
        Assert.Equal(188, problem.Number("freeEnergyKwh"), 3);
    }

    [Fact]
    public async Task An_fcr_award_for_a_future_block_is_held_back_from_slices_in_its_period_but_not_outside_it()
    {
        var fleetId = await FleetAsync();
        var block = QuarterAfter(DateTimeOffset.UtcNow).AddHours(2);
        var award = $$$"""{"contractedKw": 30, "from": "{{{Instant(block)}}}", "to": "{{{Instant(block.AddHours(4))}}}"}""";
        await (await Operator.PutJsonAsync($"/api/v1/fleets/{fleetId}/fcr", award)).ExpectJsonAsync();

        var inside = await Operator.PutJsonAsync(
            $"/api/v1/virtual-batteries/{VppApiFixture.NewId("vb")}", Body(TestKeys.TraderAId, fleetId, 70, 100, block.AddHours(1), block.AddHours(2)));
        var problem = await inside.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("powerKw", problem.Text("field"));
        Assert.Equal(60, problem.Number("freePowerKw"), 3); // 90 kW sliceable less the ±30 kW band
        Assert.Equal(288 - (2 * 30 * 0.25), problem.Number("freeEnergyKwh"), 3);

        await PutAsync(Operator, VppApiFixture.NewId("vb"), TestKeys.TraderAId, fleetId, powerKw: 70, energyKwh: 100, from: block.AddHours(4));
    }

    [Fact]
    public async Task The_operator_deletes_a_slice_its_capacity_is_free_its_trader_still_reads_its_settlement_and_a_trader_key_gets_404()
    {
        var fleetId = await FleetAsync();
        var vbId = VppApiFixture.NewId("vb");
        await PutAsync(Operator, vbId, TestKeys.TraderAId, fleetId, powerKw: 60, energyKwh: 100);
        using var owner = fixture.ClientWithKey(TestKeys.TraderA);
        await (await owner.PostJsonAsync($"/api/v1/virtual-batteries/{vbId}/dispatch", """{"targetKw": 10}""")).ExpectJsonAsync();

        await (await owner.DeleteAsync($"/api/v1/virtual-batteries/{vbId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var deleted = await Operator.DeleteAsync($"/api/v1/virtual-batteries/{vbId}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await Operator.GetAsync($"/api/v1/virtual-batteries/{vbId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await owner.PostJsonAsync($"/api/v1/virtual-batteries/{vbId}/dispatch", """{"targetKw": 10}""")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Operator.DeleteAsync($"/api/v1/virtual-batteries/{vbId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Operator.DeleteAsync($"/api/v1/virtual-batteries/{VppApiFixture.NewId("novb")}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var settlement = await (await owner.GetAsync($"/api/v1/virtual-batteries/{vbId}/settlement" + Range())).ExpectJsonAsync();
        Assert.Contains(Assert.IsType<JsonArray>(settlement["totals"]), t => t.Text("traderId") == TestKeys.TraderAId);
        using var other = fixture.ClientWithKey(TestKeys.TraderB);
        await (await other.GetAsync($"/api/v1/virtual-batteries/{vbId}/settlement" + Range())).ExpectProblemAsync(HttpStatusCode.NotFound);

        // The capacity is free again: 90 kW can be sliced.
        await PutAsync(Operator, VppApiFixture.NewId("vb"), TestKeys.TraderBId, fleetId, powerKw: 90, energyKwh: 100);
        var audit = await Eventually.Until(
            async () => (await (await Operator.GetAsync($"/api/v1/audit?entity={vbId}&limit=1000")).ExpectJsonAsync())["entries"]!.AsArray().Select(e => e!).ToList(),
            entries => entries.Any(e => e.Text("method") == "DELETE" && (int)e.Number("status") == 204),
            "the delete in the audit trail");
        var entry = Assert.Single(audit, e => e.Text("method") == "DELETE" && (int)e.Number("status") == 204);
        Assert.Equal($"/api/v1/virtual-batteries/{vbId}", entry.Text("path"));
    }

    [Fact]
    public async Task A_slice_for_a_trader_that_is_not_configured_is_refused_naming_traderId()
    {
        var fleetId = await FleetAsync();

        var response = await Operator.PutJsonAsync($"/api/v1/virtual-batteries/{VppApiFixture.NewId("vb")}", Body("trader-nobody", fleetId, 1, 1));

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "traderId");
    }

    [Fact]
    public async Task Requests_the_slice_cannot_deliver_are_refused_400_with_a_machine_readable_reason()
    {
        var fleetId = await FleetAsync();
        var slice = VppApiFixture.NewId("vb");
        var small = VppApiFixture.NewId("vb");
        var later = VppApiFixture.NewId("vb");
        await PutAsync(Operator, slice, TestKeys.TraderAId, fleetId, powerKw: 40, energyKwh: 100);
        await PutAsync(Operator, small, TestKeys.TraderAId, fleetId, powerKw: 20, energyKwh: 4);
        var tomorrow = DateTimeOffset.UtcNow.Date.AddDays(1);
        await PutAsync(Operator, later, TestKeys.TraderAId, fleetId, powerKw: 10, energyKwh: 10, from: tomorrow);
        var next = Instant(QuarterAfter(DateTimeOffset.UtcNow));
        using var trader = fixture.ClientWithKey(TestKeys.TraderA);

        // 40 kW for six quarter hours is 60 kWh; from 50 % of 100 kWh the slice can deliver 50 · √0.88 = 46.9 kWh.
        var soc = await trader.PutJsonAsync($"/api/v1/virtual-batteries/{slice}/schedule",
            $$"""{"start": "{{next}}", "slots": [{"targetKw": 40}, {"targetKw": 40}, {"targetKw": 40}, {"targetKw": 40}, {"targetKw": 40}, {"targetKw": 40}]}""");
        var power = await trader.PostJsonAsync($"/api/v1/virtual-batteries/{slice}/dispatch", """{"targetKw": -50}""");
        var energy = await trader.PutJsonAsync($"/api/v1/virtual-batteries/{small}/schedule", $$"""{"start": "{{next}}", "slots": [{"targetKw": 20}]}""");
        var window = await trader.PostJsonAsync($"/api/v1/virtual-batteries/{later}/dispatch", """{"targetKw": 5}""");

        Assert.Equal("soc", (await soc.ExpectProblemAsync(HttpStatusCode.BadRequest, "slots[4].targetKw")).Text("reason"));
        Assert.Equal("power", (await power.ExpectProblemAsync(HttpStatusCode.BadRequest, "targetKw")).Text("reason"));
        Assert.Equal("energy", (await energy.ExpectProblemAsync(HttpStatusCode.BadRequest, "slots[0].targetKw")).Text("reason"));
        Assert.Equal("window", (await window.ExpectProblemAsync(HttpStatusCode.BadRequest, "targetKw")).Text("reason"));
        var view = await (await trader.GetAsync($"/api/v1/virtual-batteries/{slice}")).ExpectJsonAsync();
        Assert.Equal(0, view.Number("requestedKw"));
        Assert.All(Assert.IsType<JsonArray>(view["nextSlots"]), s => Assert.Equal(0, s.Number("targetKw")));
    }

    [Fact]
    public async Task Two_traders_trading_opposite_ways_net_into_the_fleets_base_target()
    {
        var fleetId = await FleetAsync();
        var seller = VppApiFixture.NewId("vb");
        var buyer = VppApiFixture.NewId("vb");
        await PutAsync(Operator, seller, TestKeys.TraderAId, fleetId, powerKw: 40, energyKwh: 100);
        await PutAsync(Operator, buyer, TestKeys.TraderBId, fleetId, powerKw: 40, energyKwh: 100);
        using var traderA = fixture.ClientWithKey(TestKeys.TraderA);
        using var traderB = fixture.ClientWithKey(TestKeys.TraderB);

        var sold = await (await traderA.PostJsonAsync($"/api/v1/virtual-batteries/{seller}/dispatch", """{"targetKw": 30}""")).ExpectJsonAsync();
        var bought = await (await traderB.PostJsonAsync($"/api/v1/virtual-batteries/{buyer}/dispatch", """{"targetKw": -20}""")).ExpectJsonAsync();

        Assert.Equal(30, sold.Number("setpointKw"), 6);
        Assert.Equal(-20, bought.Number("setpointKw"), 6);
        var fleet = await Operator.GetFleetAsync(fleetId);
        Assert.Equal(10, fleet.Number("baseTargetKw"), 6);
        var view = await (await traderA.GetAsync($"/api/v1/virtual-batteries/{seller}")).ExpectJsonAsync();
        Assert.Equal(30, view.Number("requestedKw"), 6);
        Assert.True(view.Number("socPercent") <= 50, $"selling lowers the virtual SoC: {view.ToJsonString()}");
        Assert.Equal(0.88, view.Number("roundTripEfficiency"), 6);
    }

    /// <summary>A fleet of two online batteries (100 kW export, 50 kW import, 200 kWh between 10 and 90 %).</summary>
    private async Task<string> FleetAsync()
    {
        var fleetId = VppApiFixture.NewId("vbfleet");
        await Operator.OnlineBatteryAsync(VppApiFixture.NewId("a"), fleetId);
        await Operator.OnlineBatteryAsync(VppApiFixture.NewId("b"), fleetId);
        await Operator.WaitForOnlineAsync(fleetId, 2, 200);
        return fleetId;
    }

    private static JsonObject Body(string traderId, string fleetId, double powerKw, double energyKwh, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var body = new JsonObject
        {
            ["traderId"] = traderId, ["fleetId"] = fleetId, ["powerKw"] = powerKw, ["energyKwh"] = energyKwh, ["initialSocPercent"] = 50,
        };
        if (from is { } f)
        {
            body["from"] = Instant(f);
        }

        if (to is { } t)
        {
            body["to"] = Instant(t);
        }

        return body;
    }

    private static async Task PutAsync(HttpClient client, string vbId, string traderId, string fleetId, double powerKw, double energyKwh, DateTimeOffset? from = null) =>
        await (await client.PutJsonAsync($"/api/v1/virtual-batteries/{vbId}", Body(traderId, fleetId, powerKw, energyKwh, from))).ExpectJsonAsync();

    private static DateTimeOffset QuarterAfter(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % TimeSpan.FromMinutes(15).Ticks) + TimeSpan.FromMinutes(15).Ticks, TimeSpan.Zero);

    private static string Instant(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
