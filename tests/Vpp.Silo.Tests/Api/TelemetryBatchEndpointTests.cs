using System.Net;
using System.Text.Json.Nodes;

namespace Vpp.Silo.Tests.Api;

/// <summary>POST /api/v1/telemetry (a gateway's batch) and DELETE /api/v1/assets/{assetId}.</summary>
[Collection(VppApiCollection.Name)]
public sealed class TelemetryBatchEndpointTests(VppApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task A_batch_answers_every_item_with_its_outcome_and_the_assets_setpoint()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        var battery = VppApiFixture.NewId("bat");
        await Client.OnlineBatteryAsync(battery, fleetId);
        await Client.WaitForOnlineAsync(fleetId, 1, 100);
        await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 30}""")).ExpectJsonAsync();
        var unknown = VppApiFixture.NewId("ghost");

        var body = await (await Client.PostJsonAsync("/api/v1/telemetry", $$"""
            [
              {"assetId": "{{battery}}", "activePowerKw": 29.5, "stateOfChargePercent": 49},
              {"assetId": "{{unknown}}", "activePowerKw": 1},
              {"assetId": "{{battery}}"},
              {"assetId": "{{battery}}", "activePowerKw": 1, "stateOfChargePercent": 101}
            ]
            """)).ExpectJsonAsync();

        Assert.Equal((1d, 3d), (body.Number("acceptedCount"), body.Number("refusedCount")));
        var results = Assert.IsType<JsonArray>(body["results"]);
        Assert.Equal([true, false, false, false], results.Select(r => r!["accepted"]!.GetValue<bool>()));
        Assert.Equal("online", results[0].Text("status"));
        Assert.Equal(30, results[0].Number("setpointKw"), 3);
        Assert.True(results[1]!["errors"]!.AsObject().ContainsKey("assetId"));
        Assert.True(results[2]!["errors"]!.AsObject().ContainsKey("activePowerKw"));
        Assert.True(results[3]!["errors"]!.AsObject().ContainsKey("stateOfChargePercent"));
        Assert.Equal(29.5, (await Client.GetAssetAsync(battery)).Number("activePowerKw"));
    }

    [Fact]
    public async Task A_batch_refuses_items_from_the_future_and_reports_out_of_order_items_as_such()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        var battery = VppApiFixture.NewId("bat");
        var other = VppApiFixture.NewId("bat");
        await Client.OnlineBatteryAsync(battery, fleetId);
        await Client.OnlineBatteryAsync(other, fleetId);
        var now = DateTimeOffset.UtcNow;
        static string At(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

        // Within the clock skew the second item is accepted; the third is older than what 'other' reported at registration.
        var body = await (await Client.PostJsonAsync("/api/v1/telemetry", $$"""
            [
              {"assetId": "{{battery}}", "timestamp": "{{At(now.AddHours(2))}}", "activePowerKw": 11},
              {"assetId": "{{battery}}", "timestamp": "{{At(now.AddSeconds(2))}}", "activePowerKw": 12},
              {"assetId": "{{other}}", "timestamp": "{{At(now.AddMinutes(-5))}}", "activePowerKw": 13}
            ]
            """)).ExpectJsonAsync();

        var results = Assert.IsType<JsonArray>(body["results"]);
        Assert.Equal(["refused", "accepted", "outOfOrder"], results.Select(r => r.Text("outcome")));
        Assert.Equal([false, true, false], results.Select(r => r!["accepted"]!.GetValue<bool>()));
        Assert.True(results[0]!["errors"]!.AsObject().ContainsKey("timestamp"));
        Assert.True(results[2]!["errors"]!.AsObject().ContainsKey("timestamp"));
        Assert.Equal("online", results[2].Text("status"));
        Assert.Equal((1d, 1d, 1d), (body.Number("acceptedCount"), body.Number("refusedCount"), body.Number("outOfOrderCount")));
        Assert.Equal(12, (await Client.GetAssetAsync(battery)).Number("activePowerKw"));
        Assert.Equal(0, (await Client.GetAssetAsync(other)).Number("activePowerKw"));
    }

    [Theory]
    [InlineData("[]", "body")]
    [InlineData("""{"assetId": "a-1", "activePowerKw": 1}""", "body")]
    [InlineData("""[{"assetId": "a-1", "activePowerKw": "lots"}]""", "[0].activePowerKw")]
    public async Task A_body_that_is_not_a_batch_is_refused_whole(string body, string field)
    {
        var response = await Client.PostJsonAsync("/api/v1/telemetry", body);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Deleting_an_asset_removes_it_from_its_fleet()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        var assetId = VppApiFixture.NewId("bat");
        await Client.OnlineBatteryAsync(assetId, fleetId);

        var deleted = await Client.DeleteAsync($"/api/v1/assets/{assetId}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await Client.GetAsync($"/api/v1/assets/{assetId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await Client.WaitForFleetAsync(fleetId, f => f.Number("assetCount") == 0, "the asset to have left");
        await (await Client.DeleteAsync($"/api/v1/assets/{assetId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}
