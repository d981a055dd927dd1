using System.Globalization;
using System.Net;
using Vpp.Cluster.Tests.Harness;

namespace Vpp.Cluster.Tests;

/// <summary>
/// GET /api/v1/fleets/{fleetId}/events/stream as a non-.NET trading system uses it: Server-Sent Events over a real
/// socket from real silo processes, including a silo of the cluster dying while the stream is open.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class EventStreamTests(EventStreamTests.TwoSilos cluster) : IClassFixture<EventStreamTests.TwoSilos>
{
    private readonly SiloCluster _cluster = cluster.Cluster;

    /// <summary>Two silos for the whole class: starting processes is the slow part, and these tests kill none.</summary>
    public sealed class TwoSilos : IAsyncLifetime
    {
        public SiloCluster Cluster { get; } = SiloCluster.Create("sse");

        public Task InitializeAsync() => Cluster.StartAsync(2, StreamSettings);

        public async Task DisposeAsync() => await Cluster.DisposeAsync();
    }

    /// <summary>Short keep-alive and renewal, so idle streams and resubscription show within a test's patience.</summary>
    public static readonly IReadOnlyDictionary<string, string> StreamSettings = new Dictionary<string, string>
    {
        ["Api__EventStreamKeepAlive"] = "00:00:00.500",
        ["Api__EventStreamRefresh"] = "00:00:01",
    };

    [Fact]
    public async Task A_dispatch_arrives_on_the_stream_as_an_event_with_its_kind_and_sequence_id()
    {
        var http = _cluster[0].Http;
        var fleetId = await OnlineFleetAsync("dispatch");
        await using var stream = await SseStream.OpenAsync(http, fleetId);
        Assert.Equal("text/event-stream", stream.ContentType);

        var dispatch = await http.DispatchAsync(fleetId, 40);

        var message = await stream.NextAsync(m => m.Event == "dispatch", "the dispatch event");
        Assert.Equal((string?)dispatch["dispatchId"], (string?)message.Data!["dispatchId"]);
        Assert.Equal(((long)message.Data!["sequence"]!).ToString(CultureInfo.InvariantCulture), message.Id);
        Assert.Equal("dispatch", (string?)message.Data!["kind"]);
        Assert.Equal(40.0, (double)message.Data!["targetKw"]!);
    }

    [Fact]
    public async Task An_idle_stream_sends_keep_alive_comments()
    {
        var fleetId = await OnlineFleetAsync("idle");
        await using var stream = await SseStream.OpenAsync(_cluster[0].Http, fleetId);

        await stream.NextAsync(m => m.Comment == "keep-alive", "a keep-alive comment");
    }

    [Fact]
    public async Task A_reconnecting_client_resumes_after_its_last_event_id()
    {
        var http = _cluster[0].Http;
        var fleetId = await OnlineFleetAsync("resume");
        foreach (var target in new[] { 10.0, 20.0, 30.0 })
        {
            await http.DispatchAsync(fleetId, target);
        }

        var dispatches = (await http.GetEventsAsync(fleetId)).Where(e => (string?)e!["kind"] == "dispatch").Reverse().ToList();
        var firstSequence = (long)dispatches[0]!["sequence"]!;

        // Through the other silo: where a client reconnects must not matter.
        await using var stream = await SseStream.OpenAsync(_cluster[1].Http, fleetId, lastEventId: firstSequence);

        await stream.NextAsync(m => m.Event == "dispatch" && (double)m.Data!["targetKw"]! == 30, "the third dispatch");
        var replayed = stream.Seen.Where(m => m.Event == "dispatch").Select(m => (double)m.Data!["targetKw"]!).ToList();
        Assert.Equal([20.0, 30.0], replayed);
    }

    [Fact]
    public async Task Unknown_fleets_malformed_last_event_ids_and_missing_keys_are_refused_as_problems()
    {
        var http = _cluster[0].Http;
        using var unknown = await http.GetAsync("/api/v1/fleets/no-such-fleet/events/stream");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        var fleetId = await OnlineFleetAsync("refuse");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/fleets/{fleetId}/events/stream");
        request.Headers.Add("Last-Event-ID", "yesterday");
        using var malformed = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("Last-Event-ID", await malformed.Content.ReadAsStringAsync());

        using var anonymous = new HttpClient { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var refused = await anonymous.GetAsync($"/api/v1/fleets/{fleetId}/events/stream");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    internal static async Task<bool> TryDispatchAsync(HttpClient http, string fleetId, double targetKw)
    {
        using var response = await http.PostAsync(
            $"/api/v1/fleets/{fleetId}/dispatch?setpoints=false",
            new StringContent($$"""{"targetKw": {{targetKw}}}""", System.Text.Encoding.UTF8, "application/json"));
        return response.StatusCode == HttpStatusCode.OK;
    }

    private Task<string> OnlineFleetAsync(string label) => OnlineFleetAsync(_cluster[0].Http, label);

    internal static async Task<string> OnlineFleetAsync(HttpClient http, string label)
    {
        var fleetId = $"sse-{label}-fleet";
        var assetId = $"sse-{label}-b1";
        await http.PutBatteryAsync(assetId, fleetId);
        await http.PostTelemetryAsync(assetId);
        await Eventually.Until(
            () => http.GetFleetAsync(fleetId), f => (int)f["onlineCount"]! == 1,
            "the battery online in its fleet", describe: f => f.ToJsonString());
        return fleetId;
    }
}

/// <summary>An open event stream while another silo of the cluster dies (own silos: this test kills one).</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class EventStreamFailoverTests : IAsyncLifetime
{
    private readonly SiloCluster _cluster = SiloCluster.Create("ssekill");

    public Task InitializeAsync() => _cluster.StartAsync(2, EventStreamTests.StreamSettings);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_stream_keeps_delivering_after_another_silo_of_the_cluster_is_killed()
    {
        var survivor = _cluster[0];
        var fleetId = await EventStreamTests.OnlineFleetAsync(survivor.Http, "kill");
        await using var stream = await SseStream.OpenAsync(survivor.Http, fleetId);
        await survivor.Http.DispatchAsync(fleetId, 25);
        await stream.NextAsync(m => m.Event == "dispatch" && (double)m.Data!["targetKw"]! == 25, "the dispatch before the kill");

        _cluster[1].Kill();

        // Whichever silo held the fleet, a dispatch through the survivor shows up on its open stream. If the fleet
        // lived on the killed silo, the stream first says it resubscribed (the SDK feed behind it noticed).
        await Eventually.Until(
            () => EventStreamTests.TryDispatchAsync(survivor.Http, fleetId, 35), ok => ok,
            "a dispatch through the surviving silo", TimeSpan.FromSeconds(60));
        await stream.NextAsync(m => m.Event == "dispatch" && (double)m.Data!["targetKw"]! == 35, "the dispatch after the kill");
        Assert.All(stream.Seen.Where(m => m.Event is not null), m => Assert.Contains(m.Event, new[] { "dispatch", "resubscribed", "assetStatus", "reallocation", "membership" }));
    }

}
