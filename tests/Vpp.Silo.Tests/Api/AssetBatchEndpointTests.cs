using System.Net;
using System.Text.Json.Nodes;
using Vpp.Domain.Assets;
using Vpp.Silo.Tests.Security;

namespace Vpp.Silo.Tests.Api;

/// <summary>PUT /api/v1/fleets/{fleetId}/assets: an operator's import, checked whole before any asset is registered.</summary>
[Collection(VppApiCollection.Name)]
public sealed class AssetBatchEndpointTests(VppApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    /// <summary>A batch item: the spec without its fleet (the path's), plus the asset id.</summary>
    private static JsonObject Item(string assetId, JsonObject spec)
    {
        var item = (JsonObject)spec.DeepClone();
        item.Remove("fleetId");
        item["assetId"] = assetId;
        return item;
    }

    [Fact]
    public async Task A_batch_registers_every_asset_into_the_paths_fleet()
    {
        var fleetId = VppApiFixture.NewId("import");
        var ids = Enumerable.Range(0, 3).Select(_ => VppApiFixture.NewId("imp")).ToArray();
        var batch = new JsonArray(Item(ids[0], Specs.Battery(fleetId)), Item(ids[1], Specs.Solar(fleetId)), Item(ids[2], Specs.Chp(fleetId)));

        var body = await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/assets", batch)).ExpectJsonAsync();

        Assert.Equal((3d, 0d), (body.Number("registeredCount"), body.Number("refusedCount")));
        Assert.Equal(ids, Assert.IsType<JsonArray>(body["results"]).Select(r => r.Text("assetId")));
        Assert.Equal("chp", (await Client.GetAssetAsync(ids[2]))["spec"].Text("kind"));
        await Client.WaitForFleetAsync(fleetId, f => f.Number("assetCount") == 3, "three assets in the fleet");
    }

    [Fact]
    public async Task One_invalid_item_answers_400_naming_it_and_registers_nothing()
    {
        var fleetId = VppApiFixture.NewId("import");
        var (good, bad, twice) = (VppApiFixture.NewId("imp"), VppApiFixture.NewId("imp"), VppApiFixture.NewId("imp"));
        var invalid = Item(bad, Specs.Battery(fleetId));
        invalid["maxPowerKw"] = double.MaxValue;
        var elsewhere = Item(twice, Specs.Battery(fleetId));
        elsewhere["fleetId"] = "another-fleet";
        var batch = new JsonArray(Item(good, Specs.Battery(fleetId)), invalid, elsewhere, Item(good, Specs.Battery(fleetId)));

        var response = await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/assets", batch);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "[1].maxPowerKw", "[2].fleetId", "[3].assetId");
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/v1/assets/{good}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/v1/fleets/{fleetId}")).StatusCode);
    }

    [Fact]
    public async Task An_asset_whose_kind_would_change_is_refused_on_its_own_and_the_rest_register()
    {
        var fleetId = VppApiFixture.NewId("import");
        var (existing, fresh) = (VppApiFixture.NewId("imp"), VppApiFixture.NewId("imp"));
        await Client.RegisterAsync(existing, Specs.Battery(fleetId));

        var body = await (await Client.PutJsonAsync(
            $"/api/v1/fleets/{fleetId}/assets", new JsonArray(Item(existing, Specs.Solar(fleetId)), Item(fresh, Specs.Battery(fleetId))))).ExpectJsonAsync();

        Assert.Equal((1d, 1d), (body.Number("registeredCount"), body.Number("refusedCount")));
        var results = Assert.IsType<JsonArray>(body["results"]);
        Assert.False(results[0]!["registered"]!.GetValue<bool>());
        Assert.False(results[0]!["retryable"]!.GetValue<bool>());
        Assert.True(results[0]!["errors"]!.AsObject().ContainsKey("kind"));
        Assert.Equal("battery", (await Client.GetAssetAsync(existing))["spec"].Text("kind"));
        Assert.Equal("battery", (await Client.GetAssetAsync(fresh))["spec"].Text("kind"));
    }

    [Fact]
    public async Task One_assets_put_refuses_a_body_that_names_another_asset()
    {
        var assetId = VppApiFixture.NewId("imp");
        var spec = Specs.Battery(VppApiFixture.NewId("import"));
        spec["assetId"] = "someone-else";

        await (await Client.PutJsonAsync($"/api/v1/assets/{assetId}", spec)).ExpectProblemAsync(HttpStatusCode.BadRequest, "assetId");
        spec["assetId"] = assetId;
        await (await Client.PutJsonAsync($"/api/v1/assets/{assetId}", spec)).ExpectJsonAsync();
    }

    [Theory]
    [InlineData("[]", "body")]
    [InlineData("""{"assetId": "a-1"}""", "body")]
    [InlineData("""[{"assetId": "a-1", "kind": "battery", "minPowerKw": -1, "maxPowerKw": "lots"}]""", "[0].maxPowerKw")]
    [InlineData("""[{"kind": "battery", "minPowerKw": -1, "maxPowerKw": 1}]""", "[0].assetId")]
    [InlineData("""[null]""", "[0]")]
    public async Task A_body_that_is_not_a_valid_batch_is_refused_whole(string body, string field)
    {
        var response = await Client.PutJsonAsync($"/api/v1/fleets/{VppApiFixture.NewId("import")}/assets", body);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task One_item_more_than_the_maximum_is_refused_400_naming_body()
    {
        var fleetId = VppApiFixture.NewId("import");
        var batch = new JsonArray([.. Enumerable.Range(0, AssetBatch.MaxSize + 1).Select(i => (JsonNode)Item($"imp-{i}", Specs.Battery(fleetId)))]);

        await (await Client.PutJsonAsync($"/api/v1/fleets/{fleetId}/assets", batch)).ExpectProblemAsync(HttpStatusCode.BadRequest, "body");
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/v1/assets/imp-0")).StatusCode);
    }

    [Fact]
    public async Task Registering_needs_the_admin_role_and_a_scoped_key_cannot_take_over_another_fleets_asset()
    {
        var fleetId = TestKeys.ScopedFleets[0];
        var (foreign, mine, fresh) = (VppApiFixture.NewId("imp"), VppApiFixture.NewId("imp"), VppApiFixture.NewId("imp"));
        var otherFleet = VppApiFixture.NewId("other");
        await Client.RegisterAsync(foreign, Specs.Battery(otherFleet));
        await Client.RegisterAsync(mine, Specs.Battery(fleetId));
        var changed = Specs.Battery(fleetId);
        changed["maxPowerKw"] = 7;
        var batch = new JsonArray(Item(foreign, Specs.Battery(fleetId)), Item(mine, changed), Item(fresh, Specs.Solar(fleetId)));

        using var reader = fixture.ClientWithKey(TestKeys.Reader);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PutJsonAsync($"/api/v1/fleets/{fleetId}/assets", batch.DeepClone())).StatusCode);
        using var scoped = fixture.ClientWithKey(TestKeys.Scoped);
        await (await scoped.PutJsonAsync($"/api/v1/fleets/{otherFleet}/assets", batch.DeepClone())).ExpectProblemAsync(HttpStatusCode.NotFound);

        // The foreign asset is refused on its own, in the words an unknown id gets; the scope's own assets register.
        var body = await (await scoped.PutJsonAsync($"/api/v1/fleets/{fleetId}/assets", batch.DeepClone())).ExpectJsonAsync();

        Assert.Equal((2d, 1d), (body.Number("registeredCount"), body.Number("refusedCount")));
        var refused = Assert.IsType<JsonArray>(body["results"])[0]!;
        Assert.False(refused["registered"]!.GetValue<bool>());
        Assert.False(refused["retryable"]!.GetValue<bool>());
        Assert.Equal($"asset '{foreign}' does not exist", Assert.IsType<JsonArray>(refused["errors"]!["assetId"]).Single()!.GetValue<string>());
        Assert.Equal(otherFleet, (await Client.GetAssetAsync(foreign))["spec"].Text("fleetId"));
        Assert.Equal(7d, (await Client.GetAssetAsync(mine))["spec"].Number("maxPowerKw"));
        Assert.Equal(fleetId, (await Client.GetAssetAsync(fresh))["spec"].Text("fleetId"));
    }
}
