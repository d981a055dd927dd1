using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using static Vpp.Testing.Api.ApiTimes;

namespace Vpp.Silo.Tests.Api;

/// <summary>Schedules and unavailabilities through the real HTTP pipeline (real clock: slots lie ahead).</summary>
[Collection(VppApiCollection.Name)]
public sealed class ScheduleEndpointsTests(VppApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    private async Task<(string AssetId, string FleetId)> OnlineFleetAsync()
    {
        var assetId = VppApiFixture.NewId("bat");
        var fleetId = VppApiFixture.NewId("fleet");
        await Client.OnlineBatteryAsync(assetId, fleetId);
        await Client.WaitForOnlineAsync(fleetId, count: 1, maxKw: 100);
        return (assetId, fleetId);
    }

    [Fact]
    public async Task A_schedule_is_put_read_replaced_and_deleted_over_http()
    {
        var (_, fleetId) = await OnlineFleetAsync();
        var start = NextHour;
        var url = $"/api/v1/fleets/{fleetId}/schedule";

        var stored = await (await Client.PutJsonAsync(url, $$"""{"start": "{{Iso(start)}}", "slots": [{"targetKw": 40}, {"targetKw": -20}, {"targetKw": 90}]}""")).ExpectJsonAsync();
        Assert.Equal(fleetId, stored.Text("fleetId"));
        Assert.Equal([40d, -20d, 90d], stored["slots"]!.AsArray().Select(s => s.Number("targetKw")));
        Assert.Equal(Iso(start.AddMinutes(15)), Iso(DateTimeOffset.Parse(stored["slots"]![0]!.Text("end"), CultureInfo.InvariantCulture)));
        Assert.Empty(stored["warnings"]!.AsArray());

        await (await Client.PutJsonAsync(url, $$"""{"start": "{{Iso(start.AddMinutes(15))}}", "slots": [{"targetKw": 10}]}""")).ExpectJsonAsync();
        var read = await (await Client.GetAsync($"{url}?from={Iso(start)}&to={Iso(start.AddHours(1))}")).ExpectJsonAsync();
        Assert.Equal([40d, 10d, 90d], read["slots"]!.AsArray().Select(s => s.Number("targetKw")));
        var byDefault = await (await Client.GetAsync(url)).ExpectJsonAsync();
        Assert.Equal(3, byDefault["slots"]!.AsArray().Count);

        var deleted = await (await Client.DeleteAsync($"{url}?from={Iso(start)}&to={Iso(start.AddMinutes(30))}")).ExpectJsonAsync();
        Assert.Equal(2, deleted.Number("removedSlots"));
        var left = await (await Client.GetAsync($"{url}?from={Iso(start)}&to={Iso(start.AddHours(1))}")).ExpectJsonAsync();
        Assert.Equal([90d], left["slots"]!.AsArray().Select(s => s.Number("targetKw")));
    }

    [Fact]
    public async Task A_schedule_beyond_the_batteries_energy_is_stored_with_a_warning_naming_the_slot()
    {
        var (_, fleetId) = await OnlineFleetAsync(); // 200 kWh at 50 %: roughly 90 kWh to deliver
        var slots = string.Join(", ", Enumerable.Repeat("""{"targetKw": 100}""", 8));

        var stored = await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/schedule", $$"""{"start": "{{Iso(NextHour)}}", "slots": [{{slots}}]}""")).ExpectJsonAsync();

        Assert.Equal(8, stored["slots"]!.AsArray().Count);
        var warnings = stored["warnings"]!.AsArray();
        Assert.NotEmpty(warnings);
        Assert.Equal("slots[7]", warnings[^1]!.Text("field"));
        Assert.Equal("discharge", warnings[^1]!.Text("direction"));
        Assert.True(warnings.Sum(w => w!.Number("shortfallKwh")) > 100);
    }

    [Fact]
    public async Task A_local_delivery_day_is_accepted_with_its_number_of_quarter_hours()
    {
        var (_, fleetId) = await OnlineFleetAsync();
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(3);
        var count = Domain.Schedules.LocalDay.Slots(day, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).Count;
        var slots = string.Join(", ", Enumerable.Repeat("""{"targetKw": 5}""", count));

        var stored = await (await Client.PutJsonAsync(
            $"/api/v1/fleets/{fleetId}/schedule", $$"""{"localDate": "{{day:yyyy-MM-dd}}", "timeZone": "Europe/Berlin", "slots": [{{slots}}]}""")).ExpectJsonAsync();

        Assert.Equal(count, stored["slots"]!.AsArray().Count);
    }

    [Fact]
    public async Task Refused_schedules_name_the_slot_and_store_nothing_and_unknown_fleets_are_404()
    {
        var (_, fleetId) = await OnlineFleetAsync();
        var url = $"/api/v1/fleets/{fleetId}/schedule";

        await (await Client.PutJsonAsync(url, $$"""{"start": "{{Iso(NextHour)}}", "slots": [{"targetKw": 10}, {"targetKw": 500}]}"""))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "slots[1].targetKw");
        await (await Client.PutJsonAsync(url, $$"""{"start": "{{Iso(NextHour.AddMinutes(5))}}", "slots": [{"targetKw": 10}]}"""))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "start");
        Assert.Empty((await (await Client.GetAsync(url)).ExpectJsonAsync())["slots"]!.AsArray());

        var unknown = $"/api/v1/fleets/{VppApiFixture.NewId("nofleet")}/schedule";
        await (await Client.PutJsonAsync(unknown, $$"""{"start": "{{Iso(NextHour)}}", "slots": [{"targetKw": 1}]}""")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Client.GetAsync(unknown)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Unavailabilities_are_posted_listed_shown_on_the_asset_and_deleted()
    {
        var (assetId, fleetId) = await OnlineFleetAsync();
        var url = $"/api/v1/assets/{assetId}/unavailabilities";
        var from = NextHour.AddDays(1);

        var created = await Client.PostJsonAsync(url, $$"""{"from": "{{Iso(from)}}", "until": "{{Iso(from.AddHours(4))}}", "kind": "planned", "reason": "annual service"}""");
        var window = await created.ExpectJsonAsync(HttpStatusCode.Created);
        var id = window.Text("id");
        Assert.Equal($"{url}/{id}", created.Headers.Location?.ToString());
        Assert.Equal(("planned", "annual service"), (window.Text("kind"), window.Text("reason")));

        var list = Assert.IsType<JsonArray>(await (await Client.GetAsync(url)).ExpectJsonAsync());
        Assert.Equal(id, Assert.Single(list)!.Text("id"));
        var asset = await Client.GetAssetAsync(assetId);
        Assert.Equal(id, Assert.Single(asset["unavailabilities"]!.AsArray())!.Text("id"));
        Assert.Equal("online", asset.Text("status"));

        // One in force now takes the asset out of the fleet at once; deleting it brings it back.
        var now = DateTimeOffset.UtcNow;
        var current = await (await Client.PostJsonAsync(url, $$"""{"from": "{{Iso(now.AddMinutes(-1))}}", "until": "{{Iso(now.AddHours(1))}}", "kind": "unplanned"}"""))
            .ExpectJsonAsync(HttpStatusCode.Created);
        await Client.WaitForFleetAsync(fleetId, f => f.Number("onlineCount") == 0, "the asset out");
        Assert.Equal("maintenance", (await Client.GetAssetAsync(assetId)).Text("status"));

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"{url}/{current.Text("id")}")).StatusCode);
        await Client.WaitForFleetAsync(fleetId, f => f.Number("onlineCount") == 1, "the asset back");
        await (await Client.DeleteAsync($"{url}/{current.Text("id")}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Client.PostJsonAsync(url, $$"""{"from": "{{Iso(from)}}", "until": "{{Iso(from.AddHours(-1))}}", "kind": "planned"}"""))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "until");
        await (await Client.GetAsync($"/api/v1/assets/{VppApiFixture.NewId("ghost")}/unavailabilities")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}
