using System.Net;
using System.Text.Json.Nodes;
using Vpp.Silo.Tests.Api;

namespace Vpp.Silo.Tests.Security;

/// <summary>Browser security headers on every answer, generic refusals and health answers for anonymous callers.</summary>
[Collection(VppApiCollection.Name)]
public sealed class HttpHardeningTests(VppApiFixture fixture)
{
    [Theory]
    [InlineData("/api/v1/me", TestKeys.Everything, HttpStatusCode.OK)]
    [InlineData("/api/v1/me", null, HttpStatusCode.Unauthorized)]
    [InlineData("/api/v1/fleets/no-such-fleet-1", TestKeys.Everything, HttpStatusCode.NotFound)]
    [InlineData("/auth/signin", null, HttpStatusCode.OK)]
    [InlineData("/dashboard", null, HttpStatusCode.Redirect)]
    [InlineData("/health/ready", null, HttpStatusCode.OK)]
    [InlineData("/openapi/v1.json", null, HttpStatusCode.OK)]
    public async Task Every_answer_carries_the_browser_security_headers(string path, string? key, HttpStatusCode status)
    {
        using var client = fixture.ClientWithKey(key);

        var response = await client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task Anonymous_readiness_shows_statuses_only_and_a_read_key_sees_the_descriptions()
    {
        using var anonymous = fixture.ClientWithKey(null);

        var body = JsonNode.Parse(await (await anonymous.GetAsync("/health/ready")).Content.ReadAsStringAsync())!;
        var detailed = JsonNode.Parse(await (await fixture.Client.GetAsync("/health/ready")).Content.ReadAsStringAsync())!;

        Assert.Equal("Healthy", body["checks"]!["storage"]!["status"]!.GetValue<string>());
        Assert.Null(body["checks"]!["storage"]!["description"]);
        Assert.Null(body["checks"]!["silo"]!["description"]);
        Assert.Equal("grain storage answers", detailed["checks"]!["storage"]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_dashboard_answers_an_unknown_key_and_a_key_that_may_not_open_it_alike()
    {
        var answers = new List<(HttpStatusCode Status, string Body)>();
        foreach (var key in new[] { "not-a-key-not-a-key-0001", TestKeys.Gateway, TestKeys.Scoped })
        {
            using var client = fixture.ClientWithKey(key);
            var response = await client.GetAsync("/dashboard/");
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a.Status));
        Assert.Single(answers.Select(a => JsonNode.Parse(a.Body)!["detail"]!.GetValue<string>()).Distinct());
    }
}
