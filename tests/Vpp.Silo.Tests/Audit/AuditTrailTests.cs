using System.Net;
using System.Text.Json.Nodes;
using Vpp.Silo.Tests.Api;
using Vpp.Silo.Tests.Security;

namespace Vpp.Silo.Tests.Audit;

/// <summary>The audit trail through the real HTTP pipeline and the silo's SQLite file: who changed what, read back by admin keys.</summary>
[Collection(VppApiCollection.Name)]
public sealed class AuditTrailTests(VppApiFixture fixture)
{
    [Fact]
    public async Task An_operators_maintenance_and_a_traders_dispatch_appear_with_the_key_names_and_never_the_keys()
    {
        var fleetId = VppApiFixture.NewId("audit-fleet");
        var assetId = VppApiFixture.NewId("audit-asset");
        await fixture.Client.OnlineBatteryAsync(assetId, fleetId);
        await fixture.Client.WaitForOnlineAsync(fleetId, 1, 100);
        using var operatorClient = fixture.ClientWithKey(TestKeys.Provisioner);
        using var trader = fixture.ClientWithKey(TestKeys.Dispatcher);
        using var gateway = fixture.ClientWithKey(TestKeys.Gateway);

        await (await operatorClient.PostJsonAsync($"/api/v1/assets/{assetId}/status", """{"status": "maintenance", "reason": "inverter swap"}""")).ExpectJsonAsync();
        await (await gateway.PostJsonAsync($"/api/v1/assets/{assetId}/status", """{"status": "online"}""")).ExpectJsonAsync();
        await (await trader.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 0}""")).ExpectJsonAsync();

        var assetEntries = await WaitForEntriesAsync($"entity={assetId}", e => e.Any(x => x.Text("actor") == "provisioner"));
        var maintenance = Assert.Single(assetEntries, e => e.Text("actor") == "provisioner");
        Assert.Equal("POST", maintenance.Text("method"));
        Assert.Equal("/api/v1/assets/{assetId}/status", maintenance.Text("route"));
        Assert.Equal($"/api/v1/assets/{assetId}/status", maintenance.Text("path"));
        Assert.Equal(200, (int)maintenance.Number("status"));
        Assert.Contains("maintenance", maintenance.Text("body"), StringComparison.Ordinal);
        Assert.Contains(assetId, maintenance["entities"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse(maintenance.Text("atUtc"), System.Globalization.CultureInfo.InvariantCulture) < TimeSpan.FromMinutes(5));
        Assert.EndsWith("Z", maintenance.Text("atUtc"), StringComparison.Ordinal);
        Assert.Contains(assetEntries, e => e.Text("actor") == "everything" && e.Text("method") == "PUT");
        Assert.DoesNotContain(assetEntries, e => e.Text("actor") == "gateway");

        var fleetEntries = await WaitForEntriesAsync($"entity={fleetId}", e => e.Any(x => x.Text("actor") == "dispatcher"));
        var dispatch = Assert.Single(fleetEntries, e => e.Text("actor") == "dispatcher");
        Assert.Equal("/api/v1/fleets/{fleetId}/dispatch", dispatch.Text("route"));

        var byActor = await WaitForEntriesAsync($"actor=dispatcher&entity={fleetId}", e => e.Count > 0);
        Assert.All(byActor, e => Assert.Equal("dispatcher", e.Text("actor")));

        var everything = await (await fixture.Client.GetAsync("/api/v1/audit?limit=1000")).Content.ReadAsStringAsync();
        Assert.All(TestKeys.AllSecrets, secret => Assert.DoesNotContain(secret, everything, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_trail_exports_as_csv_by_accept_header_or_format()
    {
        var fleetId = VppApiFixture.NewId("audit-csv");
        using var trader = fixture.ClientWithKey(TestKeys.Dispatcher);
        await trader.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 0}""");
        await WaitForEntriesAsync($"entity={fleetId}", e => e.Count > 0);

        var byFormat = await fixture.Client.GetAsync($"/api/v1/audit?entity={fleetId}&format=csv");
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/audit?entity={fleetId}");
        request.Headers.Accept.ParseAdd("text/csv");
        var byAccept = await fixture.Client.SendAsync(request);

        foreach (var response in new[] { byFormat, byAccept })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
            var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("id,atUtc,actor,method,route,path,entities,status,bodyTruncated,body", lines[0]);
            var row = Assert.Single(lines[1..]);
            Assert.Contains(",dispatcher,POST,/api/v1/fleets/{fleetId}/dispatch,", row, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(TestKeys.Reader)]
    [InlineData(TestKeys.Dispatcher)]
    [InlineData(TestKeys.Gateway)]
    public async Task Only_admin_keys_read_the_trail(string key)
    {
        using var client = fixture.ClientWithKey(key);

        await (await client.GetAsync("/api/v1/audit")).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Bad_query_parameters_are_refused_naming_each_field()
    {
        var response = await fixture.Client.GetAsync("/api/v1/audit?from=yesterday&limit=0&after=-1&entity=a%20b&format=xml");

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "from", "limit", "after", "entity", "format");
        await (await fixture.Client.GetAsync("/api/v1/audit?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z"))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "to");
    }

    [Fact]
    public async Task Pages_follow_each_other_without_overlap()
    {
        var fleetId = VppApiFixture.NewId("audit-page");
        using var trader = fixture.ClientWithKey(TestKeys.Dispatcher);
        for (var i = 0; i < 3; i++)
        {
            await trader.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 0}""");
        }

        await WaitForEntriesAsync($"entity={fleetId}", e => e.Count == 3);

        var first = await (await fixture.Client.GetAsync($"/api/v1/audit?entity={fleetId}&limit=2")).ExpectJsonAsync();
        var next = (long)first.Number("nextAfterId");
        var second = await (await fixture.Client.GetAsync($"/api/v1/audit?entity={fleetId}&limit=2&after={next}")).ExpectJsonAsync();

        Assert.Equal(2, first["entries"]!.AsArray().Count);
        var last = Assert.Single(second["entries"]!.AsArray());
        Assert.True(last.Number("id") > next);
        Assert.Null(second["nextAfterId"]);
    }

    private async Task<List<JsonNode>> WaitForEntriesAsync(string query, Func<List<JsonNode>, bool> condition) =>
        await Eventually.Until(
            async () =>
            {
                var page = await (await fixture.Client.GetAsync($"/api/v1/audit?{query}&limit=1000")).ExpectJsonAsync();
                return page["entries"]!.AsArray().Select(e => e!).ToList();
            },
            condition,
            $"audit entries for {query}");
}
