using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Vpp.Abstractions.Fleets;
using Vpp.Grains.Fleets;
using Vpp.Silo.Security;
using Vpp.Grains.Contracts;

namespace Vpp.Silo.Api;

/// <summary>One output sample on the wire; target and measured are written as null (not left out) when unknown.</summary>
public sealed record OutputSampleResponse(
    DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? TargetKw,
    double AllocatedKw,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? MeasuredKw)
{
    public static OutputSampleResponse From(OutputSample s) => new(s.At, s.TargetKw, s.AllocatedKw, s.MeasuredKw);
}

public sealed record FleetOutputResponse(string FleetId, IReadOnlyList<OutputSampleResponse> Samples)
{
    public static FleetOutputResponse From(FleetOutput o) => new(o.FleetId, [.. o.Samples.Select(OutputSampleResponse.From)]);
}

/// <summary>
/// GET /api/v1/fleets/{fleetId}/output (the last 1–60 minutes of target, allocated and measured output) and
/// /output/stream (each new sample as a Server-Sent Event "sample", for live charts).
/// </summary>
public static class OutputEndpoints
{
    /// <summary>Samples one stream write carries at most: a stalled client costs a bounded buffer, never a growing one.</summary>
    public const int MaxSamplesPerWrite = 30;

    public static void MapFleetOutput(this RouteGroupBuilder fleets)
    {
        fleets.MapGet("/output", GetOutputAsync)
            .RequireAuthorization(ApiRoles.Read)
            .WithName("GetFleetOutput")
            .WithSummary("The fleet's target, allocated and measured output over the last minutes, oldest first")
            .WithQueryParameter("minutes", JsonSchemaType.Integer, $"how far back, 1 to {FleetGrain.MaxOutputMinutes} (default {FleetGrain.MaxOutputMinutes})")
            .Produces<FleetOutputResponse>()
            .ProducesNotFound();
        fleets.MapGet("/output/stream", StreamAsync)
            .RequireAuthorization(ApiRoles.Read)
            .WithName("StreamFleetOutput")
            .WithSummary("Each new output sample of the fleet as a Server-Sent Event 'sample' (one every Api:OutputStreamInterval, default 2 s)")
            .Produces(StatusCodes.Status200OK, contentType: EventStreamEndpoint.ContentType)
            .ProducesNotFound()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    private static async Task<IResult> GetOutputAsync(string fleetId, HttpRequest request, IGrainFactory grains)
    {
        var minutes = FleetGrain.MaxOutputMinutes;
        if (request.Query.TryGetValue("minutes", out var raw)
            && (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out minutes) || minutes is < 1 or > FleetGrain.MaxOutputMinutes))
        {
            return ApiProblems.Invalid("minutes", $"must be a whole number from 1 to {FleetGrain.MaxOutputMinutes}");
        }

        var output = await TransientRetry.RunAsync(() => grains.GetGrain<IFleetGrain>(fleetId).GetOutputAsync(minutes));
        return Results.Ok(FleetOutputResponse.From(output));
    }

    private static async Task<IResult> StreamAsync(
        string fleetId, IGrainFactory grains, IConfiguration config, IHostApplicationLifetime lifetime, IOptions<JsonOptions> json, HttpContext http,
        EventStreamSlots slots)
    {
        var fleet = grains.GetGrain<IFleetInternal>(fleetId);

        // Asking first makes an unknown fleet a 404 before the stream starts (the grain throws NotFoundException).
        var newest = (await TransientRetry.RunAsync(() => fleet.GetOutputAsync(1))).Samples.LastOrDefault();
        var interval = config.GetValue("Api:OutputStreamInterval", TimeSpan.FromSeconds(2));
        if (interval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Api:OutputStreamInterval must be positive");
        }

        return slots.TryOpen(http.User) is { } slot
            ? new OutputStreamResult(fleet, slot, newest, interval, lifetime.ApplicationStopping, json.Value.SerializerOptions)
            : slots.TooMany();
    }

    private sealed class OutputStreamResult(
        IFleetInternal fleet, IDisposable slot, OutputSample? newest, TimeSpan interval, CancellationToken stopping, JsonSerializerOptions json) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            using var _ = slot;
            // Ends when the client goes away or the server shuts down, whichever comes first.
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
            var token = ended.Token;
            http.Response.ContentType = EventStreamEndpoint.ContentType;
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            try
            {
                var text = new StringBuilder("retry: 3000\n: fleet output samples\n\n");
                DateTimeOffset? lastAt = null;
                if (newest is not null)
                {
                    Append(text, newest);
                    lastAt = newest.At;
                }

                await WriteAsync(http, text.ToString(), token);
                using var timer = new PeriodicTimer(interval);
                while (await timer.WaitForNextTickAsync(token))
                {
                    var samples = await fleet.GetOutputAfterAsync(lastAt, MaxSamplesPerWrite);
                    text.Clear();
                    foreach (var sample in samples)
                    {
                        Append(text, sample);
                        lastAt = sample.At;
                    }

                    // A comment when nothing is new keeps proxies from closing the stream and detects a gone client.
                    await WriteAsync(http, text.Length > 0 ? text.ToString() : ": no new sample\n\n", token);
                }
            }
            catch (Exception ex) when (token.IsCancellationRequested && ex is OperationCanceledException or IOException)
            {
                // The client went away or the server is stopping: the stream simply ends.
            }
        }

        private void Append(StringBuilder text, OutputSample sample) => text
            .Append("event: sample\n")
            .Append("data: ").Append(JsonSerializer.Serialize(OutputSampleResponse.From(sample), json)).Append("\n\n");

        private static async Task WriteAsync(HttpContext http, string text, CancellationToken cancellationToken)
        {
            await http.Response.WriteAsync(text, cancellationToken);
            await http.Response.Body.FlushAsync(cancellationToken);
        }
    }
}
