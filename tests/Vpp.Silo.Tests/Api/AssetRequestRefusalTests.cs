using System.Net;
using System.Text.Json.Nodes;

namespace Vpp.Silo.Tests.Api;

/// <summary>
/// Bad requests to the asset endpoints: each is refused with the exact status, a problem document naming the
/// field at fault, and leaves the asset exactly as it was.
/// </summary>
[Collection(VppApiCollection.Name)]
public sealed class AssetRequestRefusalTests(VppApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    // ---- PUT /api/v1/assets/{assetId} -------------------------------------------------------------------------

    [Theory]
    [InlineData("""{fleetId: "f-x", "kind": "solar"}""")]
    [InlineData("""{"fleetId": "f-x" "kind": "solar"}""")]
    [InlineData("""{"fleetId": "f-x",}""")]
    [InlineData("""not json""")]
    [InlineData("""{"fleetId": "f-x"} {"kind": "solar"}""")]
    public async Task Put_with_malformed_json_is_refused_400_naming_the_body(string body)
    {
        await AssertPutRefusedAndAssetUnchangedAsync(_ => body, HttpStatusCode.BadRequest, "body");
    }

    [Fact]
    public async Task Put_with_json_cut_off_midway_is_refused_400()
    {
        await AssertPutRefusedAndAssetUnchangedAsync(fleetId => $$"""{"fleetId": "{{fleetId}}", "kind": """, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Put_with_an_empty_body_is_refused_400_naming_the_body()
    {
        await AssertPutRefusedAndAssetUnchangedAsync(_ => "", HttpStatusCode.BadRequest, "body");
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("42")]
    public async Task Put_with_a_body_that_is_not_an_object_is_refused_400_naming_the_body(string body)
    {
        await AssertPutRefusedAndAssetUnchangedAsync(_ => body, HttpStatusCode.BadRequest, "body");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    [InlineData(null)]
    public async Task Put_with_a_non_json_content_type_is_refused_415(string? contentType)
    {
        var (assetId, fleetId, before) = await RegisterOnlineBatteryAsync();

        var response = await Client.SendAsync(
            HttpMethod.Put, $"/api/v1/assets/{assetId}", Specs.Battery(fleetId, maxKw: 120).ToJsonString(), contentType);

        await response.ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await AssertAssetUnchangedAsync(assetId, before);
    }

    [Theory]
    [InlineData("maxPowerKw", "\"ten\"")]
    [InlineData("maxPowerKw", "true")]
    [InlineData("minPowerKw", "{}")]
    [InlineData("energyCapacityKwh", "[200]")]
    [InlineData("kind", "3")]
    [InlineData("fleetId", "42")]
    public async Task Put_with_a_value_of_the_wrong_type_is_refused_400_naming_the_field(string field, string json)
    {
        await AssertPutRefusedAndAssetUnchangedAsync(fleetId => WithRaw(Specs.Battery(fleetId), field, json), HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Put_without_the_required_fields_is_refused_400_naming_each_of_them()
    {
        await AssertPutRefusedAndAssetUnchangedAsync(
            _ => "{}", HttpStatusCode.BadRequest, "fleetId", "kind", "minPowerKw", "maxPowerKw");
    }

    [Theory]
    [InlineData("fleetId")]
    [InlineData("kind")]
    [InlineData("minPowerKw")]
    [InlineData("maxPowerKw")]
    [InlineData("energyCapacityKwh")]
    public async Task Put_of_a_battery_missing_one_required_field_is_refused_400_naming_it(string field)
    {
        await AssertPutRefusedAndAssetUnchangedAsync(
            fleetId =>
            {
                var spec = Specs.Battery(fleetId);
                spec.Remove(field);
                return spec.ToJsonString();
            },
            HttpStatusCode.BadRequest,
            field);
    }

    [Fact]
    public async Task Put_of_a_chp_without_min_stable_power_is_refused_400_naming_it()
    {
        var spec = Specs.Chp(VppApiFixture.NewId("fleet"));
        spec.Remove("minStablePowerKw");

        var response = await Client.PutJsonAsync($"/api/v1/assets/{VppApiFixture.NewId("chp")}", spec);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "minStablePowerKw");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("100001")]
    [InlineData("\"NaN\"")]
    [InlineData("\"forty\"")]
    public async Task Put_of_a_chp_with_a_start_up_cost_below_0_or_beyond_100000_eur_is_refused_400_naming_it(string literal)
    {
        var spec = WithRaw(Specs.Chp(VppApiFixture.NewId("fleet")), "startUpCostEur", literal);

        var response = await Client.SendAsync(HttpMethod.Put, $"/api/v1/assets/{VppApiFixture.NewId("chp")}", spec);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "startUpCostEur");
    }

    [Fact]
    public async Task Put_of_a_battery_with_a_start_up_cost_is_refused_400_naming_it()
    {
        await AssertPutRefusedAndAssetUnchangedAsync(
            fleetId => WithRaw(Specs.Battery(fleetId), "startUpCostEur", "40"), HttpStatusCode.BadRequest, "startUpCostEur");
    }

    [Theory]
    [InlineData("maxPowerKw", "NaN")]
    [InlineData("maxPowerKw", "Infinity")]
    [InlineData("minPowerKw", "-Infinity")]
    [InlineData("marginalCostEurPerMwh", "NaN")]
    [InlineData("maxPowerKw", "\"NaN\"")]
    [InlineData("maxPowerKw", "\"Infinity\"")]
    public async Task Put_with_a_nan_or_infinity_literal_is_refused_400_naming_the_field(string field, string literal)
    {
        await AssertPutRefusedAndAssetUnchangedAsync(fleetId => WithRaw(Specs.Battery(fleetId), field, literal), HttpStatusCode.BadRequest, field);
    }

    [Theory]
    [InlineData("maxPowerKw", "1e400")]
    [InlineData("minPowerKw", "-1e400")]
    [InlineData("energyCapacityKwh", "1e400")]
    [InlineData("marginalCostEurPerMwh", "1e400")]
    [InlineData("rampRateKwPerSecond", "1e400")]
    public async Task Put_with_a_number_beyond_the_range_of_a_double_is_refused_400_naming_the_field(string field, string number)
    {
        await AssertPutRefusedAndAssetUnchangedAsync(fleetId => WithRaw(Specs.Battery(fleetId), field, number), HttpStatusCode.BadRequest, field);
    }

    [Theory]
    [InlineData("nuclear")]
    [InlineData("Battery")]
    [InlineData("flexible_load")]
    [InlineData("")]
    public async Task Put_with_an_unknown_kind_is_refused_400_naming_kind(string kind)
    {
        await AssertPutRefusedAndAssetUnchangedAsync(
            fleetId =>
            {
                var spec = Specs.Battery(fleetId);
                spec["kind"] = kind;
                return spec.ToJsonString();
            },
            HttpStatusCode.BadRequest,
            "kind");
    }

    [Fact]
    public async Task Put_with_an_unknown_json_field_is_refused_400_naming_that_field()
    {
        await AssertPutRefusedAndAssetUnchangedAsync(fleetId => WithRaw(Specs.Battery(fleetId), "colour", "\"red\""), HttpStatusCode.BadRequest, "colour");
    }

    [Fact]
    public async Task Put_with_min_power_above_max_power_is_refused_400_naming_minPowerKw()
    {
        await AssertPutRefusedAndAssetUnchangedAsync(
            fleetId =>
            {
                var spec = Specs.Battery(fleetId);
                spec["minPowerKw"] = 10;
                spec["maxPowerKw"] = 5;
                return spec.ToJsonString();
            },
            HttpStatusCode.BadRequest,
            "minPowerKw");
    }

    [Theory]
    [InlineData(-200)]
    [InlineData(0)]
    public async Task Put_of_a_battery_with_an_energy_capacity_not_above_zero_is_refused_400_naming_it(double capacityKwh)
    {
        await AssertPutRefusedAndAssetUnchangedAsync(
            fleetId => Specs.Battery(fleetId, capacityKwh: capacityKwh).ToJsonString(), HttpStatusCode.BadRequest, "energyCapacityKwh");
    }

    [Theory]
    [InlineData("minSocPercent", -1)]
    [InlineData("minSocPercent", 101)]
    [InlineData("maxSocPercent", 150)]
    [InlineData("maxSocPercent", -0.5)]
    public async Task Put_of_a_battery_with_a_soc_limit_outside_0_to_100_is_refused_400_naming_it(string field, double value)
    {
        await AssertPutRefusedAndAssetUnchangedAsync(
            fleetId =>
            {
                var spec = Specs.Battery(fleetId);
                spec[field] = value;
                return spec.ToJsonString();
            },
            HttpStatusCode.BadRequest,
            field);
    }

    [Fact]
    public async Task Put_of_a_battery_with_min_soc_not_below_max_soc_is_refused_400_naming_minSocPercent()
    {
        await AssertPutRefusedAndAssetUnchangedAsync(
            fleetId =>
            {
                var spec = Specs.Battery(fleetId);
                spec["minSocPercent"] = 80;
                spec["maxSocPercent"] = 80;
                return spec.ToJsonString();
            },
            HttpStatusCode.BadRequest,
            "minSocPercent");
    }

    [Fact]
    public async Task Put_of_a_solar_asset_with_battery_fields_is_refused_400_naming_them()
    {
        var spec = Specs.Solar(VppApiFixture.NewId("fleet"));
        spec["energyCapacityKwh"] = 100;
        spec["maxSocPercent"] = 90;

        var response = await Client.PutJsonAsync($"/api/v1/assets/{VppApiFixture.NewId("sun")}", spec);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "energyCapacityKwh", "maxSocPercent");
    }

    [Theory]
    [InlineData("bad fleet")]
    [InlineData("12345")]
    [InlineData("fleet/one")]
    [InlineData("")]
    public async Task Put_with_an_invalid_fleet_id_is_refused_400_naming_fleetId(string fleetId)
    {
        await AssertPutRefusedAndAssetUnchangedAsync(
            _ => Specs.Battery(fleetId).ToJsonString(), HttpStatusCode.BadRequest, "fleetId");
    }

    [Fact]
    public async Task Put_with_a_fleet_id_of_65_characters_is_refused_400_naming_fleetId()
    {
        await AssertPutRefusedAndAssetUnchangedAsync(
            _ => Specs.Battery("f" + new string('x', 64)).ToJsonString(), HttpStatusCode.BadRequest, "fleetId");
    }

    [Fact]
    public async Task Put_changing_the_kind_of_an_asset_is_refused_409_and_keeps_the_asset_as_it_was()
    {
        var (assetId, fleetId, before) = await RegisterOnlineBatteryAsync();

        var response = await Client.PutJsonAsync($"/api/v1/assets/{assetId}", Specs.Solar(fleetId));

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("kind", problem.Text("field"));
        await AssertAssetUnchangedAsync(assetId, before);
    }

    [Fact]
    public async Task Refused_put_of_a_new_asset_registers_nothing()
    {
        var assetId = VppApiFixture.NewId("new");
        var fleetId = VppApiFixture.NewId("fleet");

        var response = await Client.PutJsonAsync($"/api/v1/assets/{assetId}", Specs.Battery(fleetId, capacityKwh: -1));

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "energyCapacityKwh");
        await (await Client.GetAsync($"/api/v1/assets/{assetId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Client.GetAsync($"/api/v1/fleets/{fleetId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Power_ratings_too_large_to_add_up_never_break_the_fleet_view()
    {
        // Each rating is a finite double, but two of them overflow when the fleet sums its capability.
        // Either the API refuses such a rating (400 naming the field), or the fleet view keeps answering.
        var fleetId = VppApiFixture.NewId("fleet");
        var registered = 0;
        foreach (var assetId in new[] { VppApiFixture.NewId("load"), VppApiFixture.NewId("load") })
        {
            var spec = Specs.FlexibleLoad(fleetId);
            spec["minPowerKw"] = -1.7e308;
            var response = await Client.PutJsonAsync($"/api/v1/assets/{assetId}", spec);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "minPowerKw");
                continue;
            }

            registered++;
            await Client.TelemetryAsync(assetId, """{"activePowerKw": -30}""");
        }

        if (registered == 0)
        {
            return;
        }

        var (status, body) = await Eventually.Until(
            async () =>
            {
                var response = await Client.GetAsync($"/api/v1/fleets/{fleetId}");
                return (Status: response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            },
            r => r.Status == HttpStatusCode.InternalServerError
                 || (r.Status == HttpStatusCode.OK && JsonNode.Parse(r.Body).Number("onlineCount") == registered),
            "the fleet to count the loads online (or to fail)");
        Assert.True(status == HttpStatusCode.OK, $"GET fleet answered {(int)status}: {body}");
    }

    [Theory]
    [InlineData("minDownTimeSeconds", 0)]   // idle: the minimum down time applies
    [InlineData("minUpTimeSeconds", 200)]   // running: the minimum up time applies
    public async Task Chp_up_or_down_times_too_long_to_be_a_time_span_are_refused_or_keep_the_asset_working(string field, double activePowerKw)
    {
        // 1e12 s is finite but beyond TimeSpan's range (about 9.2e11 s).
        var assetId = VppApiFixture.NewId("chp");
        var spec = Specs.Chp(VppApiFixture.NewId("fleet"));
        spec[field] = 1e12;

        var put = await Client.PutJsonAsync($"/api/v1/assets/{assetId}", spec);
        if (put.StatusCode != HttpStatusCode.OK)
        {
            await put.ExpectProblemAsync(HttpStatusCode.BadRequest, field);
            return;
        }

        var telemetry = await Client.PostJsonAsync(
            $"/api/v1/assets/{assetId}/telemetry", $$"""{"activePowerKw": {{activePowerKw.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""");
        var telemetryBody = await telemetry.Content.ReadAsStringAsync();
        Assert.True(telemetry.StatusCode == HttpStatusCode.Accepted, $"telemetry answered {(int)telemetry.StatusCode}: {telemetryBody}");
        Assert.Equal("online", (await Client.GetAssetAsync(assetId)).Text("status"));
    }

    // ---- POST /api/v1/assets/{assetId}/telemetry ----------------------------------------------------------------

    [Theory]
    [InlineData("2026-11-25T12:00:00")]
    [InlineData("2026-11-25T12:00:00.123")]
    [InlineData("2026-11-25")]
    [InlineData("yesterday")]
    [InlineData("")]
    public async Task Telemetry_with_a_timestamp_without_an_offset_is_refused_400_naming_timestamp(string timestamp)
    {
        await AssertTelemetryRefusedAndAssetUnchangedAsync(
            $$"""{"timestamp": "{{timestamp}}", "activePowerKw": 7}""", HttpStatusCode.BadRequest, "timestamp");
    }

    [Fact]
    public async Task Telemetry_with_a_numeric_timestamp_is_refused_400_naming_timestamp()
    {
        await AssertTelemetryRefusedAndAssetUnchangedAsync("""{"timestamp": 1764072000, "activePowerKw": 7}""", HttpStatusCode.BadRequest, "timestamp");
    }

    [Fact]
    public async Task Telemetry_with_a_timestamp_far_in_the_future_is_refused_400_naming_timestamp()
    {
        var future = DateTimeOffset.UtcNow.AddHours(2).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        await AssertTelemetryRefusedAndAssetUnchangedAsync(
            $$"""{"timestamp": "{{future}}", "activePowerKw": 7}""", HttpStatusCode.BadRequest, "timestamp");
    }

    [Fact]
    public async Task Telemetry_older_than_the_last_measurement_is_answered_409_timestamp_not_accepted()
    {
        var assetId = VppApiFixture.NewId("bat");
        await Client.RegisterAsync(assetId, Specs.Battery(VppApiFixture.NewId("fleet")));
        var now = DateTimeOffset.UtcNow;
        static string At(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        await Client.TelemetryAsync(assetId, $$"""{"timestamp": "{{At(now)}}", "activePowerKw": 5, "stateOfChargePercent": 50}""");

        var late = await Client.PostJsonAsync(
            $"/api/v1/assets/{assetId}/telemetry", $$"""{"timestamp": "{{At(now.AddSeconds(-10))}}", "activePowerKw": 9}""");

        var problem = await late.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("timestamp", problem.Text("field"));
        Assert.Equal(5, (await Client.GetAssetAsync(assetId)).Number("activePowerKw"));
    }

    [Fact]
    public async Task Telemetry_without_active_power_is_refused_400_naming_activePowerKw()
    {
        await AssertTelemetryRefusedAndAssetUnchangedAsync("""{"stateOfChargePercent": 60}""", HttpStatusCode.BadRequest, "activePowerKw");
    }

    [Theory]
    [InlineData("activePowerKw", "NaN")]
    [InlineData("activePowerKw", "Infinity")]
    [InlineData("activePowerKw", "1e400")]
    [InlineData("availablePowerKw", "-1e400")]
    [InlineData("stateOfChargePercent", "NaN")]
    [InlineData("activePowerKw", "\"seven\"")]
    public async Task Telemetry_with_a_non_finite_or_mistyped_number_is_refused_400_naming_the_field(string field, string literal)
    {
        var body = WithRaw(JsonNode.Parse("""{"activePowerKw": 7}""")!.AsObject(), field, literal);

        await AssertTelemetryRefusedAndAssetUnchangedAsync(body, HttpStatusCode.BadRequest, field);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(100.5)]
    public async Task Telemetry_with_a_state_of_charge_outside_0_to_100_is_refused_400_naming_it(double soc)
    {
        await AssertTelemetryRefusedAndAssetUnchangedAsync(
            $$"""{"activePowerKw": 7, "stateOfChargePercent": {{soc.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""",
            HttpStatusCode.BadRequest,
            "stateOfChargePercent");
    }

    [Fact]
    public async Task Telemetry_with_negative_available_power_is_refused_400_naming_availablePowerKw()
    {
        await AssertTelemetryRefusedAndAssetUnchangedAsync("""{"activePowerKw": 7, "availablePowerKw": -1}""", HttpStatusCode.BadRequest, "availablePowerKw");
    }

    [Fact]
    public async Task Telemetry_with_a_state_of_charge_for_a_solar_asset_is_refused_400_naming_it()
    {
        var assetId = VppApiFixture.NewId("sun");
        await Client.RegisterAsync(assetId, Specs.Solar(VppApiFixture.NewId("fleet")));
        var before = await Client.GetAssetAsync(assetId);

        var response = await Client.PostJsonAsync($"/api/v1/assets/{assetId}/telemetry", """{"activePowerKw": 7, "stateOfChargePercent": 50}""");

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "stateOfChargePercent");
        await AssertAssetUnchangedAsync(assetId, before);
    }

    [Fact]
    public async Task Telemetry_with_an_unknown_json_field_is_refused_400_naming_that_field()
    {
        await AssertTelemetryRefusedAndAssetUnchangedAsync("""{"activePowerKw": 7, "voltage": 230}""", HttpStatusCode.BadRequest, "voltage");
    }

    [Theory]
    [InlineData("""{"activePowerKw": 7""")]
    [InlineData("""activePowerKw=7""")]
    [InlineData("")]
    public async Task Telemetry_with_malformed_or_empty_json_is_refused_400(string body)
    {
        await AssertTelemetryRefusedAndAssetUnchangedAsync(body, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Telemetry_as_plain_text_is_refused_415()
    {
        var (assetId, _, before) = await RegisterOnlineBatteryAsync();

        var response = await Client.SendAsync(HttpMethod.Post, $"/api/v1/assets/{assetId}/telemetry", """{"activePowerKw": 7}""", "text/plain");

        await response.ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await AssertAssetUnchangedAsync(assetId, before);
    }

    [Fact]
    public async Task Telemetry_for_an_unknown_asset_is_404_and_registers_nothing()
    {
        var assetId = VppApiFixture.NewId("ghost");

        var response = await Client.PostJsonAsync($"/api/v1/assets/{assetId}/telemetry", """{"activePowerKw": 7}""");

        var problem = await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(assetId, problem.Text("id"));
        await (await Client.GetAsync($"/api/v1/assets/{assetId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    // ---- POST /api/v1/assets/{assetId}/status -------------------------------------------------------------------

    [Theory]
    [InlineData("sleeping")]
    [InlineData("Online")]
    [InlineData("OFFLINE")]
    [InlineData("")]
    public async Task Status_with_an_unknown_value_is_refused_400_naming_status(string status)
    {
        await AssertStatusRefusedAndAssetUnchangedAsync($$"""{"status": "{{status}}"}""", HttpStatusCode.BadRequest, "status");
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"status": null}""")]
    [InlineData("""{"reason": "no status"}""")]
    public async Task Status_without_a_status_is_refused_400_naming_status(string body)
    {
        await AssertStatusRefusedAndAssetUnchangedAsync(body, HttpStatusCode.BadRequest, "status");
    }

    [Fact]
    public async Task Status_with_a_numeric_status_is_refused_400_naming_status()
    {
        await AssertStatusRefusedAndAssetUnchangedAsync("""{"status": 1}""", HttpStatusCode.BadRequest, "status");
    }

    [Fact]
    public async Task Status_with_a_reason_over_500_characters_is_refused_400_naming_reason()
    {
        await AssertStatusRefusedAndAssetUnchangedAsync(
            $$"""{"status": "offline", "reason": "{{new string('r', 501)}}"}""", HttpStatusCode.BadRequest, "reason");
    }

    [Fact]
    public async Task Status_with_an_unknown_json_field_is_refused_400_naming_that_field()
    {
        await AssertStatusRefusedAndAssetUnchangedAsync("""{"status": "offline", "until": "tomorrow"}""", HttpStatusCode.BadRequest, "until");
    }

    [Fact]
    public async Task Status_with_an_empty_body_is_refused_400_naming_the_body()
    {
        await AssertStatusRefusedAndAssetUnchangedAsync("", HttpStatusCode.BadRequest, "body");
    }

    [Fact]
    public async Task Status_as_form_data_is_refused_415()
    {
        var (assetId, _, before) = await RegisterOnlineBatteryAsync();

        var response = await Client.SendAsync(
            HttpMethod.Post, $"/api/v1/assets/{assetId}/status", "status=offline", "application/x-www-form-urlencoded");

        await response.ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await AssertAssetUnchangedAsync(assetId, before);
    }

    [Fact]
    public async Task Status_for_an_unknown_asset_is_404_and_registers_nothing()
    {
        var assetId = VppApiFixture.NewId("ghost");

        var response = await Client.PostJsonAsync($"/api/v1/assets/{assetId}/status", """{"status": "online"}""");

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Client.GetAsync($"/api/v1/assets/{assetId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    // ---- GET /api/v1/assets/{assetId} -----------------------------------------------------------------------------

    [Fact]
    public async Task Get_of_an_unknown_asset_is_404_naming_the_asset()
    {
        var assetId = VppApiFixture.NewId("ghost");

        var response = await Client.GetAsync($"/api/v1/assets/{assetId}");

        var problem = await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("asset", problem.Text("entity"));
        Assert.Equal(assetId, problem.Text("id"));
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /// <summary>An online battery with live values, so a refused request that touched anything would show.</summary>
    private async Task<(string AssetId, string FleetId, JsonNode Before)> RegisterOnlineBatteryAsync()
    {
        var assetId = VppApiFixture.NewId("bat");
        var fleetId = VppApiFixture.NewId("fleet");
        await Client.RegisterAsync(assetId, Specs.Battery(fleetId));
        await Client.TelemetryAsync(assetId, """{"activePowerKw": 3, "availablePowerKw": 90, "stateOfChargePercent": 40}""");
        return (assetId, fleetId, await Client.GetAssetAsync(assetId));
    }

    private async Task AssertAssetUnchangedAsync(string assetId, JsonNode before)
    {
        var after = await Client.GetAssetAsync(assetId);
        Assert.True(JsonNode.DeepEquals(before, after), $"the refused request changed the asset:\nbefore {before.ToJsonString()}\nafter  {after.ToJsonString()}");
    }

    private async Task AssertPutRefusedAndAssetUnchangedAsync(Func<string, string> body, HttpStatusCode status, params string[] fields)
    {
        var (assetId, fleetId, before) = await RegisterOnlineBatteryAsync();

        var response = await Client.SendAsync(HttpMethod.Put, $"/api/v1/assets/{assetId}", body(fleetId));

        await response.ExpectProblemAsync(status, fields);
        await AssertAssetUnchangedAsync(assetId, before);
    }

    private async Task AssertTelemetryRefusedAndAssetUnchangedAsync(string body, HttpStatusCode status, params string[] fields)
    {
        var (assetId, _, before) = await RegisterOnlineBatteryAsync();

        var response = await Client.SendAsync(HttpMethod.Post, $"/api/v1/assets/{assetId}/telemetry", body);

        await response.ExpectProblemAsync(status, fields);
        await AssertAssetUnchangedAsync(assetId, before);
    }

    private async Task AssertStatusRefusedAndAssetUnchangedAsync(string body, HttpStatusCode status, params string[] fields)
    {
        var (assetId, _, before) = await RegisterOnlineBatteryAsync();

        var response = await Client.SendAsync(HttpMethod.Post, $"/api/v1/assets/{assetId}/status", body);

        await response.ExpectProblemAsync(status, fields);
        await AssertAssetUnchangedAsync(assetId, before);
    }

    /// <summary>The object's JSON with <paramref name="field"/> set to raw JSON text (which may be invalid JSON on purpose).</summary>
    private static string WithRaw(JsonObject spec, string field, string rawJson)
    {
        spec.Remove(field);
        spec[field] = "__RAW__";
        return spec.ToJsonString().Replace("\"__RAW__\"", rawJson, StringComparison.Ordinal);
    }
}
