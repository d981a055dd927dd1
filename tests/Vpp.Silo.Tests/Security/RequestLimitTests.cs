using System.Net;
using System.Text;
using Vpp.Silo.Tests.Api;

namespace Vpp.Silo.Tests.Security;

/// <summary>Per-key rate limits (429 with Retry-After) and the request body limit (413), both as problem documents.</summary>
[Collection(VppApiCollection.Name)]
public sealed class RequestLimitTests(VppApiFixture fixture)
{
    private const int DefaultBodyLimitBytes = 1024 * 1024;

    [Fact]
    public async Task A_key_over_its_rate_limit_is_refused_429_with_retry_after_while_other_keys_carry_on()
    {
        using var limited = fixture.ClientWithKey(TestKeys.Limited);
        using var reader = fixture.ClientWithKey(TestKeys.Reader);
        var url = $"/api/v1/fleets/{VppApiFixture.NewId("fleet")}";
        for (var i = 0; i < TestKeys.LimitedPermits; i++)
        {
            await (await limited.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);
        }

        var refused = await limited.GetAsync(url);

        var problem = await refused.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { } delta && delta >= TimeSpan.FromSeconds(1) && delta <= TimeSpan.FromHours(1), $"Retry-After: {refused.Headers.RetryAfter}");
        Assert.Equal((long)retryAfter!.Value.TotalSeconds, problem["retryAfterSeconds"]!.GetValue<long>());
        await (await reader.GetAsync(url)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("PUT", "/api/v1/assets/{assetId}")]
    [InlineData("POST", "/api/v1/assets/{assetId}/telemetry")]
    [InlineData("POST", "/api/v1/assets/{assetId}/status")]
    [InlineData("POST", "/api/v1/fleets/{fleetId}/dispatch")]
    public async Task A_body_over_one_megabyte_is_refused_413_with_a_problem(string method, string template)
    {
        var (url, _) = ApiEndpointTable.Find(method, template).Fresh();
        var oversized = "{\"reason\": \"" + new string('x', DefaultBodyLimitBytes) + "\"}";

        var response = await fixture.Client.SendAsync(new HttpMethod(method), url, oversized);

        var problem = await response.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(DefaultBodyLimitBytes, problem["limitBytes"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_oversized_body_sent_without_a_length_is_refused_413_too()
    {
        var assetId = VppApiFixture.NewId("chunked");
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"fleetId\": \"" + new string('f', DefaultBodyLimitBytes) + "\"}")));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/assets/{assetId}") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await fixture.Client.SendAsync(request);

        await response.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        await (await fixture.Client.GetAsync($"/api/v1/assets/{assetId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_body_just_under_the_limit_is_read_normally()
    {
        var assetId = VppApiFixture.NewId("padded");
        var spec = Specs.Solar(VppApiFixture.NewId("fleet")).ToJsonString();
        var padded = spec[..^1] + new string(' ', DefaultBodyLimitBytes - spec.Length) + "}";
        Assert.Equal(DefaultBodyLimitBytes, Encoding.UTF8.GetByteCount(padded));

        var response = await fixture.Client.PutJsonAsync($"/api/v1/assets/{assetId}", padded);

        Assert.Equal(assetId, (await response.ExpectJsonAsync()).Text("assetId"));
    }
}
