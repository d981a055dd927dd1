using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Vpp.Silo.Tests.Api;

/// <summary>The success paths of the asset endpoints: register, read, telemetry, status.</summary>
[Collection(VppApiCollection.Name)]
public sealed class AssetEndpointsTests(VppApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    public static TheoryData<string> Kinds => ["battery", "solar", "wind", "flexibleLoad", "chp"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Put_registers_an_asset_of_each_kind_and_answers_its_view(string kind)
    {
        var assetId = VppApiFixture.NewId(kind);
        var fleetId = VppApiFixture.NewId("fleet");
        var spec = Specs.OfKind(kind, fleetId);

        var view = await (await Client.PutJsonAsync($"/api/v1/assets/{assetId}", spec)).ExpectJsonAsync();

        Assert.Equal(assetId, view.Text("assetId"));
        Assert.Equal(fleetId, view.Text("fleetId"));
        Assert.Equal(kind, view.Text("kind"));
        Assert.Equal("offline", view.Text("status")); // registered, no telemetry yet
        Assert.False(view.Has("setpointKw"));
        foreach (var (field, value) in spec)
        {
            Assert.True(
                JsonNode.DeepEquals(value, view["spec"]?[field]),
                $"spec.{field}: sent {value?.ToJsonString()}, answered {view["spec"]?[field]?.ToJsonString()}");
        }
    }

    [Fact]
    public async Task A_chps_start_up_cost_is_registered_and_answered_in_its_spec()
    {
        var assetId = VppApiFixture.NewId("chp");
        var spec = Specs.Chp(VppApiFixture.NewId("fleet"));
        spec["startUpCostEur"] = 45.5;

        await (await Client.PutJsonAsync($"/api/v1/assets/{assetId}", spec)).ExpectJsonAsync();
        var view = await (await Client.GetAsync($"/api/v1/assets/{assetId}")).ExpectJsonAsync();

        Assert.Equal(45.5, view["spec"].Number("startUpCostEur"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Get_answers_the_registered_asset_of_each_kind(string kind)
    {
        var assetId = VppApiFixture.NewId(kind);
        var fleetId = VppApiFixture.NewId("fleet");
        var put = await (await Client.PutJsonAsync($"/api/v1/assets/{assetId}", Specs.OfKind(kind, fleetId))).ExpectJsonAsync();

        var view = await (await Client.GetAsync($"/api/v1/assets/{assetId}")).ExpectJsonAsync();

        Assert.Equal(assetId, view.Text("assetId"));
        Assert.Equal(fleetId, view.Text("fleetId"));
        Assert.Equal(kind, view.Text("kind"));
        Assert.Equal("offline", view.Text("status"));
        Assert.True(JsonNode.DeepEquals(put["spec"], view["spec"]), $"PUT answered {put["spec"]}, GET {view["spec"]}");
    }

    [Fact]
    public async Task Put_again_with_the_same_kind_updates_the_spec()
    {
        var assetId = VppApiFixture.NewId("battery");
        var fleetId = VppApiFixture.NewId("fleet");
        await (await Client.PutJsonAsync($"/api/v1/assets/{assetId}", Specs.Battery(fleetId, maxKw: 100))).ExpectJsonAsync();

        var updated = await (await Client.PutJsonAsync($"/api/v1/assets/{assetId}", Specs.Battery(fleetId, maxKw: 120, cost: 25))).ExpectJsonAsync();
        var view = await (await Client.GetAsync($"/api/v1/assets/{assetId}")).ExpectJsonAsync();

        Assert.Equal(120, updated["spec"].Number("maxPowerKw"));
        Assert.Equal(120, view["spec"].Number("maxPowerKw"));
        Assert.Equal(25, view["spec"].Number("marginalCostEurPerMwh"));
    }

    [Fact]
    public async Task Telemetry_answers_202_and_brings_the_asset_online_with_its_measurements()
    {
        var assetId = VppApiFixture.NewId("battery");
        await (await Client.PutJsonAsync($"/api/v1/assets/{assetId}", Specs.Battery(VppApiFixture.NewId("fleet")))).ExpectJsonAsync();

        // A recent instant, sent with a +01:00 offset (an old one would count as silence and take it offline again).
        var at = DateTimeOffset.UtcNow.AddSeconds(-2);
        var sent = at.ToOffset(TimeSpan.FromHours(1)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

        var response = await Client.PostJsonAsync(
            $"/api/v1/assets/{assetId}/telemetry",
            $$"""{"timestamp": "{{sent}}", "activePowerKw": 12.5, "availablePowerKw": 80, "stateOfChargePercent": 55}""");
        var view = await (await Client.GetAsync($"/api/v1/assets/{assetId}")).ExpectJsonAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("online", view.Text("status"));
        Assert.Equal(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), view.Text("lastSeen")); // in UTC
        Assert.Equal(12.5, view.Number("activePowerKw"));
        Assert.Equal(80, view.Number("availablePowerKw"));
        Assert.Equal(55, view.Number("stateOfChargePercent"));
    }

    [Fact]
    public async Task Telemetry_without_a_timestamp_is_stamped_with_the_server_time()
    {
        var assetId = VppApiFixture.NewId("solar");
        await (await Client.PutJsonAsync($"/api/v1/assets/{assetId}", Specs.Solar(VppApiFixture.NewId("fleet")))).ExpectJsonAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var response = await Client.PostJsonAsync($"/api/v1/assets/{assetId}/telemetry", """{"activePowerKw": 42}""");
        var view = await (await Client.GetAsync($"/api/v1/assets/{assetId}")).ExpectJsonAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("online", view.Text("status"));
        Assert.Equal(42, view.Number("activePowerKw"));
        var lastSeen = DateTimeOffset.Parse(view.Text("lastSeen"), CultureInfo.InvariantCulture);
        Assert.InRange(lastSeen, before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Theory]
    [InlineData("offline")]
    [InlineData("maintenance")]
    [InlineData("online")]
    public async Task Status_answers_200_with_the_reported_status_and_reason(string status)
    {
        var assetId = VppApiFixture.NewId("wind");
        await (await Client.PutJsonAsync($"/api/v1/assets/{assetId}", Specs.Wind(VppApiFixture.NewId("fleet")))).ExpectJsonAsync();
        await PostTelemetryAsync(assetId, """{"activePowerKw": 100, "availablePowerKw": 150}""");

        var answered = await (await Client.PostJsonAsync(
            $"/api/v1/assets/{assetId}/status", $$"""{"status": "{{status}}", "reason": "operator says so"}""")).ExpectJsonAsync();
        var view = await (await Client.GetAsync($"/api/v1/assets/{assetId}")).ExpectJsonAsync();

        Assert.Equal(status, answered.Text("status"));
        Assert.Equal("operator says so", answered.Text("statusReason"));
        Assert.Equal(status, view.Text("status"));
    }

    [Fact]
    public async Task Status_without_a_reason_is_accepted()
    {
        var assetId = VppApiFixture.NewId("chp");
        await (await Client.PutJsonAsync($"/api/v1/assets/{assetId}", Specs.Chp(VppApiFixture.NewId("fleet")))).ExpectJsonAsync();

        var answered = await (await Client.PostJsonAsync($"/api/v1/assets/{assetId}/status", """{"status": "maintenance"}""")).ExpectJsonAsync();

        Assert.Equal("maintenance", answered.Text("status"));
    }

    [Fact]
    public async Task An_asset_reported_offline_stays_offline_when_telemetry_arrives()
    {
        var assetId = VppApiFixture.NewId("solar");
        await (await Client.PutJsonAsync($"/api/v1/assets/{assetId}", Specs.Solar(VppApiFixture.NewId("fleet")))).ExpectJsonAsync();
        await (await Client.PostJsonAsync($"/api/v1/assets/{assetId}/status", """{"status": "offline", "reason": "inverter fault"}""")).ExpectJsonAsync();

        await PostTelemetryAsync(assetId, """{"activePowerKw": 5}""");
        var view = await (await Client.GetAsync($"/api/v1/assets/{assetId}")).ExpectJsonAsync();

        Assert.Equal("offline", view.Text("status"));
        Assert.Equal(5, view.Number("activePowerKw"));
    }

    private async Task PostTelemetryAsync(string assetId, string body)
    {
        var response = await Client.PostJsonAsync($"/api/v1/assets/{assetId}/telemetry", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
