using System.Net;
using System.Text.Json.Nodes;

namespace Vpp.Cluster.Tests.Harness;

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

        using var connect = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connect.Token);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            // Only a refusal has a body that ends; an open stream's body would be read forever.
            throw new Xunit.Sdk.XunitException($"stream answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return new SseStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    public async Task<SseMessage> NextAsync(Func<SseMessage, bool> match, string what)
    {
        using var bound = new CancellationTokenSource(Eventually.DefaultBound);
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
