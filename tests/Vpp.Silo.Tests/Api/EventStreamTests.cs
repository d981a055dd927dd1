using System.Net;
using System.Text.Json.Nodes;

namespace Vpp.Silo.Tests.Api;

/// <summary>GET /api/v1/fleets/{fleetId}/events/stream through the real pipeline: Server-Sent Events as they happen.</summary>
[Collection(VppApiCollection.Name)]
public sealed class EventStreamTests(VppApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task A_dispatch_arrives_on_the_stream_as_an_event_with_its_kind_and_sequence_id()
    {
        var fleetId = await OnlineFleetAsync();
        await using var stream = await SseStream.OpenAsync(Client, fleetId);
        Assert.Equal("text/event-stream", stream.ContentType);

        var dispatch = await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 40}""")).ExpectJsonAsync();

        var message = await stream.NextAsync(m => m.Event == "dispatch", "the dispatch event");
        Assert.Equal(dispatch.Text("dispatchId"), message.Data.Text("dispatchId"));
        Assert.Equal(message.Data.Number("sequence").ToString(System.Globalization.CultureInfo.InvariantCulture), message.Id);
        Assert.Equal("dispatch", message.Data.Text("kind"));
        Assert.Equal(40, message.Data.Number("targetKw"));
    }

    [Fact]
    public async Task An_idle_stream_sends_keep_alive_comments()
    {
        var fleetId = await OnlineFleetAsync();
        await using var stream = await SseStream.OpenAsync(Client, fleetId);

        await stream.NextAsync(m => m.Comment == "keep-alive", "a keep-alive comment");
    }

    [Fact]
    public async Task A_reconnecting_client_resumes_after_its_last_event_id()
    {
        var fleetId = await OnlineFleetAsync();
        for (var target = 10; target <= 30; target += 10)
        {
            await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", $$"""{"targetKw": {{target}}}""")).ExpectJsonAsync();
        }

        var dispatches = (await Client.GetEventsAsync(fleetId)).Where(e => e.Text("kind") == "dispatch").Reverse().ToList();
        var firstSequence = dispatches[0].Number("sequence");
        await using var stream = await SseStream.OpenAsync(Client, fleetId, lastEventId: (long)firstSequence);

        var resumed = await stream.NextAsync(m => m.Event == "dispatch" && m.Data.Number("targetKw") == 30, "the third dispatch");
        var replayed = stream.Seen.Where(m => m.Event == "dispatch").Select(m => m.Data.Number("targetKw")).ToList();
        Assert.Equal([20d, 30d], replayed);
        Assert.NotNull(resumed);
    }

    [Fact]
    public async Task Streams_of_unknown_fleets_and_malformed_last_event_ids_are_refused_as_problems()
    {
        var unknown = await Client.GetAsync($"/api/v1/fleets/{VppApiFixture.NewId("nofleet")}/events/stream");
        await unknown.ExpectProblemAsync(HttpStatusCode.NotFound);

        var fleetId = await OnlineFleetAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/fleets/{fleetId}/events/stream");
        request.Headers.Add("Last-Event-ID", "yesterday");
        await (await Client.SendAsync(request)).ExpectProblemAsync(HttpStatusCode.BadRequest, "Last-Event-ID");

        await (await Client.GetAsync("/api/v1/fleets/12345/events/stream")).ExpectProblemAsync(HttpStatusCode.BadRequest, "fleetId");
    }

    private async Task<string> OnlineFleetAsync()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        await Client.OnlineBatteryAsync(VppApiFixture.NewId("bat"), fleetId);
        await Client.WaitForOnlineAsync(fleetId, 1, 100);
        return fleetId;
    }
}

/// <summary>One Server-Sent Events message: a comment, or an event with its id, kind and JSON data.</summary>
public sealed record SseMessage(string? Id, string? Event, JsonNode? Data, string? Comment);

/// <summary>Reads a text/event-stream response message by message, failing after a bound instead of hanging.</summary>
public sealed class SseStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

    public List<SseMessage> Seen { get; } = [];

    public static async Task<SseStream> OpenAsync(HttpClient client, string fleetId, long? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/fleets/{fleetId}/events/stream");
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"stream answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return new SseStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    public async Task<SseMessage> NextAsync(Func<SseMessage, bool> match, string what)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            while (true)
            {
                var message = await ReadMessageAsync(bound.Token)
                    ?? throw new Xunit.Sdk.XunitException($"the stream ended before {what}");
                Seen.Add(message);
                if (match(message))
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}; seen: {string.Join(" | ", Seen)}");
        }
    }

    private async Task<SseMessage?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        string? id = null, kind = null, data = null, comment = null;
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (id is null && kind is null && data is null && comment is null)
                {
                    continue;
                }

                return new SseMessage(id, kind, data is null ? null : JsonNode.Parse(data), comment);
            }

            if (line.StartsWith(':'))
            {
                comment = line[1..].Trim();
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                kind = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }

        return null;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose(); // the client goes away: the server ends the stream and unsubscribes
        return ValueTask.CompletedTask;
    }
}
