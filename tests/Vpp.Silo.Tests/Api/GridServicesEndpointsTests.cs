using Vpp.Testing;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Vpp.Abstractions.Fleets;

namespace Vpp.Silo.Tests.Api;

/// <summary>FCR and aFRR over HTTP: contract, frequency, setpoints and the recorded steps, through the real pipeline.</summary>
[Collection(VppApiCollection.Name)]
public sealed class GridServicesEndpointsTests(VppApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Two batteries of −50..100 kW, online and dispatched to 0 kW: the fleet can hold ±100 kW.</summary>
    private async Task<string> FleetAtZeroAsync() => (await FleetAtZeroWithAssetsAsync()).FleetId;

    private async Task<(string FleetId, string[] AssetIds)> FleetAtZeroWithAssetsAsync()
    {
        var fleetId = VppApiFixture.NewId("grid");
        string[] assetIds = [VppApiFixture.NewId("b1"), VppApiFixture.NewId("b2")];
        await Client.OnlineBatteryAsync(assetIds[0], fleetId, cost: 10);
        await Client.OnlineBatteryAsync(assetIds[1], fleetId, cost: 20);
        await Client.WaitForOnlineAsync(fleetId, count: 2, maxKw: 200);
        await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 0}""")).ExpectJsonAsync();
        return (fleetId, assetIds);
    }

    /// <summary>One ±100 kW battery of <paramref name="capacityKwh"/>, online at <paramref name="socPercent"/> and dispatched to 0 kW.</summary>
    private async Task<(string FleetId, string AssetId)> OneBatteryAtZeroAsync(string prefix, double capacityKwh, double socPercent)
    {
        var fleetId = VppApiFixture.NewId(prefix);
        var assetId = VppApiFixture.NewId($"{prefix}-b");
        await Client.RegisterAsync(assetId, Specs.Battery(fleetId, minKw: -100, maxKw: 100, capacityKwh: capacityKwh));
        await Client.TelemetryAsync(assetId, $$"""{"activePowerKw": 0, "stateOfChargePercent": {{socPercent.ToString(CultureInfo.InvariantCulture)}}}""");
        await Client.WaitForOnlineAsync(fleetId, count: 1, maxKw: 100);
        await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 0}""")).ExpectJsonAsync();
        return (fleetId, assetId);
    }

    /// <summary>The assets do what they were told and say so in telemetry; waits until the fleet has measured it.</summary>
    private async Task FollowSetpointsAsync(string fleetId, string[] assetIds, double expectedKw)
    {
        foreach (var assetId in assetIds)
        {
            var setpointKw = (await Client.GetAssetAsync(assetId)).Number("setpointKw");
            await Client.TelemetryAsync(assetId, $$"""{"activePowerKw": {{setpointKw.ToString(CultureInfo.InvariantCulture)}}, "stateOfChargePercent": 50}""");
        }

        await Client.WaitForFleetAsync(
            fleetId, f => f.Has("measuredKw") && Steps.Near(f.Number("measuredKw"), expectedKw), $"measured output {expectedKw} kW");
    }

    [Fact]
    public async Task Fcr_contract_then_a_frequency_dip_raises_the_fleet_target_by_the_droop()
    {
        var fleetId = await FleetAtZeroAsync();
        var contract = await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/fcr", TestFcrAwards.Json(80))).ExpectJsonAsync();
        Assert.Equal(80, contract.Number("contractedKw"));

        var applied = await (await Client.PostJsonAsync(
            "/api/v1/grid/frequency", $$"""{"frequencyHz": 49.9, "timestamp": "{{Instant(DateTimeOffset.UtcNow)}}"}""")).ExpectJsonAsync();
        Assert.Equal("continental-europe", applied.Text("area"));
        Assert.True(applied.Number("fleetCount") >= 1);
        Assert.Empty(Assert.IsType<JsonArray>(applied["failedFleetIds"]));

        // Answered once the setpoints are sent: the view shows it at once.
        var fleet = await Client.GetFleetAsync(fleetId);
        Assert.Equal(40, fleet["fcr"].Number("responseKw"), Steps.Tolerance);
        Assert.Equal(49.9, fleet["fcr"].Number("frequencyHz"));
        Assert.Equal(0, fleet.Number("baseTargetKw"));
        Assert.Equal(40, fleet.Number("targetKw"), Steps.Tolerance);
        Assert.Equal(40, fleet.Number("allocatedKw"), Steps.Tolerance);

        var ended = await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/fcr", TestFcrAwards.Json(0))).ExpectJsonAsync();
        Assert.Equal(0, ended.Number("responseKw"));
        Assert.Equal(0, (await Client.GetFleetAsync(fleetId)).Number("allocatedKw"), Steps.Tolerance);
        var events = await Client.GetEventsAsync(fleetId);
        Assert.Equal(2, events.Count(e => e.Text("kind") == "fcr" && e.Text("message").Contains("FCR award", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_contract_beyond_the_fleet_or_for_an_unknown_fleet_is_refused()
    {
        var fleetId = await FleetAtZeroAsync();
        await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/fcr", TestFcrAwards.Json(101)))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "contractedKw");
        Assert.False((await Client.GetFleetAsync(fleetId)).Has("fcr"));
        await (await Client.PutJsonAsync($"/api/v1/fleets/{VppApiFixture.NewId("nofleet")}/fcr", TestFcrAwards.Json(1)))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"contractedKw": 10}""", "from")]
    [InlineData("""{"contractedKw": 10, "date": "2030-01-02", "block": 6}""", "block")]
    [InlineData("""{"contractedKw": 10, "block": 1}""", "date")]
    [InlineData("""{"contractedKw": 10, "date": "2020-01-02", "block": 1}""", "date")]
    [InlineData("""{"contractedKw": 10, "date": "2030-01-02", "block": 1, "from": "2030-01-02T00:00:00Z", "to": "2030-01-02T04:00:00Z"}""", "from")]
    [InlineData("""{"contractedKw": 10, "from": "2030-01-02T00:10:00Z", "to": "2030-01-02T04:00:00Z"}""", "from")]
    [InlineData("""{"contractedKw": 10, "from": "2030-01-02T04:00:00Z", "to": "2030-01-02T00:00:00Z"}""", "to")]
    [InlineData("""{"contractedKw": 10, "from": "2020-01-02T00:00:00Z", "to": "2020-01-02T04:00:00Z"}""", "to")]
    [InlineData("""{"contractedKw": 10, "date": "2030-13-02", "block": 1}""", "date")]
    public async Task A_contract_with_a_bad_delivery_period_is_refused_naming_the_field(string body, string field)
    {
        var fleetId = await FleetAtZeroAsync();
        await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/fcr", body)).ExpectProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.False((await Client.GetFleetAsync(fleetId)).Has("fcr"));
    }

    [Fact]
    public async Task A_block_award_on_the_spring_clock_change_covers_three_hours_and_is_listed_until_withdrawn()
    {
        var fleetId = await FleetAtZeroAsync();
        var contract = await (await Client.PutJsonAsync(
            $"/api/v1/fleets/{fleetId}/fcr", """{"contractedKw": 10, "date": "2030-03-31", "block": 0}""")).ExpectJsonAsync();

        Assert.Equal(0, contract.Number("contractedKw")); // not due before its block
        var award = Assert.Single(Assert.IsType<JsonArray>(contract["awards"]))!;
        Assert.Equal("NEGPOS_00_04", award.Text("product"));
        Assert.Equal(new DateTimeOffset(2030, 3, 30, 23, 0, 0, TimeSpan.Zero), award["from"]!.GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(2030, 3, 31, 2, 0, 0, TimeSpan.Zero), award["to"]!.GetValue<DateTimeOffset>());

        var ended = await (await Client.DeleteAsync($"/api/v1/fleets/{fleetId}/fcr")).ExpectJsonAsync();
        Assert.Empty(Assert.IsType<JsonArray>(ended["awards"]));
    }

    [Fact]
    public async Task Frequency_measurements_out_of_range_ahead_of_the_clock_or_out_of_order_are_refused()
    {
        await (await Client.PostJsonAsync("/api/v1/grid/frequency", """{"frequencyHz": 52.6}"""))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "frequencyHz");
        var ahead = Instant(DateTimeOffset.UtcNow.AddMinutes(5));
        await (await Client.PostJsonAsync("/api/v1/grid/frequency", $$"""{"frequencyHz": 50, "timestamp": "{{ahead}}"}"""))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "timestamp");

        // Younger than the 5 s maximum age but older than the last one applied: out of order.
        var now = DateTimeOffset.UtcNow;
        await (await Client.PostJsonAsync("/api/v1/grid/frequency", $$"""{"frequencyHz": 50.001, "timestamp": "{{Instant(now)}}"}""")).ExpectJsonAsync();
        var outOfOrder = await (await Client.PostJsonAsync(
            "/api/v1/grid/frequency", $$"""{"frequencyHz": 50.002, "timestamp": "{{Instant(now.AddSeconds(-1))}}"}"""))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("timestamp", outOfOrder.Text("field"));
    }

    [Fact]
    public async Task A_measurement_older_than_the_maximum_age_is_refused_naming_timestamp()
    {
        var fleetId = await FleetAtZeroAsync();
        await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/fcr", TestFcrAwards.Json(80))).ExpectJsonAsync();
        await (await Client.PostJsonAsync("/api/v1/grid/frequency", """{"frequencyHz": 50}""")).ExpectJsonAsync();
        var old = Instant(DateTimeOffset.UtcNow.AddSeconds(-30));
        var problem = await (await Client.PostJsonAsync("/api/v1/grid/frequency", $$"""{"frequencyHz": 49.8, "timestamp": "{{old}}"}"""))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "timestamp");
        Assert.Contains("older than 5 s", problem.ToJsonString(), StringComparison.Ordinal);

        var fleet = await Client.GetFleetAsync(fleetId);
        Assert.Equal(0, fleet["fcr"].Number("responseKw"));
        Assert.Equal(0, fleet.Number("allocatedKw"), Steps.Tolerance);
    }

    [Fact]
    public async Task A_base_dispatch_or_schedule_slot_that_eats_into_the_fcr_band_is_refused_naming_targetKw()
    {
        // Two batteries of −50..100 kW: the fleet ranges over −100..200 kW; a ±80 kW band leaves bases of −20..120 kW.
        var fleetId = await FleetAtZeroAsync();
        await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/fcr", TestFcrAwards.Json(80))).ExpectJsonAsync();
        await (await Client.PostJsonAsync("/api/v1/grid/frequency", """{"frequencyHz": 50}""")).ExpectJsonAsync();

        var refused = await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 150}"""))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "targetKw");
        var message = refused["errors"]!["targetKw"]![0]!.GetValue<string>();
        Assert.Contains("50 kW free upwards", message, StringComparison.Ordinal);
        Assert.Contains("-20 to 120 kW", message, StringComparison.Ordinal);
        await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": -30}"""))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "targetKw");
        var unchanged = await Client.GetFleetAsync(fleetId);
        Assert.Equal(0, unchanged.Number("baseTargetKw"));
        Assert.Equal(0, unchanged.Number("allocatedKw"), Steps.Tolerance);

        // At the edge of what the band leaves, the base is taken and the full upward response is still delivered.
        await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 120}""")).ExpectJsonAsync();
        await (await Client.PostJsonAsync("/api/v1/grid/frequency", """{"frequencyHz": 49.8}""")).ExpectJsonAsync();
        var responding = await Client.GetFleetAsync(fleetId);
        Assert.Equal(80, responding["fcr"].Number("responseKw"), Steps.Tolerance);
        Assert.Equal(200, responding.Number("allocatedKw"), Steps.Tolerance);
        await (await Client.PostJsonAsync("/api/v1/grid/frequency", """{"frequencyHz": 50}""")).ExpectJsonAsync();

        var start = QuarterHourAfter(DateTimeOffset.UtcNow.AddHours(1));
        var schedule = await (await Client.PutJsonAsync(
            $"/api/v1/fleets/{fleetId}/schedule", $$"""{"start": "{{Instant(start)}}", "slots": [{"targetKw": 100}, {"targetKw": 190}]}"""))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "slots[1].targetKw");
        Assert.False(schedule["errors"]!.AsObject().ContainsKey("slots[0].targetKw"));
        var stored = await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/schedule")).ExpectJsonAsync();
        Assert.Empty(Assert.IsType<JsonArray>(stored["slots"]));
    }

    [Fact]
    public async Task An_fcr_award_that_a_stored_schedule_slot_would_not_leave_free_is_refused_with_409_naming_contractedKw()
    {
        // The fleet ranges over −100..200 kW; with no award the schedule takes 150 kW, then 100 kW, an hour ahead.
        var fleetId = await FleetAtZeroAsync();
        var start = QuarterHourAfter(DateTimeOffset.UtcNow.AddHours(1));
        await (await Client.PutJsonAsync(
            $"/api/v1/fleets/{fleetId}/schedule", $$"""{"start": "{{Instant(start)}}", "slots": [{"targetKw": 150}, {"targetKw": 100}]}"""))
            .ExpectJsonAsync();

        // ±80 kW over the slots: the 150 kW slot leaves only 50 kW free upwards.
        var award = (double kw) => $$"""{"contractedKw": {{kw}}, "from": "{{Instant(start)}}", "to": "{{Instant(start.AddHours(1))}}"}""";
        var refused = await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/fcr", award(80)))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("contractedKw", refused.Text("field"));
        var detail = refused.Text("detail");
        Assert.Contains($"slot {start.UtcDateTime:yyyy-MM-ddTHH:mm}Z", detail, StringComparison.Ordinal);
        Assert.Contains("150 kW leaves 50 kW free upwards", detail, StringComparison.Ordinal);
        Assert.Contains("at most ±50 kW", detail, StringComparison.Ordinal);
        Assert.False((await Client.GetFleetAsync(fleetId)).Has("fcr"));

        // What the slots leave free is taken; a slot outside the period does not count.
        var accepted = await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/fcr", award(50))).ExpectJsonAsync();
        Assert.Equal(50, Assert.Single(Assert.IsType<JsonArray>(accepted["awards"]))!.Number("contractedKw"));
        await (await Client.PutJsonAsync(
            $"/api/v1/fleets/{fleetId}/fcr",
            $$"""{"contractedKw": 80, "from": "{{Instant(start.AddHours(1))}}", "to": "{{Instant(start.AddHours(2))}}"}""")).ExpectJsonAsync();
    }

    [Fact]
    public async Task A_frequency_above_51_5_Hz_records_one_area_alarm_per_excursion()
    {
        var before = Assert.IsType<JsonArray>(await (await Client.GetAsync("/api/v1/grid/events")).ExpectJsonAsync()).Count;
        var first = await (await Client.PostJsonAsync("/api/v1/grid/frequency", """{"frequencyHz": 51.6}""")).ExpectJsonAsync();
        Assert.Contains("51.5", first.Text("alarm"), StringComparison.Ordinal);
        await (await Client.PostJsonAsync("/api/v1/grid/frequency", """{"frequencyHz": 52.4}""")).ExpectJsonAsync();
        var normal = await (await Client.PostJsonAsync("/api/v1/grid/frequency", """{"frequencyHz": 50.3}""")).ExpectJsonAsync();
        Assert.False(normal.AsObject().ContainsKey("alarm") && normal["alarm"] is not null);
        await (await Client.PostJsonAsync("/api/v1/grid/frequency", """{"frequencyHz": 51.7}""")).ExpectJsonAsync();
        await (await Client.PostJsonAsync("/api/v1/grid/frequency", """{"frequencyHz": 50}""")).ExpectJsonAsync();
        await (await Client.PostJsonAsync("/api/v1/grid/frequency", """{"frequencyHz": 52.6}""")).ExpectProblemAsync(HttpStatusCode.BadRequest, "frequencyHz");

        var events = Assert.IsType<JsonArray>(await (await Client.GetAsync("/api/v1/grid/events")).ExpectJsonAsync());
        var alarms = events.Skip(before).ToList();
        Assert.Equal(2, alarms.Count);
        Assert.All(alarms, a => Assert.Equal("frequency-alarm", a.Text("kind")));
        Assert.Equal([51.6, 51.7], alarms.Select(a => a.Number("frequencyHz")));
    }

    [Fact]
    public async Task A_battery_too_full_to_absorb_its_reserve_for_15_minutes_shows_the_alert_and_the_energy_to_sell()
    {
        // ±100 kW, 200 kWh (10–90 % SoC): a 30 kW band needs 7.5 kWh of room below max SoC; at 88 % there is less.
        var (fleetId, assetId) = await OneBatteryAtZeroAsync("fcr-alert", capacityKwh: 200, socPercent: 88);
        await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/fcr", TestFcrAwards.Json(30))).ExpectJsonAsync();

        var alerted = await Client.WaitForFleetAsync(fleetId, f => f["fcr"] is { } fcr && fcr["alert"]!.GetValue<bool>(), "fcr.alert");
        Assert.Equal("down", alerted["fcr"].Text("alertDirection"));
        Assert.True(alerted["fcr"].Number("socTradeSellKwh") > 0);
        Assert.Equal(0, alerted["fcr"].Number("socTradeBuyKwh"));

        await Client.TelemetryAsync(assetId, """{"activePowerKw": 0, "stateOfChargePercent": 50}""");
        await Client.WaitForFleetAsync(fleetId, f => !f["fcr"]!["alert"]!.GetValue<bool>(), "the alert ended");
        var alerts = (await Client.GetEventsAsync(fleetId)).Where(e => e.Text("kind") == "fcr-alert").Select(e => e.Text("message")).ToArray();
        Assert.Equal(2, alerts.Length);
        Assert.Contains(alerts, m => m.StartsWith("FCR alert (down)", StringComparison.Ordinal));
        Assert.Contains(alerts, m => m.StartsWith("FCR alert ended", StringComparison.Ordinal));
        await (await Client.DeleteAsync($"/api/v1/fleets/{fleetId}/fcr")).ExpectJsonAsync();
    }

    [Fact]
    public async Task A_battery_contract_is_checked_against_the_energy_to_deliver_the_band_for_15_minutes_each_way()
    {
        // ±100 kW but only 50 kWh (10–90 % SoC, 88 % round trip): 40 kWh must cover P·15 min out (÷η) and in (×η).
        var (fleetId, _) = await OneBatteryAtZeroAsync("fcr-energy", capacityKwh: 50, socPercent: 50);
        var eta = Math.Sqrt(0.88);
        var maxBandKw = 40 / (0.25 * ((1 / eta) + eta));
        var nowKw = 20 * eta / 0.25; // at 50 %: 20 kWh above min SoC, delivered with losses

        await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/fcr", TestFcrAwards.Json(78))).ExpectJsonAsync();
        var fleet = await Client.WaitForFleetAsync(
            fleetId, f => f["fcr"] is { } fcr && Math.Abs(fcr.Number("maxBandKw") - maxBandKw) < 0.01, $"fcr.maxBandKw {maxBandKw:0.###}");
        Assert.Equal(nowKw, fleet["fcr"].Number("deliverableKw"), 2);
        Assert.Equal(78 - nowKw, fleet["fcr"].Number("shortfallKw"), 2);

        var refused = await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/fcr", TestFcrAwards.Json(90)))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "contractedKw");
        Assert.Contains("activation time", refused["errors"]!["contractedKw"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(78, (await Client.GetFleetAsync(fleetId))["fcr"].Number("contractedKw"));
        await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/fcr", TestFcrAwards.Json(0))).ExpectJsonAsync();
    }

    private static DateTimeOffset QuarterHourAfter(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % TimeSpan.FromMinutes(15).Ticks + TimeSpan.FromMinutes(15).Ticks, TimeSpan.Zero);

    [Fact]
    public async Task Afrr_setpoints_add_to_the_target_and_each_closed_interval_is_recorded()
    {
        var (fleetId, assetIds) = await FleetAtZeroWithAssetsAsync();
        var start = DateTimeOffset.UtcNow.AddSeconds(-12);
        var first = await (await Client.PostJsonAsync(
            $"/api/v1/fleets/{fleetId}/afrr", $$"""{"setpointKw": 30, "timestamp": "{{Instant(start)}}"}""")).ExpectJsonAsync();
        Assert.Equal(30, first.Number("targetKw"), Steps.Tolerance);
        Assert.Equal(30, first.Number("allocatedKw"), Steps.Tolerance);
        await FollowSetpointsAsync(fleetId, assetIds, 30);
        await (await Client.PostJsonAsync(
            $"/api/v1/fleets/{fleetId}/afrr", $$"""{"setpointKw": 250, "timestamp": "{{Instant(start.AddSeconds(4))}}"}""")).ExpectJsonAsync();

        // 250 kW more than the fleet's 200 kW: clamped and said so.
        var fleet = await Client.GetFleetAsync(fleetId);
        Assert.Equal(250, fleet.Number("afrrSetpointKw"));
        Assert.Equal(200, fleet.Number("targetKw"), Steps.Tolerance);
        Assert.Equal(50, fleet.Number("serviceClampedKw"), Steps.Tolerance);
        await FollowSetpointsAsync(fleetId, assetIds, 200);

        await (await Client.PostJsonAsync(
            $"/api/v1/fleets/{fleetId}/afrr", $$"""{"setpointKw": 0, "timestamp": "{{Instant(start.AddSeconds(8))}}"}""")).ExpectJsonAsync();
        await (await Client.PostJsonAsync(
            $"/api/v1/fleets/{fleetId}/afrr", $$"""{"setpointKw": 10, "timestamp": "{{Instant(start.AddSeconds(2))}}"}"""))
            .ExpectProblemAsync(HttpStatusCode.Conflict);

        var rows = Assert.IsType<JsonArray>(await (await Client.GetAsync(
            $"/api/v1/fleets/{fleetId}/afrr?from={Uri.EscapeDataString(Instant(start.AddMinutes(-1)))}&to={Uri.EscapeDataString(Instant(start.AddMinutes(1)))}")).ExpectJsonAsync());
        // A step that crosses a quarter hour is recorded as two rows (aFRR energy is settled per quarter hour); the
        // test runs on the wall clock, so it joins contiguous rows of one setpoint before checking the steps.
        var steps = JoinedAtQuarterHours(rows.Select(r => r!).ToList());
        Assert.Equal(2, steps.Count);
        Assert.Equal(30, steps[0].RequestedKw);
        // deliveredKw is the power at a row's end: the measured power at the step's close, and where a quarter hour
        // splits the step, the power at the split on the way there from the power the step started at.
        Assert.Equal(30, steps[0].Rows[^1].Number("deliveredKw"), Steps.Tolerance);
        Assert.All(steps[0].Rows, r => Assert.InRange(r.Number("deliveredKw"), -Steps.Tolerance, 30 + Steps.Tolerance));
        Assert.All(steps[0].Rows, r => Assert.Equal("measured", r.Text("deliveredSource")));
        Assert.Equal(30.0 * 4 / 3600, steps[0].Rows.Sum(r => r.Number("requestedKwh")), 6);
        Assert.Equal(250, steps[1].RequestedKw);
        Assert.Equal(200, steps[1].Rows[^1].Number("deliveredKw"), Steps.Tolerance);
        Assert.All(steps[1].Rows, r => Assert.InRange(r.Number("deliveredKw"), 30 - Steps.Tolerance, 200 + Steps.Tolerance));
        Assert.All(steps[1].Rows, r => Assert.Equal("measured", r.Text("deliveredSource")));
    }

    private static List<(double RequestedKw, List<JsonNode> Rows)> JoinedAtQuarterHours(List<JsonNode> rows)
    {
        var steps = new List<(double RequestedKw, List<JsonNode> Rows)>();
        foreach (var row in rows)
        {
            var last = steps.Count > 0 ? steps[^1] : default;
            if (last.Rows is { } previous && last.RequestedKw == row.Number("requestedKw")
                && previous[^1].Text("to") == row.Text("from")
                && DateTimeOffset.Parse(row.Text("from"), System.Globalization.CultureInfo.InvariantCulture).UtcTicks % TimeSpan.FromMinutes(15).Ticks == 0)
            {
                previous.Add(row);
            }
            else
            {
                steps.Add((row.Number("requestedKw"), [row]));
            }
        }

        return steps;
    }

    [Fact]
    public async Task Afrr_of_an_unknown_fleet_is_not_found()
    {
        var fleetId = VppApiFixture.NewId("nofleet");
        await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/afrr", """{"setpointKw": 1}""")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/afrr")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_contract_and_the_afrr_record_are_read_back_from_storage_after_the_fleet_is_deactivated()
    {
        var fleetId = await FleetAtZeroAsync();
        await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/fcr", TestFcrAwards.Json(50))).ExpectJsonAsync();
        var start = QuarterHours.StartWithin(DateTimeOffset.UtcNow.AddSeconds(-8), TimeSpan.FromSeconds(4));
        await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/afrr", $$"""{"setpointKw": 20, "timestamp": "{{Instant(start)}}"}""")).ExpectJsonAsync();
        await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/afrr", $$"""{"setpointKw": 10, "timestamp": "{{Instant(start.AddSeconds(4))}}"}""")).ExpectJsonAsync();

        // Deactivation writes the aFRR record it was holding behind; the next call reads both states back (SQLite).
        var grains = fixture.Factory.Services.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<IFleetGrain>(fleetId).Cast<IGrainManagementExtension>().DeactivateOnIdle();

        var fleet = await Client.WaitForFleetAsync(fleetId, f => f.Has("fcr") && f.Has("afrrSetpointKw"), "the fleet back with its grid services");
        Assert.Equal(50, fleet["fcr"].Number("contractedKw"));
        Assert.Equal(10, fleet.Number("afrrSetpointKw"));
        var steps = Assert.IsType<JsonArray>(await (await Client.GetAsync(
            $"/api/v1/fleets/{fleetId}/afrr?from={Uri.EscapeDataString(Instant(start.AddMinutes(-1)))}")).ExpectJsonAsync());
        var step = Assert.Single(steps);
        Assert.Equal(20, step.Number("requestedKw"));
        Assert.Equal(Instant(start), step.Text("from"));
        Assert.Equal(Instant(start.AddSeconds(4)), step.Text("to"));
    }
}
