using System.Net;
using System.Text.Json.Nodes;
using Vpp.Silo.Tests.Api;

namespace Vpp.Silo.Tests.Security;

/// <summary>
/// Keys scoped to fleets (Auth:ApiKeys[].Fleets): outside its fleets a key meets 404, as for ids that do not exist,
/// and nothing changes; its fleet list and /me show its scope.
/// </summary>
[Collection(VppApiCollection.Name)]
public sealed class FleetScopeTests(VppApiFixture fixture)
{
    private static readonly string OwnFleet = TestKeys.ScopedFleets[0];

    [Fact]
    public async Task A_scoped_key_gets_404_for_another_fleet_and_its_assets_and_changes_nothing()
    {
        using var scoped = fixture.ClientWithKey(TestKeys.Scoped);
        var otherFleet = VppApiFixture.NewId("fleet");
        var otherAsset = VppApiFixture.NewId("bat");
        await fixture.Client.OnlineBatteryAsync(otherAsset, otherFleet);
        await fixture.Client.WaitForOnlineAsync(otherFleet, 1, 100);

        await (await scoped.GetAsync($"/api/v1/fleets/{otherFleet}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await scoped.PostJsonAsync($"/api/v1/fleets/{otherFleet}/dispatch", """{"targetKw": 10}""")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await scoped.GetAsync($"/api/v1/fleets/{otherFleet}/assets")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await scoped.GetAsync($"/api/v1/assets/{otherAsset}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await scoped.PostJsonAsync($"/api/v1/assets/{otherAsset}/telemetry", """{"activePowerKw": 42, "stateOfChargePercent": 50}"""))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await scoped.PostJsonAsync($"/api/v1/assets/{otherAsset}/status", """{"status": "offline"}""")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await scoped.GetAsync($"/api/v1/assets/{otherAsset}/unavailabilities")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await scoped.PutJsonAsync($"/api/v1/assets/{otherAsset}", Specs.Battery(OwnFleet))).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await scoped.PutJsonAsync($"/api/v1/assets/{VppApiFixture.NewId("bat")}", Specs.Battery(otherFleet))).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await scoped.DeleteAsync($"/api/v1/assets/{otherAsset}")).ExpectProblemAsync(HttpStatusCode.NotFound);

        var asset = await fixture.Client.GetAssetAsync(otherAsset);
        Assert.Equal(("online", 0d, otherFleet), (asset.Text("status"), asset.Number("activePowerKw"), asset.Text("fleetId")));
        Assert.False((await fixture.Client.GetFleetAsync(otherFleet)).Has("targetKw"));
    }

    [Fact]
    public async Task A_scoped_key_works_in_its_fleets_and_its_batches_skip_other_fleets_assets_as_unknown()
    {
        using var scoped = fixture.ClientWithKey(TestKeys.Scoped);
        var own = VppApiFixture.NewId("bat");
        var other = VppApiFixture.NewId("bat");
        await scoped.OnlineBatteryAsync(own, OwnFleet);
        await fixture.Client.OnlineBatteryAsync(other, VppApiFixture.NewId("fleet"));
        var unknown = VppApiFixture.NewId("ghost");

        var body = await (await scoped.PostJsonAsync("/api/v1/telemetry", $$"""
            [
              {"assetId": "{{own}}", "activePowerKw": 3, "stateOfChargePercent": 50},
              {"assetId": "{{other}}", "activePowerKw": 4, "stateOfChargePercent": 50},
              {"assetId": "{{unknown}}", "activePowerKw": 5}
            ]
            """)).ExpectJsonAsync();

        var results = Assert.IsType<JsonArray>(body["results"]);
        Assert.Equal(["accepted", "refused", "refused"], results.Select(r => r.Text("outcome")));
        Assert.Equal(results[2]!["errors"]!.ToJsonString().Replace(unknown, "ID"), results[1]!["errors"]!.ToJsonString().Replace(other, "ID"));
        Assert.Equal(3, (await scoped.GetAssetAsync(own)).Number("activePowerKw"));
        Assert.Equal(0, (await fixture.Client.GetAssetAsync(other)).Number("activePowerKw"));
        await scoped.GetFleetAsync(OwnFleet);
    }

    [Fact]
    public async Task A_scoped_key_lists_only_its_fleets_sees_its_scope_and_is_refused_what_spans_fleets()
    {
        using var scoped = fixture.ClientWithKey(TestKeys.Scoped);
        await scoped.OnlineBatteryAsync(VppApiFixture.NewId("bat"), OwnFleet);
        await fixture.Client.OnlineBatteryAsync(VppApiFixture.NewId("bat"), VppApiFixture.NewId("fleet"));

        var fleets = Assert.IsType<JsonArray>(await (await scoped.GetAsync("/api/v1/fleets")).ExpectJsonAsync());
        var me = await (await scoped.GetAsync("/api/v1/me")).ExpectJsonAsync();
        var everything = await (await fixture.Client.GetAsync("/api/v1/me")).ExpectJsonAsync();
        var frequency = await scoped.PostJsonAsync("/api/v1/grid/frequency", """{"frequencyHz": 50}""");

        Assert.Equal([OwnFleet], fleets.Select(f => f.Text("fleetId")));
        Assert.Equal(TestKeys.ScopedFleets, me["fleets"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.False(everything.Has("fleets"));
        await frequency.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }
}
