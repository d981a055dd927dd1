using System.Net;

namespace Vpp.Silo.Tests.Api;

/// <summary>
/// Ids in the path are 1–64 characters of [A-Za-z0-9._-] with at least one non-digit (an all-digit key would address
/// another grain): every endpoint refuses anything else with 400 naming the id, before any grain is touched.
/// </summary>
[Collection(VppApiCollection.Name)]
public sealed class IdRefusalTests(VppApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    /// <summary>Ids as they appear in the URL (percent-encoded where needed).</summary>
    public static TheoryData<string> BadIds =>
    [
        "12345",                  // all digits
        "0",
        "a" + new string('x', 64), // 65 characters
        "a%20b",                  // "a b"
        "a%2Fb",                  // an encoded slash
        "a%3Ab",                  // "a:b"
        "caf%C3%A9",              // "café": letters, but not ASCII
        "a~b",
    ];

    public static TheoryData<string, string, string?> Endpoints => new()
    {
        { "GET", "/api/v1/assets/{id}", null },
        { "PUT", "/api/v1/assets/{id}", """{"fleetId": "ok-fleet", "kind": "solar", "minPowerKw": 0, "maxPowerKw": 10}""" },
        { "POST", "/api/v1/assets/{id}/telemetry", """{"activePowerKw": 1}""" },
        { "POST", "/api/v1/assets/{id}/status", """{"status": "online"}""" },
        { "GET", "/api/v1/fleets/{id}", null },
        { "POST", "/api/v1/fleets/{id}/dispatch", """{"targetKw": 1}""" },
        { "GET", "/api/v1/fleets/{id}/events?limit=5", null },
    };

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task Put_of_an_asset_with_a_malformed_id_is_refused_400_naming_assetId_and_registers_nothing(string encodedId)
    {
        var fleetId = VppApiFixture.NewId("fleet");

        var response = await Client.PutJsonAsync($"/api/v1/assets/{encodedId}", Specs.Solar(fleetId));

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "assetId");
        await (await Client.GetAsync($"/api/v1/fleets/{fleetId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task Get_of_an_asset_with_a_malformed_id_is_refused_400_naming_assetId(string encodedId)
    {
        await (await Client.GetAsync($"/api/v1/assets/{encodedId}")).ExpectProblemAsync(HttpStatusCode.BadRequest, "assetId");
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task Dispatch_to_a_fleet_with_a_malformed_id_is_refused_400_naming_fleetId(string encodedId)
    {
        var response = await Client.PostJsonAsync($"/api/v1/fleets/{encodedId}/dispatch", """{"targetKw": 1}""");

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "fleetId");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_endpoint_refuses_an_all_digit_id_with_400_naming_it(string method, string template, string? body)
    {
        var response = await Client.SendAsync(new HttpMethod(method), template.Replace("{id}", "12345", StringComparison.Ordinal), body);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, template.Contains("/assets/", StringComparison.Ordinal) ? "assetId" : "fleetId");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_endpoint_refuses_a_65_character_id_with_400_naming_it(string method, string template, string? body)
    {
        var id = "a" + new string('7', 64);

        var response = await Client.SendAsync(new HttpMethod(method), template.Replace("{id}", id, StringComparison.Ordinal), body);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, template.Contains("/assets/", StringComparison.Ordinal) ? "assetId" : "fleetId");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_endpoint_refuses_an_id_with_an_encoded_slash_or_space_with_400_naming_it(string method, string template, string? body)
    {
        var field = template.Contains("/assets/", StringComparison.Ordinal) ? "assetId" : "fleetId";
        foreach (var id in new[] { "a%2Fb", "a%20b" })
        {
            var response = await Client.SendAsync(new HttpMethod(method), template.Replace("{id}", id, StringComparison.Ordinal), body);

            await response.ExpectProblemAsync(HttpStatusCode.BadRequest, field);
        }
    }

    [Fact]
    public async Task An_id_of_64_characters_with_dots_dashes_and_underscores_is_accepted()
    {
        var assetId = ("A.b_c-" + Guid.NewGuid().ToString("N") + new string('9', 64))[..64];

        var view = await (await Client.PutJsonAsync($"/api/v1/assets/{assetId}", Specs.Solar(VppApiFixture.NewId("fleet")))).ExpectJsonAsync();

        Assert.Equal(assetId, view.Text("assetId"));
        Assert.Equal(assetId, (await Client.GetAssetAsync(assetId)).Text("assetId"));
    }
}
