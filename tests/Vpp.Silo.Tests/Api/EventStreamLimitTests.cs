using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vpp.Silo.Tests.Security;

namespace Vpp.Silo.Tests.Api;

/// <summary>Server-Sent Event streams: at most Api:MaxEventStreamsPerKey open per key, and all of them end when the host stops.</summary>
public sealed class EventStreamLimitTests
{
    [Fact]
    public async Task A_key_gets_429_beyond_its_open_streams_and_every_stream_ends_cleanly_when_the_host_stops()
    {
        var settings = TestKeys.Settings();
        settings["Api:MaxEventStreamsPerKey"] = "2";
        await using var silo = await OwnSilo.StartAsync(settings);
        using var admin = silo.ClientWithKey(TestKeys.Everything);
        using var reader = silo.ClientWithKey(TestKeys.Reader);
        var fleetId = VppApiFixture.NewId("fleet");
        await admin.RegisterAsync(VppApiFixture.NewId("bat"), Specs.Battery(fleetId));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var open = new List<(HttpResponseMessage Response, StreamReader Body)>();
        try
        {
            foreach (var (client, path) in new[] { (reader, "events/stream"), (reader, "output/stream"), (admin, "events/stream") })
            {
                var response = await client.SendAsync(
                    new HttpRequestMessage(HttpMethod.Get, $"/api/v1/fleets/{fleetId}/{path}"), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var body = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
                Assert.Equal("retry: 3000", await body.ReadLineAsync(timeout.Token));
                open.Add((response, body));
            }

            // The reader key holds both its streams, whichever kind: a third of either kind is refused.
            await (await reader.GetAsync($"/api/v1/fleets/{fleetId}/events/stream", timeout.Token)).ExpectProblemAsync(HttpStatusCode.TooManyRequests);
            await (await reader.GetAsync($"/api/v1/fleets/{fleetId}/output/stream", timeout.Token)).ExpectProblemAsync(HttpStatusCode.TooManyRequests);

            silo.Factory.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

            // Each stream completes (end of body) instead of hanging until the client gives up.
            foreach (var (_, body) in open)
            {
                await body.ReadToEndAsync(timeout.Token);
            }
        }
        finally
        {
            foreach (var (response, body) in open)
            {
                body.Dispose();
                response.Dispose();
            }
        }
    }
}
