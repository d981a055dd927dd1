using System.Net;
using System.Text.Json.Nodes;

namespace Vpp.Silo.Tests.Api;

/// <summary>The fleet's measured output and output history over HTTP: GET /output and the /output/stream SSE feed.</summary>
[Collection(VppApiCollection.Name)]
public sealed class OutputEndpointsTests(VppApiFixture fixture)
{
    private static readonly string[] MeasuredFields = ["measuredKw", "measuredAt", "measuredCount", "staleCount"];

    private HttpClient Client => fixture.Client;

    /// <summary>The fleet view without its measured output, which changes by itself as measurements go stale.</summary>
    public static JsonNode WithoutMeasurement(JsonNode fleet)
    {
        var copy = fleet.DeepClone().AsObject();
        foreach (var field in MeasuredFields)
        {
            copy.Remove(field);
        }

        return copy;
    }

    private async Task<string> MeasuredFleetAsync(params double[] measuredKw)
    {
        var fleetId = VppApiFixture.NewId("out");
        foreach (var kw in measuredKw)
        {
            var assetId = VppApiFixture.NewId("bat");
            await Client.RegisterAsync(assetId, Specs.Battery(fleetId));
            await Client.TelemetryAsync(assetId, $$"""{"activePowerKw": {{kw}}, "stateOfChargePercent": 50}""");
        }

        return fleetId;
    }

    [Fact]
    public async Task The_fleet_view_shows_the_sum_of_measured_active_power()
    {
        var fleetId = await MeasuredFleetAsync(12.5, -2.5);

        var fleet = await Client.WaitForFleetAsync(fleetId, f => f.Has("measuredKw") && Steps.Near(f.Number("measuredKw"), 10), "10 kW measured");

        Assert.Equal(2, fleet.Number("measuredCount"));
        Assert.Equal(0, fleet.Number("staleCount"));
        Assert.EndsWith("Z", fleet.Text("measuredAt"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_answers_samples_oldest_first_with_target_allocated_and_measured_output()
    {
        var fleetId = await MeasuredFleetAsync(30);
        await Client.WaitForFleetAsync(fleetId, f => f.Has("measuredKw") && f.Number("onlineCount") == 1, "the battery online and measured");
        await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 40}""")).ExpectJsonAsync();

        var output = await Eventually.Until(
            async () => await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/output?minutes=5")).ExpectJsonAsync(),
            o => o["samples"]!.AsArray().Any(s => s!["targetKw"] is not null),
            "a sample taken after the dispatch");

        Assert.Equal(fleetId, output.Text("fleetId"));
        var samples = output["samples"]!.AsArray();
        var instants = samples.Select(s => DateTimeOffset.Parse(s.Text("at"), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(instants.Order(), instants);
        Assert.All(samples, s =>
        {
            Assert.EndsWith("Z", s.Text("at"), StringComparison.Ordinal);
            var fields = s!.AsObject().Select(p => p.Key).Order();
            Assert.Equal(["allocatedKw", "at", "measuredKw", "targetKw"], fields);
        });

        var newest = samples[^1]!;
        Assert.Equal(40, newest.Number("targetKw"));
        Assert.Equal(40, newest.Number("allocatedKw"), 3);
        Assert.Equal(30, newest.Number("measuredKw"));
    }

    [Fact]
    public async Task Output_of_a_fleet_never_measured_has_null_measured_and_target_values()
    {
        var fleetId = VppApiFixture.NewId("quiet");
        await Client.RegisterAsync(VppApiFixture.NewId("bat"), Specs.Battery(fleetId));

        var output = await Eventually.Until(
            async () => await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/output")).ExpectJsonAsync(),
            o => o["samples"]!.AsArray().Count > 0,
            "a first sample");

        var sample = output["samples"]![0]!.AsObject();
        Assert.True(sample.ContainsKey("measuredKw") && sample["measuredKw"] is null, sample.ToJsonString());
        Assert.True(sample.ContainsKey("targetKw") && sample["targetKw"] is null, sample.ToJsonString());
    }

    [Fact]
    public async Task Output_of_an_unknown_fleet_is_404()
    {
        var fleetId = VppApiFixture.NewId("nofleet");

        await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/output")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/output/stream")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_stream_sends_each_new_sample_as_a_sample_event_and_ends_when_the_client_leaves()
    {
        var fleetId = await MeasuredFleetAsync(7);
        await Client.WaitForFleetAsync(fleetId, f => f.Has("measuredKw"), "the battery measured");

        // Bounded: the whole read gives up after the default bound, and the response is disposed whatever happens.
        using var timeout = new CancellationTokenSource(Eventually.DefaultBound);
        var samples = new List<JsonNode>();
        using (var response = await Client.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, $"/api/v1/fleets/{fleetId}/output/stream"),
            HttpCompletionOption.ResponseHeadersRead,
            timeout.Token))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
            string? eventName = null;
            for (var lines = 0; samples.Count < 2 && lines < 200; lines++)
            {
                var line = await reader.ReadLineAsync(timeout.Token) ?? throw new Xunit.Sdk.XunitException("the stream ended early");
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    eventName = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    Assert.Equal("sample", eventName);
                    samples.Add(JsonNode.Parse(line["data: ".Length..])!);
                }
            }
        }

        Assert.Equal(2, samples.Count);
        var first = DateTimeOffset.Parse(samples[0].Text("at"), System.Globalization.CultureInfo.InvariantCulture);
        var second = DateTimeOffset.Parse(samples[1].Text("at"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(second > first, $"samples must be new each time: {first:O} then {second:O}");
        Assert.All(samples, s => Assert.True(s.Has("measuredKw") && s.Has("targetKw") && s.Has("allocatedKw"), s.ToJsonString()));

        // The server is none the worse for the client leaving mid-stream.
        await (await Client.GetAsync($"/api/v1/fleets/{fleetId}/output?minutes=1")).ExpectJsonAsync();
    }
}
