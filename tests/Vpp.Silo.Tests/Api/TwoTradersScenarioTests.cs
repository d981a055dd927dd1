using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.VirtualBatteries;
using Vpp.Domain.Schedules;
using Vpp.Grains;

namespace Vpp.Silo.Tests.Api;

/// <summary>
/// Two traders against one fleet, through the real HTTP pipeline only: the real silo host (SQLite storage) whose grains
/// run on a fake clock, so the test walks through quarter hours. The fleet's two batteries (±50 kW, 200 kWh at 50 %,
/// round trip 88 %) answer telemetry with the setpoint they were given, as a real inverter would.
/// </summary>
public sealed class TwoTradersScenarioTests : IAsyncLifetime
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _clock;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vpp-two-traders-" + Guid.NewGuid().ToString("N"));
    private VppApiFactory _unstarted = null!;
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _operator = null!;

    public TwoTradersScenarioTests()
    {
        // One minute into a quarter hour, so the first slot (S1) begins in 14 min, after its re-validation 7 min before it.
        _clock = new FakeTimeProvider(QuarterHour.Floor(DateTimeOffset.UtcNow) + TimeSpan.FromMinutes(1));
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        var settings = VppApiFixture.SiloSettings(FreePort.Next(), FreePort.Next());
        settings["Storage:Provider"] = "Sqlite";
        settings["Storage:Sqlite:ConnectionString"] = $"Data Source={Path.Combine(_root, "vpp.db")}";
        settings["Vpp:MaxClockSkew"] = "01:00:00";
        // Boundaries come from the fake clock: timers look at it this often (production: exact, capped at 1 min).
        settings["Vpp:ClockRecheckInterval"] = "00:00:00.050";
        settings["Vpp:UnansweredRetryInterval"] = "00:00:00.200";
        // The assets report every 30 s (Step): their meters count what lies between two reports up to 40 s apart.
        settings["Vpp:MeasurementStaleAfter"] = "00:00:40";
        foreach (var (key, value) in TestKeys.Settings())
        {
            settings[key] = value;
        }

        _unstarted = new VppApiFactory(settings);
        _factory = _unstarted.WithWebHostBuilder(b => b.ConfigureTestServices(
            s => s.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, _clock)));
        _operator = _factory.ClientWithKey(TestKeys.Everything);
        await Eventually.Until(() => _operator.GetAsync("/health"), r => r.StatusCode == HttpStatusCode.OK, "the silo to report healthy", TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        _operator.Dispose();
        await _factory.DisposeAsync();
        await _unstarted.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    [Fact]
    public async Task Two_traders_trade_opposite_ways_on_one_fleet_are_netted_curtailed_pro_rata_after_an_outage_and_each_settled_for_its_own()
    {
        var fleetId = NewId("tt-fleet");
        var (a, b) = (NewId("tt-a"), NewId("tt-b"));
        foreach (var assetId in new[] { a, b })
        {
            await _operator.OnlineBatteryAsync(assetId, fleetId, maxKw: 50, minKw: -50);
        }

        await _operator.WaitForOnlineAsync(fleetId, 2, 100);
        var s1 = QuarterHour.Floor(_clock.GetUtcNow()) + QuarterHour.Length;
        var s2 = s1 + (2 * QuarterHour.Length); // the quarter hour between them is not traded: the outage begins in it

        // The operator sells trader A 30 kW / 60 kWh and trader B 60 kW / 120 kWh: the 90 kW that can be sliced.
        var (sliceA, sliceB) = (NewId("vb-a"), NewId("vb-b"));
        await PutSliceAsync(sliceA, TestKeys.TraderAId, fleetId, powerKw: 30, energyKwh: 60);
        await PutSliceAsync(sliceB, TestKeys.TraderBId, fleetId, powerKw: 60, energyKwh: 120);
        using var traderA = _factory.ClientWithKey(TestKeys.TraderA);
        using var traderB = _factory.ClientWithKey(TestKeys.TraderB);

        // A sells 5 kW while B buys 60 kW in S1 and S2; both are accepted, each through its own key only.
        await (await traderA.PutJsonAsync($"/api/v1/virtual-batteries/{sliceA}/schedule", Schedule(s1, 5, 0, 5))).ExpectJsonAsync();
        await (await traderB.PutJsonAsync($"/api/v1/virtual-batteries/{sliceB}/schedule", Schedule(s1, -60, 0, -60))).ExpectJsonAsync();
        await (await traderB.PutJsonAsync($"/api/v1/virtual-batteries/{sliceA}/schedule", Schedule(s1, -5))).ExpectProblemAsync(HttpStatusCode.NotFound);

        // Trader A sees its power and energy ahead as a time series: the energy its virtual SoC holds each way at the
        // start of each quarter hour, less from S2 on for what S1 sells.
        var etaOneWay = Math.Sqrt(0.88);
        var ahead = (await (await traderA.GetAsync($"/api/v1/virtual-batteries/{sliceA}")).ExpectJsonAsync())["nextSlots"]!.AsArray();
        Assert.All(ahead, q =>
        {
            Assert.Equal(q.Number("socStartPercent") / 100 * 60 * etaOneWay, q.Number("availableDischargeKwh"), 4);
            Assert.Equal((100 - q.Number("socStartPercent")) / 100 * 60 / etaOneWay, q.Number("availableChargeKwh"), 4);
        });
        var (aheadS1, aheadS2) = (Row(ahead, s1), Row(ahead, s2));
        Assert.Equal(30 * etaOneWay, aheadS1.Number("availableDischargeKwh"), 4);
        Assert.Equal((30 * etaOneWay) - 1.25, aheadS2.Number("availableDischargeKwh"), 4);
        Assert.Equal(5, aheadS1.Number("targetKw"));

        // S1: the fleet's base target is the net, -55 kW, which its two batteries deliver.
        await AdvanceToAsync(s1, [a, b], expectedFleetKw: -55);
        var inS1 = await _operator.WaitForFleetAsync(fleetId, f => Near(f, "baseTargetKw", -55), "fleet base target = 5 - 60 kW in S1");
        Assert.Equal(-55, inS1.Number("targetKw"), 6);

        // Trader A subscribes to its slice's events before the outage.
        using var streamTimeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        using var stream = await traderA.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, $"/api/v1/virtual-batteries/{sliceA}/events/stream"), HttpCompletionOption.ResponseHeadersRead, streamTimeout.Token);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(streamTimeout.Token));

        // Battery b fails at the end of S1 until well after S2: 50 kW of charging is left for the slices' -55 kW.
        await AdvanceToAsync(s1 + QuarterHour.Length, [a, b], expectedFleetKw: 0);
        var outage = new JsonObject
        {
            ["from"] = Iso(_clock.GetUtcNow()), ["until"] = Iso(s2 + TimeSpan.FromHours(1)), ["kind"] = "unplanned", ["reason"] = "inverter fault",
        };
        await (await _operator.PostJsonAsync($"/api/v1/assets/{b}/unavailabilities", outage)).ExpectJsonAsync(HttpStatusCode.Created);
        await _operator.WaitForFleetAsync(fleetId, f => f.Number("onlineCount") == 1, "battery b out");

        // Re-validation 7 min before S2 curtails both slices by the same share (5/55), told before delivery: one event
        // per trader, each on its own trader's events and not on the other's.
        await AdvanceToAsync(s2 - TimeSpan.FromMinutes(7) + Step, [a, b], expectedFleetKw: 0);
        var eventsA = await CurtailmentsAsync(traderA, sliceA);
        var eventsB = await CurtailmentsAsync(traderB, sliceB);
        const double Kept = 50 / 55.0;
        var curtailedA = Assert.Single(eventsA);
        var curtailedB = Assert.Single(eventsB);
        Assert.Equal((TestKeys.TraderAId, sliceA, CurtailmentReasons.FleetCapacity), (curtailedA.Text("traderId"), (string?)curtailedA["virtualBatteryIds"]![0], curtailedA.Text("status")));
        Assert.Equal((TestKeys.TraderBId, sliceB, CurtailmentReasons.FleetCapacity), (curtailedB.Text("traderId"), (string?)curtailedB["virtualBatteryIds"]![0], curtailedB.Text("status")));
        Assert.Equal(5 * Kept, curtailedA.Number("allocatedKw"), 3);
        Assert.Equal(-60 * Kept, curtailedB.Number("allocatedKw"), 3);
        Assert.All([curtailedA, curtailedB], e => Assert.True(DateTimeOffset.Parse(e.Text("at"), CultureInfo.InvariantCulture) < s2, "announced before delivery"));
        await (await traderA.GetAsync($"/api/v1/virtual-batteries/{sliceB}/events")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await traderB.GetAsync($"/api/v1/virtual-batteries/{sliceA}/events/stream")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var streamed = await NextDataAsync(reader, streamTimeout.Token, FleetEventKinds.SliceCurtailment);
        Assert.Equal((TestKeys.TraderAId, sliceA), (streamed.Text("traderId"), (string?)streamed["virtualBatteryIds"]![0]));

        // S2 is delivered curtailed: the fleet is asked for what its one battery can take, each slice for its share.
        await AdvanceToAsync(s2, [a, b], expectedFleetKw: -50);
        var viewA = await Eventually.Until(
            async () => await (await traderA.GetAsync($"/api/v1/virtual-batteries/{sliceA}")).ExpectJsonAsync(),
            v => v["curtailmentReason"] is not null, "slice A told its curtailed setpoint at S2");
        Assert.Equal((5, CurtailmentReasons.FleetCapacity), (viewA.Number("requestedKw"), viewA.Text("curtailmentReason")));
        Assert.Equal(5 * Kept, viewA.Number("setpointKw"), 6);
        await _operator.WaitForFleetAsync(fleetId, f => Near(f, "baseTargetKw", -50), "fleet base target -50 kW in S2");
        await AdvanceToAsync(s2 + QuarterHour.Length + (2 * Step), [a, b], expectedFleetKw: 0);

        // Each trader's settlement shows its own slots only: request, delivery (its share of what the fleet measured),
        // curtailment and why, and its virtual SoC (lossy: η_c = η_d = √0.88).
        var range = $"?from={Iso(s1)}&to={Iso(s2 + QuarterHour.Length)}";
        var settledA = await SettledAsync(traderA, $"/api/v1/virtual-batteries/{sliceA}/settlement{range}");
        var settledB = await SettledAsync(traderB, $"/api/v1/virtual-batteries/{sliceB}/settlement{range}");
        var (a1, a2) = (Row(settledA, s1), Row(settledA, s2));
        var (b1, b2) = (Row(settledB, s1), Row(settledB, s2));
        Assert.All(settledA["slots"]!.AsArray(), r => Assert.Equal(sliceA, r.Text("virtualBatteryId")));
        Assert.All(settledB["slots"]!.AsArray(), r => Assert.Equal(sliceB, r.Text("virtualBatteryId")));
        Assert.Equal((1.25, 0.0), (a1.Number("requestedKwh"), a1.Number("curtailedKwh")));
        Assert.Equal((-15, 0.0), (b1.Number("requestedKwh"), b1.Number("curtailedKwh")));
        Assert.InRange(a1.Number("deliveredKwh"), 1.25 - 0.01, 1.25 + 0.01);
        Assert.InRange(b1.Number("deliveredKwh"), -15 - 0.01, -15 + 0.01);
        Assert.Equal((1.25, CurtailmentReasons.FleetCapacity), (a2.Number("requestedKwh"), a2.Text("curtailmentReason")));
        Assert.Equal(1.25 * (1 - Kept), a2.Number("curtailedKwh"), 4);
        Assert.Equal(-15 * (1 - Kept), b2.Number("curtailedKwh"), 4);
        Assert.Equal(CurtailmentReasons.FleetCapacity, b2.Text("curtailmentReason"));
        Assert.InRange(a2.Number("deliveredKwh"), (1.25 * Kept) - 0.01, (1.25 * Kept) + 0.01);
        Assert.InRange(b2.Number("deliveredKwh"), (-15 * Kept) - 0.01, (-15 * Kept) + 0.01);
        Assert.Equal(a2.Number("deliveredKwh") - 1.25, a2.Number("deviationKwh"), 6);
        Assert.Equal(50 - (1.25 / etaOneWay / 60 * 100), a1.Number("socEndPercent"), 3);
        Assert.Equal(50 - ((1.25 + (1.25 * Kept)) / etaOneWay / 60 * 100), a2.Number("socEndPercent"), 3);
        Assert.Equal(50 + (15 * etaOneWay / 120 * 100), b1.Number("socEndPercent"), 3);
        Assert.Equal(50 + ((15 + (15 * Kept)) * etaOneWay / 120 * 100), b2.Number("socEndPercent"), 3);
        var totalA = Assert.Single(settledA["totals"]!.AsArray())!;
        Assert.Equal((TestKeys.TraderAId, 2.5), (totalA.Text("traderId"), totalA.Number("requestedKwh")));
        Assert.Equal(1.25 * (1 - Kept), totalA.Number("curtailedKwh"), 4);

        // The same as CSV, and the other trader's settlement is 404 in either form.
        var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/virtual-batteries/{sliceB}/settlement{range}");
        csvRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var csv = await traderB.SendAsync(csvRequest);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines[0].Split(',');
        var s2Line = lines.Skip(1).Select(l => l.Split(',')).Single(cells => DateTimeOffset.Parse(cells[Array.IndexOf(header, "start")], CultureInfo.InvariantCulture) == s2);
        Assert.Equal((sliceB, TestKeys.TraderBId, CurtailmentReasons.FleetCapacity), (s2Line[0], s2Line[1], s2Line[Array.IndexOf(header, "curtailmentReason")]));
        Assert.Equal(b2.Number("socEndPercent"), double.Parse(s2Line[Array.IndexOf(header, "socEndPercent")], CultureInfo.InvariantCulture), 4);
        await (await traderA.GetAsync($"/api/v1/virtual-batteries/{sliceB}/settlement{range}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await traderA.GetAsync($"/api/v1/virtual-batteries/{sliceB}/settlement.csv{range}")).ExpectProblemAsync(HttpStatusCode.NotFound);

        // Across slices, each trader's key totals only its own; the operator's totals both.
        var mine = await SettledAsync(traderA, $"/api/v1/virtual-batteries/settlement{range}");
        Assert.All(mine["slots"]!.AsArray(), r => Assert.Equal(TestKeys.TraderAId, r.Text("traderId")));
        var all = await SettledAsync(_operator, $"/api/v1/virtual-batteries/settlement{range}");
        Assert.Contains(all["totals"]!.AsArray(), t => t.Text("traderId") == TestKeys.TraderBId && Math.Abs(t.Number("requestedKwh") + 30) < 1e-6);

        // The same per-trader settlement as CSV: a totals row per trader equal to the JSON totals, no other trader's rows.
        var mineCsv = await CsvAsync(traderA, $"/api/v1/virtual-batteries/settlement.csv{range}");
        var allCsv = await CsvAsync(_operator, $"/api/v1/virtual-batteries/settlement.csv{range}");
        Assert.All(mineCsv, r => Assert.Equal(TestKeys.TraderAId, r["traderId"]));
        Assert.Equal(mine["slots"]!.AsArray().Count, mineCsv.Count(r => r["row"] == "slot"));
        AssertTotalsEqual(mine, mineCsv);
        AssertTotalsEqual(all, allCsv);
        Assert.Contains(allCsv, r => r["row"] == "total" && r["traderId"] == TestKeys.TraderBId);
    }

    /// <summary>The CSV's totals rows (row=total, no slice) carry the JSON answer's totals, one per trader.</summary>
    private static void AssertTotalsEqual(JsonNode json, IReadOnlyList<Dictionary<string, string>> csv)
    {
        var totals = csv.Where(r => r["row"] == "total").ToList();
        Assert.Equal(json["totals"]!.AsArray().Count, totals.Count);
        foreach (var expected in json["totals"]!.AsArray())
        {
            var row = Assert.Single(totals, r => r["traderId"] == expected.Text("traderId"));
            Assert.Equal("", row["virtualBatteryId"]);
            foreach (var field in new[] { "requestedKwh", "deliveredKwh", "deviationKwh", "curtailedKwh" })
            {
                Assert.Equal(expected.Number(field), double.Parse(row[field], CultureInfo.InvariantCulture), 5);
            }
        }
    }

    /// <summary>A CSV answer's lines below the header, each by column name.</summary>
    private static async Task<List<Dictionary<string, string>>> CsvAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second))];
    }

    /// <summary>
    /// Moves the grains' clock in steps to <paramref name="until"/>, each asset reporting the setpoint it holds. On a
    /// quarter-hour boundary it reports the old setpoint a second before, then waits for the assets to hold the new
    /// fleet target (<paramref name="expectedFleetKw"/>) before reporting, so the meters see the step where it happens.
    /// </summary>
    private async Task AdvanceToAsync(DateTimeOffset until, string[] assets, double expectedFleetKw)
    {
        for (var guard = 0; _clock.GetUtcNow() < until && guard < 1000; guard++)
        {
            var next = _clock.GetUtcNow() + Step;
            var boundary = QuarterHour.Floor(next) > _clock.GetUtcNow() ? QuarterHour.Floor(next) : (DateTimeOffset?)null;
            if (boundary is { } at && at <= until)
            {
                _clock.Advance(at - TimeSpan.FromSeconds(1) - _clock.GetUtcNow());
                await ReportSetpointsAsync(assets);
                _clock.Advance(TimeSpan.FromSeconds(1));
                if (at == until)
                {
                    await Eventually.Until(
                        async () => (await Task.WhenAll(assets.Select(id => _operator.GetAssetAsync(id)))).Sum(v => v["setpointKw"]?.GetValue<double>() ?? 0),
                        kw => Math.Abs(kw - expectedFleetKw) < 1e-3,
                        $"the assets to hold {expectedFleetKw} kW at {at:HH:mm}");
                }
            }
            else
            {
                _clock.Advance((next > until ? until : next) - _clock.GetUtcNow());
            }

            await ReportSetpointsAsync(assets);
        }
    }

    private async Task ReportSetpointsAsync(string[] assets)
    {
        foreach (var assetId in assets)
        {
            var kw = (await _operator.GetAssetAsync(assetId))["setpointKw"]?.GetValue<double>() ?? 0;
            await _operator.TelemetryAsync(assetId, string.Create(CultureInfo.InvariantCulture, $$"""{"activePowerKw": {{kw}}, "stateOfChargePercent": 50}"""));
        }
    }

    private async Task PutSliceAsync(string vbId, string traderId, string fleetId, double powerKw, double energyKwh)
    {
        var body = new JsonObject
        {
            ["traderId"] = traderId, ["fleetId"] = fleetId, ["powerKw"] = powerKw, ["energyKwh"] = energyKwh, ["initialSocPercent"] = 50,
        };
        await (await _operator.PutJsonAsync($"/api/v1/virtual-batteries/{vbId}", body)).ExpectJsonAsync();
    }

    /// <summary>The curtailment events a trader's key reads for its slice, once there is one.</summary>
    private static async Task<List<JsonNode>> CurtailmentsAsync(HttpClient trader, string vbId) =>
        await Eventually.Until(
            async () => (await (await trader.GetAsync($"/api/v1/virtual-batteries/{vbId}/events")).ExpectJsonAsync()).AsArray()
                .Select(e => e!).Where(e => e.Text("kind") == FleetEventKinds.SliceCurtailment).ToList(),
            events => events.Count > 0,
            $"a curtailment event for {vbId}");

    private static Task<JsonNode> SettledAsync(HttpClient client, string url) =>
        Eventually.Until(
            async () => await (await client.GetAsync(url)).ExpectJsonAsync(),
            s => s["slots"]!.AsArray() is { Count: > 0 } rows && rows.All(r => r!["deliveredKwh"] is not null),
            $"{url} settled with measured delivery");

    private static JsonNode Row(JsonNode settlement, DateTimeOffset start) => Row(settlement["slots"]!.AsArray(), start);

    private static JsonNode Row(JsonArray quarters, DateTimeOffset start) =>
        Assert.Single(quarters, r => DateTimeOffset.Parse(r.Text("start"), CultureInfo.InvariantCulture) == start)!;

    private static async Task<JsonNode> NextDataAsync(StreamReader reader, CancellationToken cancellation, string kind)
    {
        for (var lines = 0; lines < 500; lines++)
        {
            var line = await reader.ReadLineAsync(cancellation) ?? throw new Xunit.Sdk.XunitException("the stream ended early");
            if (line.StartsWith("data: ", StringComparison.Ordinal) && JsonNode.Parse(line["data: ".Length..]) is { } data && data.Text("kind") == kind)
            {
                return data;
            }
        }

        throw new Xunit.Sdk.XunitException($"no {kind} event on the stream");
    }

    private static string Schedule(DateTimeOffset start, params double[] slotsKw) =>
        new JsonObject { ["start"] = Iso(start), ["slots"] = new JsonArray([.. slotsKw.Select(kw => (JsonNode)new JsonObject { ["targetKw"] = kw })]) }.ToJsonString();

    private static bool Near(JsonNode fleet, string property, double kw) => fleet[property] is { } v && Math.Abs(v.GetValue<double>() - kw) < 1e-6;

    private static string Iso(DateTimeOffset t) => ApiTimes.Iso(t);
}
