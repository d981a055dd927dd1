using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vpp.Silo.Tests.Api;

namespace Vpp.Silo.Tests.Security;

/// <summary>
/// Every API endpoint needs an X-Api-Key holding its role: no key or an unknown key is 401, a key without the role
/// is 403 (both problem documents), and a refused request changes nothing.
/// </summary>
[Collection(VppApiCollection.Name)]
public sealed class ApiKeyAuthenticationTests(VppApiFixture fixture)
{
    public static TheoryData<string, string> Endpoints => ApiEndpointTable.Rows();

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_request_without_a_key_is_refused_401_with_a_problem_and_an_authenticate_hint(string method, string template)
    {
        using var client = fixture.ClientWithKey(null);
        var (url, body) = ApiEndpointTable.Find(method, template).Fresh();

        var response = await client.SendAsync(new HttpMethod(method), url, body);

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", problem.Text("detail"), StringComparison.Ordinal);
        Assert.Equal("ApiKey header=\"X-Api-Key\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_request_with_an_unknown_key_is_refused_401(string method, string template)
    {
        var (url, body) = ApiEndpointTable.Find(method, template).Fresh();
        foreach (var wrongKey in new[] { "not-a-configured-key-at-all", TestKeys.Everything + "x", TestKeys.Everything.ToUpperInvariant(), " " })
        {
            using var client = fixture.ClientWithKey(wrongKey);

            var response = await client.SendAsync(new HttpMethod(method), url, body);

            var problem = await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
            if (wrongKey.Trim().Length > 0)
            {
                Assert.DoesNotContain(wrongKey, problem.ToJsonString(), StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_key_without_the_endpoints_role_is_refused_403_naming_the_role(string method, string template)
    {
        var endpoint = ApiEndpointTable.Find(method, template);
        foreach (var (role, key) in TestKeys.ByRole.Where(r => !endpoint.Roles.Contains(r.Key)))
        {
            using var client = fixture.ClientWithKey(key);
            var (url, body) = endpoint.Fresh();

            var response = await client.SendAsync(new HttpMethod(method), url, body);

            var problem = await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
            Assert.All(endpoint.Roles, needed => Assert.True(
                problem.Text("detail").Contains($"'{needed}'", StringComparison.Ordinal),
                $"a '{role}' key refused on {endpoint}: the problem does not name '{needed}': {problem.ToJsonString()}"));
        }
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_key_with_only_the_endpoints_role_gets_through(string method, string template)
    {
        var endpoint = ApiEndpointTable.Find(method, template);
        foreach (var role in endpoint.Roles)
        {
            using var client = fixture.ClientWithKey(TestKeys.ByRole[role]);
            var (url, body) = endpoint.Fresh();

            var response = await client.SendAsync(new HttpMethod(method), url, body);

            var status = (int)response.StatusCode;
            Assert.True(
                status is not (401 or 403 or 429) and < 500,
                $"{endpoint} with a '{role}' key answered {status}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task Registration_refused_for_want_of_a_key_or_role_registers_nothing()
    {
        var assetId = VppApiFixture.NewId("noauth");
        var fleetId = VppApiFixture.NewId("fleet");
        foreach (var key in new[] { null, "wrong-key-wrong-key-wrong", TestKeys.Reader, TestKeys.Gateway, TestKeys.Dispatcher })
        {
            using var client = fixture.ClientWithKey(key);
            var response = await client.PutJsonAsync($"/api/v1/assets/{assetId}", Specs.Solar(fleetId));
            Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{key}: {(int)response.StatusCode}");
        }

        await (await fixture.Client.GetAsync($"/api/v1/assets/{assetId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await fixture.Client.GetAsync($"/api/v1/fleets/{fleetId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Dispatch_refused_to_a_reader_leaves_the_fleet_without_a_target()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        await fixture.Client.OnlineBatteryAsync(VppApiFixture.NewId("bat"), fleetId);
        await fixture.Client.WaitForOnlineAsync(fleetId, count: 1, maxKw: 100);
        using var reader = fixture.ClientWithKey(TestKeys.Reader);

        var response = await reader.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 40}""");

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        var fleet = await reader.GetFleetAsync(fleetId);
        Assert.False(fleet.Has("targetKw"), $"the refused dispatch set a target: {fleet.ToJsonString()}");
    }

    [Fact]
    public async Task A_key_configured_only_by_its_hash_is_accepted()
    {
        using var client = fixture.ClientWithKey(TestKeys.Hashed);

        var response = await client.GetAsync($"/api/v1/fleets/{VppApiFixture.NewId("fleet")}");

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Two_key_headers_are_refused_401_even_when_one_is_valid()
    {
        using var client = fixture.ClientWithKey(null);
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/fleets/{VppApiFixture.NewId("fleet")}");
        request.Headers.Add("X-Api-Key", [TestKeys.Everything, "another-key-another-key-1"]);

        var response = await client.SendAsync(request);

        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void Every_api_endpoint_requires_an_authenticated_key_and_exactly_one_role_and_the_table_lists_them_all()
    {
        var endpoints = fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .ToList();
        Assert.NotEmpty(endpoints);

        var seen = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];
            var roles = endpoint.Metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToList();
            Assert.Empty(endpoint.Metadata.OfType<IAllowAnonymous>());
            var role = Assert.Single(roles);
            foreach (var method in methods)
            {
                var template = endpoint.RoutePattern.RawText!.TrimEnd('/');
                seen.Add($"{method} {template} {role}");
            }
        }

        Assert.Equal(
            ApiEndpointTable.All.Select(e => $"{e.Method} {e.Template} {e.Role}").Order(),
            seen.Order());
    }
}
