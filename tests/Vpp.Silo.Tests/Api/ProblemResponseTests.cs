using System.Net;
using System.Text.Json.Nodes;

namespace Vpp.Silo.Tests.Api;

/// <summary>
/// The error contract across the whole API: every refusal is application/problem+json carrying its status, and a
/// client's mistake is never a 500 — including the ones no endpoint handles itself (unknown routes, wrong methods).
/// </summary>
[Collection(VppApiCollection.Name)]
public sealed class ProblemResponseTests(VppApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Every_malformed_body_on_every_endpoint_answers_a_problem_and_never_500()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        var assetId = VppApiFixture.NewId("bat");
        await Client.OnlineBatteryAsync(assetId, fleetId);
        await Client.WaitForOnlineAsync(fleetId, count: 1, maxKw: 100);
        var endpoints = new[]
        {
            (HttpMethod.Put, $"/api/v1/assets/{assetId}"),
            (HttpMethod.Post, $"/api/v1/assets/{assetId}/telemetry"),
            (HttpMethod.Post, $"/api/v1/assets/{assetId}/status"),
            (HttpMethod.Post, $"/api/v1/fleets/{fleetId}/dispatch"),
        };
        var bodies = new (string? Body, string? ContentType, HttpStatusCode Status)[]
        {
            ("", "application/json", HttpStatusCode.BadRequest),
            ("{", "application/json", HttpStatusCode.BadRequest),
            ("}", "application/json", HttpStatusCode.BadRequest),
            ("null", "application/json", HttpStatusCode.BadRequest),
            ("true", "application/json", HttpStatusCode.BadRequest),
            ("\"text\"", "application/json", HttpStatusCode.BadRequest),
            ("[]", "application/json", HttpStatusCode.BadRequest),
            ("{\"x\": 1}", "application/json", HttpStatusCode.BadRequest),
            ("{\"\": 1}", "application/json", HttpStatusCode.BadRequest),
            ("{\"a\": " + new string('[', 100) + new string(']', 100) + "}", "application/json", HttpStatusCode.BadRequest),
            ("\uFEFF{", "application/json", HttpStatusCode.BadRequest),
            ("{}", "text/plain", HttpStatusCode.UnsupportedMediaType),
            ("{}", "application/octet-stream", HttpStatusCode.UnsupportedMediaType),
            ("{}", null, HttpStatusCode.UnsupportedMediaType),
            (null, null, HttpStatusCode.UnsupportedMediaType),
        };

        var failures = new List<string>();
        foreach (var (method, url) in endpoints)
        {
            foreach (var (body, contentType, status) in bodies)
            {
                var response = await Client.SendAsync(method, url, body, contentType);
                if (await ProblemFailureAsync(response, status) is { } failure)
                {
                    failures.Add($"{method} {url} [{contentType}] {Shorten(body)}: {failure}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal("online", (await Client.GetAssetAsync(assetId)).Text("status"));
        Assert.False((await Client.GetFleetAsync(fleetId)).Has("targetKw"));
    }

    [Theory]
    [InlineData("GET", "/api/v1/nothing-here", HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/v2/assets/x-1", HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/v1/assets", HttpStatusCode.NotFound)]
    [InlineData("PATCH", "/api/v1/assets/some-asset", HttpStatusCode.MethodNotAllowed)]
    [InlineData("POST", "/api/v1/assets/some-asset", HttpStatusCode.MethodNotAllowed)]
    [InlineData("PUT", "/api/v1/fleets/some-fleet", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "/api/v1/fleets/some-fleet/dispatch", HttpStatusCode.MethodNotAllowed)]
    public async Task Requests_no_endpoint_handles_answer_a_problem_with_their_status(string method, string url, HttpStatusCode status)
    {
        var response = await Client.SendAsync(new HttpMethod(method), url, method is "GET" ? null : "{}");

        await response.ExpectProblemAsync(status);
    }

    private static async Task<string?> ProblemFailureAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            return $"expected {(int)expected}, got {(int)response.StatusCode}: {text}";
        }

        if (response.Content.Headers.ContentType?.MediaType != HttpJson.ProblemJson)
        {
            return $"content type {response.Content.Headers.ContentType}: {text}";
        }

        try
        {
            return JsonNode.Parse(text)?["status"]?.GetValue<int>() == (int)expected ? null : $"problem without its status: {text}";
        }
        catch (System.Text.Json.JsonException)
        {
            return $"not JSON: {text}";
        }
    }

    private static string Shorten(string? body) => body is null ? "(no body)" : body.Length > 30 ? body[..30] + "…" : body;
}
