using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Vpp.Abstractions.Fleets;
using Vpp.Client.Errors;
using Vpp.Client.Events;

namespace Vpp.Silo.Api;

/// <summary>
/// GET /api/v1/fleets/{fleetId}/events/stream: the fleet's events as Server-Sent Events for trading systems that
/// are not .NET. Built on the SDK's <see cref="FleetEventFeed"/>, so it renews, resubscribes after a silo restart
/// (sending a "resubscribed" event) and fills gaps the same way; a reconnecting client's Last-Event-ID resumes
/// from the retained events.
/// </summary>
public static class EventStreamEndpoint
{
    public const string ContentType = "text/event-stream";

    public static RouteHandlerBuilder MapEventStream(this RouteGroupBuilder fleets) =>
        fleets.MapGet("/events/stream", StreamFleetAsync);

    private static Task<IResult> StreamFleetAsync(
        string fleetId, HttpContext http, IGrainFactory grains, IConfiguration config, ILoggerFactory loggers, IOptions<JsonOptions> json,
        EventStreamSlots slots, IHostApplicationLifetime lifetime) =>
        StreamAsync(fleetId, only: null, http, grains, config, loggers, json, slots, lifetime);

    /// <summary>
    /// The fleet's events as Server-Sent Events, only those <paramref name="only"/> keeps (all when null); a
    /// "resubscribed" event always passes, since it tells the client that events may have been missed.
    /// </summary>
    public static async Task<IResult> StreamAsync(
        string fleetId, Func<FleetEvent, bool>? only, HttpContext http, IGrainFactory grains, IConfiguration config, ILoggerFactory loggers,
        IOptions<JsonOptions> json, EventStreamSlots slots, IHostApplicationLifetime lifetime)
    {
        long? after = null;
        if (http.Request.Headers.TryGetValue("Last-Event-ID", out var lastEventId))
        {
            if (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return ApiProblems.Invalid("Last-Event-ID", "must be the id of an event received earlier (a whole number)");
            }

            after = parsed;
        }

        var settings = EventStreamSettings.From(config);
        if (slots.TryOpen(http.User) is not { } slot)
        {
            return slots.TooMany();
        }

        FleetEventFeed feed;
        try
        {
            feed = await FleetEventFeed.StartAsync(
                grains, fleetId, settings.RefreshInterval, loggers.CreateLogger(typeof(EventStreamEndpoint)), after, http.RequestAborted);
        }
        catch (VppNotFoundException missing)
        {
            slot.Dispose();
            return ApiProblems.NotFound(missing.Entity, missing.Id);
        }
        catch
        {
            slot.Dispose();
            throw;
        }

        return new EventStreamResult(feed, only, slot, settings.KeepAliveInterval, lifetime.ApplicationStopping, json.Value.SerializerOptions);
    }

    private sealed class EventStreamResult(
        FleetEventFeed feed, Func<FleetEvent, bool>? only, IDisposable slot, TimeSpan keepAlive, CancellationToken stopping, JsonSerializerOptions json) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            using var __ = slot;
            await using var _ = feed;

            // Ends when the client goes away or the server shuts down, whichever comes first: an open stream must
            // not hold a stopping silo until its shutdown timeout.
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
            var aborted = ended.Token;
            http.Response.ContentType = ContentType;
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers["X-Accel-Buffering"] = "no"; // proxies must pass each event on at once
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            try
            {
                await WriteAsync(http, $"retry: 3000\n: subscribed to fleet events\n\n", aborted);
                while (true)
                {
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                    wait.CancelAfter(keepAlive);
                    bool open;
                    try
                    {
                        open = await feed.Reader.WaitToReadAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                    {
                        // A comment line keeps proxies and load balancers from closing an idle stream.
                        await WriteAsync(http, ": keep-alive\n\n", aborted);
                        continue;
                    }

                    if (!open)
                    {
                        return;
                    }

                    var batch = new StringBuilder();
                    while (feed.Reader.TryRead(out var fleetEvent))
                    {
                        if (only is null || fleetEvent.Kind == FleetEventKinds.Resubscribed || only(fleetEvent))
                        {
                            Append(batch, fleetEvent);
                        }
                    }

                    if (batch.Length > 0)
                    {
                        await WriteAsync(http, batch.ToString(), aborted);
                    }
                }
            }
            catch (Exception ex) when (aborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
            {
                // The client went away or the server is stopping: disposing the feed ends the subscription.
            }
        }

        private void Append(StringBuilder text, FleetEvent fleetEvent) => text
            .Append("id: ").Append(fleetEvent.Sequence.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("event: ").Append(fleetEvent.Kind).Append('\n')
            .Append("data: ").Append(JsonSerializer.Serialize(fleetEvent, json)).Append("\n\n");

        private static async Task WriteAsync(HttpContext http, string text, CancellationToken cancellationToken)
        {
            await http.Response.WriteAsync(text, cancellationToken);
            await http.Response.Body.FlushAsync(cancellationToken);
        }
    }
}

/// <summary>Timing of the event stream, from the "Api" configuration section.</summary>
public sealed record EventStreamSettings(TimeSpan KeepAliveInterval, TimeSpan RefreshInterval)
{
    public static EventStreamSettings From(IConfiguration config) => new(
        Positive(config.GetValue("Api:EventStreamKeepAlive", TimeSpan.FromSeconds(15)), "Api:EventStreamKeepAlive"),
        Positive(config.GetValue("Api:EventStreamRefresh", TimeSpan.FromSeconds(5)), "Api:EventStreamRefresh"));

    private static TimeSpan Positive(TimeSpan value, string key) =>
        value > TimeSpan.Zero ? value : throw new InvalidOperationException($"{key} must be positive");
}
