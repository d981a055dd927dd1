using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Vpp.Silo.Tests.Api;

/// <summary>Settlement over HTTP: JSON with unknown values as explicit nulls, and the CSV export both ways.</summary>
[Collection(VppApiCollection.Name)]
public sealed class SettlementEndpointsTests(VppApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    private static string Instant(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    /// <summary>A battery that reported 36 kW three times 10 s apart: 2 × 10 s × 36 kW = 720 kWs = 0.2 kWh metered.</summary>
    private async Task<(string FleetId, string Range)> MeteredFleetAsync()
    {
        var fleetId = VppApiFixture.NewId("stl");
        var assetId = VppApiFixture.NewId("b");
        await Client.RegisterAsync(assetId, Specs.Battery(fleetId));
        var now = DateTimeOffset.UtcNow;
        foreach (var secondsAgo in new[] { 30, 20, 10 })
        {
            var at = now.AddSeconds(-secondsAgo).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            await Client.TelemetryAsync(assetId, $$"""{"timestamp": "{{at}}", "activePowerKw": 36, "stateOfChargePercent": 50}""");
        }

        return (fleetId, $"from={Instant(now.AddHours(-1))}&to={Instant(now.AddMinutes(15))}");
    }

    [Fact]
    public async Task Settlement_answers_every_slot_with_metered_energy_and_unknown_deviation_as_null()
    {
        var (fleetId, range) = await MeteredFleetAsync();

        var settlement = await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/settlement?{range}")).ExpectJsonAsync();

        Assert.Equal(fleetId, settlement.Text("fleetId"));
        var slots = settlement["slots"]!.AsArray();
        Assert.InRange(slots.Count, 5, 6); // an hour and a quarter, widened to whole slots
        Assert.Equal(0.2, slots.Sum(s => s.Number("deliveredKwh")), 6);
        Assert.All(slots, s => Assert.Equal(0, s.Number("requestedKwh")));
        var metered = slots.Where(s => s.Number("deliveredKwh") > 0).ToList();
        Assert.NotEmpty(metered);
        Assert.All(metered, s =>
        {
            // The asset reported for seconds of the slot: the rest is unknown, so the deviation is unknown — null, not 0.
            Assert.False(s!["complete"]!.GetValue<bool>());
            Assert.True(s.AsObject().ContainsKey("deviationKwh") && s["deviationKwh"] is null, s.ToJsonString());
            var asset = Assert.Single(s["assets"]!.AsArray())!;
            Assert.True(asset.Number("unknownSeconds") > 0);
            Assert.Single(s["assetsWithGaps"]!.AsArray());
        });
    }

    [Fact]
    public async Task Settlement_exports_csv_by_accept_header_and_by_csv_path()
    {
        var (fleetId, range) = await MeteredFleetAsync();

        var byPath = await Client.GetAsync($"/api/v1/fleets/{fleetId}/settlement.csv?{range}");
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/fleets/{fleetId}/settlement?{range}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var byAccept = await Client.SendAsync(request);

        foreach (var response in new[] { byPath, byAccept })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
            var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(Vpp.Domain.Settlement.SettlementCsv.Header, lines[0]);
            var fleetRows = lines.Skip(1).Select(l => l.Split(',')).Where(cells => cells[2].Length == 0).ToList();
            Assert.Equal(0.2, fleetRows.Sum(cells => double.Parse(cells[4], CultureInfo.InvariantCulture)), 6);
        }
    }

    [Fact]
    public async Task Settlement_totals_answer_the_fleet_figures_without_asset_rows_as_json_and_csv()
    {
        var (fleetId, range) = await MeteredFleetAsync();

        var totals = await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/settlement?{range}&assets=none")).ExpectJsonAsync();
        var slots = totals["slots"]!.AsArray();
        Assert.Equal(0.2, slots.Sum(s => s.Number("deliveredKwh")), 6);
        Assert.All(slots, s => Assert.Empty(s!["assets"]!.AsArray()));
        var metered = slots.Where(s => s.Number("deliveredKwh") > 0).ToList();
        Assert.NotEmpty(metered);
        Assert.All(metered, s =>
        {
            Assert.Equal((1, 1), ((int)s.Number("assetCount"), (int)s.Number("assetsWithGapsCount")));
            Assert.True(s!["deviationKwh"] is null, s.ToJsonString()); // a gap: unknown, not 0
        });

        var csv = await Client.GetAsync($"/api/v1/fleets/{fleetId}/settlement.csv?{range}&assets=none");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var rows = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(slots.Count, rows.Count); // fleet rows only
        Assert.All(rows, cells => Assert.Empty(cells[2]));
        Assert.Equal(0.2, rows.Sum(cells => double.Parse(cells[4], CultureInfo.InvariantCulture)), 6);

        var problem = await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/settlement?{range}&assets=some")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("assets"), problem.ToJsonString());
    }

    [Fact]
    public async Task Settlement_of_an_unknown_fleet_is_404()
    {
        var now = DateTimeOffset.UtcNow;
        var fleetId = VppApiFixture.NewId("nofleet");

        await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/settlement?from={Instant(now)}&to={Instant(now.AddHours(1))}"))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}
