using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vpp.Silo.Tests.Api;

namespace Vpp.Silo.Tests.Security;

/// <summary>/openapi/v1.json describes every API endpoint (body, answers, the ApiKey scheme); it and the reference page need no key.</summary>
[Collection(VppApiCollection.Name)]
public sealed class OpenApiDocumentTests(VppApiFixture fixture)
{
    [Fact]
    public async Task The_document_lists_every_api_endpoint_the_host_serves()
    {
        var document = await DocumentAsync();
        var served = fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .Order()
            .ToList();

        var documented = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(op => $"{op.Key.ToUpperInvariant()} {p.Key}"))
            .Order()
            .ToList();

        Assert.True(served.Count >= ApiEndpointTable.All.Count, $"only {served.Count} API endpoints found");
        Assert.Equal(served, documented);
    }

    [Fact]
    public async Task Every_operation_names_its_role_requires_the_api_key_and_lists_its_answers()
    {
        var document = await DocumentAsync();
        var scheme = document["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal("apiKey", scheme.Text("type"));
        Assert.Equal("header", scheme.Text("in"));
        Assert.Equal("X-Api-Key", scheme.Text("name"));

        foreach (var endpoint in ApiEndpointTable.All)
        {
            var operation = document["paths"]![endpoint.Template]![endpoint.Method.ToLowerInvariant()];
            Assert.True(operation is not null, $"{endpoint} is not in the document");
            var security = Assert.IsType<JsonArray>(operation["security"]);
            Assert.True(security.Any(s => s is JsonObject o && o.ContainsKey("ApiKey")), $"{endpoint}: no ApiKey requirement");
            Assert.Equal(endpoint.Roles, Assert.IsType<JsonArray>(operation["x-required-roles"]).Select(r => r!.GetValue<string>()));
            var responses = operation["responses"]!.AsObject();
            foreach (var status in new[] { "400", "401", "403", "429" })
            {
                Assert.True(responses.ContainsKey(status), $"{endpoint} does not list {status}");
            }

            Assert.True(responses.Any(r => r.Key.StartsWith('2')), $"{endpoint} lists no success answer");
            if (endpoint.Body is not null)
            {
                Assert.True(operation["requestBody"]?["content"]?["application/json"]?["schema"] is not null, $"{endpoint} has no JSON body schema");
                Assert.True(responses.ContainsKey("413") && responses.ContainsKey("415"), $"{endpoint} does not list 413 and 415");
            }
        }
    }

    [Theory]
    [InlineData("AssetSpecRequest", "fleetId,kind,maxPowerKw,minPowerKw")]
    [InlineData("TelemetryRequest", "activePowerKw")]
    [InlineData("StatusRequest", "status")]
    [InlineData("DispatchHttpRequest", "targetKw")]
    public async Task Request_schemas_require_exactly_the_fields_the_api_requires(string schema, string required)
    {
        var document = await DocumentAsync();

        var listed = document["components"]!["schemas"]![schema]!["required"]!.AsArray().Select(n => n!.GetValue<string>()).Order();

        Assert.Equal(required.Split(','), listed);
    }

    [Fact]
    public async Task Enumerated_fields_list_their_values()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!;

        Assert.Equal(["battery", "solar", "wind", "flexibleLoad", "chp"], Values(schemas["AssetSpecRequest"]!["properties"]!["kind"]!));
        Assert.Equal(["online", "offline", "maintenance"], Values(schemas["StatusRequest"]!["properties"]!["status"]!));
        Assert.Equal(["meritOrder", "proRata"], Values(schemas["DispatchHttpRequest"]!["properties"]!["strategy"]!));
    }

    [Theory]
    [InlineData("/openapi/v1.json", "application/json")]
    [InlineData("/api/docs/", "text/html")]
    [InlineData("/health", "text/plain")]
    public async Task The_document_the_reference_page_and_health_need_no_key(string path, string mediaType)
    {
        using var client = fixture.ClientWithKey(null);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_reference_page_loads_the_document_and_its_script_from_this_silo()
    {
        using var client = fixture.ClientWithKey(null);

        var html = await client.GetStringAsync("/api/docs/");

        // Scalar resolves the document URL against the site root (/openapi/v1.json).
        Assert.Contains("\"url\":\"openapi/v1.json\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/docs/scalar.js")).StatusCode);
    }

    private static string[] Values(JsonNode property) => [.. property["enum"]!.AsArray().Select(n => n!.GetValue<string>())];

    private async Task<JsonNode> DocumentAsync()
    {
        using var client = fixture.ClientWithKey(null);
        return await (await client.GetAsync("/openapi/v1.json")).ExpectJsonAsync();
    }
}
