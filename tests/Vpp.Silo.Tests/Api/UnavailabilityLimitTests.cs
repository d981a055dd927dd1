using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Vpp.Silo.Tests.Api;

/// <summary>An asset holds at most Vpp:MaxUnavailabilitiesPerAsset (default 100) windows; ended ones make room first.</summary>
[Collection(VppApiCollection.Name)]
public sealed class UnavailabilityLimitTests(VppApiFixture fixture)
{
    private const int DefaultMaxWindows = 100;

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_full_asset_prunes_an_ended_window_first_then_refuses_409_naming_unavailabilities()
    {
        var assetId = VppApiFixture.NewId("bat");
        await fixture.Client.RegisterAsync(assetId, Specs.Battery(VppApiFixture.NewId("fleet")));
        var url = $"/api/v1/assets/{assetId}/unavailabilities";
        var start = new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero).AddDays(2);
        var ended = await (await fixture.Client.PostJsonAsync(url, $$"""{"from": "{{Iso(start.AddDays(-5))}}", "until": "{{Iso(start.AddDays(-4))}}", "kind": "unplanned"}"""))
            .ExpectJsonAsync(HttpStatusCode.Created);
        for (var i = 1; i < DefaultMaxWindows; i++)
        {
            var from = start.AddHours(i);
            await (await fixture.Client.PostJsonAsync(url, $$"""{"from": "{{Iso(from)}}", "until": "{{Iso(from.AddMinutes(30))}}", "kind": "planned"}"""))
                .ExpectJsonAsync(HttpStatusCode.Created);
        }

        var fits = await fixture.Client.PostJsonAsync(url, $$"""{"from": "{{Iso(start.AddDays(10))}}", "until": "{{Iso(start.AddDays(11))}}", "kind": "planned"}""");
        await fits.ExpectJsonAsync(HttpStatusCode.Created);
        var list = Assert.IsType<JsonArray>(await (await fixture.Client.GetAsync(url)).ExpectJsonAsync());
        Assert.Equal(DefaultMaxWindows, list.Count);
        Assert.DoesNotContain(list, w => w.Text("id") == ended.Text("id"));

        var refused = await fixture.Client.PostJsonAsync(url, $$"""{"from": "{{Iso(start.AddDays(20))}}", "until": "{{Iso(start.AddDays(21))}}", "kind": "planned"}""");

        var problem = await refused.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("unavailabilities", problem.Text("field"));
        Assert.Equal(DefaultMaxWindows, Assert.IsType<JsonArray>(await (await fixture.Client.GetAsync(url)).ExpectJsonAsync()).Count);
    }
}
