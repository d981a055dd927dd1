using System.Net;
using System.Text.Json.Nodes;

namespace Vpp.Silo.Tests.Api;

/// <summary>
/// Bad requests to the fleet endpoints: each is refused with the exact status and a problem document naming the
/// field at fault, and a refused dispatch leaves the fleet's standing target, last dispatch and events as they were.
/// </summary>
[Collection(VppApiCollection.Name)]
public sealed class FleetRequestRefusalTests(VppApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    // ---- unknown fleets -------------------------------------------------------------------------------------------

    [Fact]
    public async Task Get_of_an_unknown_fleet_is_404_naming_the_fleet()
    {
        var fleetId = VppApiFixture.NewId("nofleet");

        var problem = await (await Client.GetAsync($"/api/v1/fleets/{fleetId}")).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("fleet", problem.Text("entity"));
        Assert.Equal(fleetId, problem.Text("id"));
    }

    [Fact]
    public async Task Dispatch_to_an_unknown_fleet_is_404_and_creates_no_fleet()
    {
        var fleetId = VppApiFixture.NewId("nofleet");

        var response = await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 10}""");

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Client.GetAsync($"/api/v1/fleets/{fleetId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Events_of_an_unknown_fleet_are_404()
    {
        var response = await Client.GetAsync($"/api/v1/fleets/{VppApiFixture.NewId("nofleet")}/events?limit=5");

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    // ---- POST /api/v1/fleets/{fleetId}/dispatch ---------------------------------------------------------------------

    [Theory]
    [InlineData("cheapest")]
    [InlineData("MeritOrder")]
    [InlineData("pro_rata")]
    [InlineData("")]
    public async Task Dispatch_with_an_unknown_strategy_is_refused_400_naming_strategy(string strategy)
    {
        await AssertDispatchRefusedAndFleetUnchangedAsync($$"""{"targetKw": 40, "strategy": "{{strategy}}"}""", HttpStatusCode.BadRequest, "strategy");
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"targetKw": null}""")]
    [InlineData("""{"strategy": "proRata"}""")]
    public async Task Dispatch_without_a_target_is_refused_400_naming_targetKw(string body)
    {
        await AssertDispatchRefusedAndFleetUnchangedAsync(body, HttpStatusCode.BadRequest, "targetKw");
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("\"NaN\"")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    public async Task Dispatch_with_a_non_finite_target_is_refused_400_naming_targetKw(string literal)
    {
        await AssertDispatchRefusedAndFleetUnchangedAsync($$"""{"targetKw": {{literal}}}""", HttpStatusCode.BadRequest, "targetKw");
    }

    [Theory]
    [InlineData("1e12")]
    [InlineData("-1e300")]
    public async Task Dispatch_with_an_absurdly_large_target_is_refused_400_naming_targetKw(string number)
    {
        await AssertDispatchRefusedAndFleetUnchangedAsync($$"""{"targetKw": {{number}}}""", HttpStatusCode.BadRequest, "targetKw");
    }

    [Theory]
    [InlineData("targetKw", """{"targetKw": "forty"}""")]
    [InlineData("targetKw", """{"targetKw": "40"}""")]
    [InlineData("targetKw", """{"targetKw": [40]}""")]
    [InlineData("strategy", """{"targetKw": 40, "strategy": 1}""")]
    public async Task Dispatch_with_a_value_of_the_wrong_type_is_refused_400_naming_the_field(string field, string body)
    {
        await AssertDispatchRefusedAndFleetUnchangedAsync(body, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Dispatch_with_an_unknown_json_field_is_refused_400_naming_that_field()
    {
        await AssertDispatchRefusedAndFleetUnchangedAsync("""{"targetKw": 40, "deadline": "soon"}""", HttpStatusCode.BadRequest, "deadline");
    }

    [Theory]
    [InlineData("""{"targetKw": 40,}""")]
    [InlineData("""{targetKw: 40}""")]
    [InlineData("""[{"targetKw": 40}]""")]
    [InlineData("null")]
    [InlineData("")]
    public async Task Dispatch_with_malformed_or_empty_json_is_refused_400_naming_the_body(string body)
    {
        await AssertDispatchRefusedAndFleetUnchangedAsync(body, HttpStatusCode.BadRequest, "body");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task Dispatch_with_a_non_json_content_type_is_refused_415(string? contentType)
    {
        await AssertDispatchRefusedAndFleetUnchangedAsync("""{"targetKw": 40}""", HttpStatusCode.UnsupportedMediaType, contentType: contentType);
    }

    [Fact]
    public async Task Dispatch_with_a_setpoints_flag_that_is_not_a_boolean_is_refused_400_naming_setpoints()
    {
        await AssertDispatchRefusedAndFleetUnchangedAsync("""{"targetKw": 40}""", HttpStatusCode.BadRequest, ["setpoints"], query: "?setpoints=maybe");
    }

    // ---- GET /api/v1/fleets/{fleetId}/events ------------------------------------------------------------------------

    [Theory]
    [InlineData("limit", "0")]
    [InlineData("limit", "-1")]
    [InlineData("limit", "abc")]
    [InlineData("limit", "501")]
    [InlineData("limit", "2.5")]
    [InlineData("limit", "")]
    [InlineData("before", "0")]
    [InlineData("before", "-3")]
    [InlineData("before", "x")]
    [InlineData("before", "1.5")]
    [InlineData("before", "")]
    public async Task Events_with_a_limit_not_from_1_to_500_or_a_cursor_that_is_not_a_sequence_are_refused_400_naming_it(
        string parameter, string value)
    {
        var (fleetId, _) = await OnlineFleetAsync();

        var response = await Client.GetAsync($"/api/v1/fleets/{fleetId}/events?{parameter}={value}");

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, parameter);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(500)]
    public async Task Events_accept_the_limits_1_and_500(int limit)
    {
        var (fleetId, _) = await OnlineFleetAsync();

        var events = await Client.GetEventsAsync(fleetId, limit);

        Assert.InRange(events.Count, 1, limit);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    /// <summary>A fleet of two online batteries with a standing target of 120 kW.</summary>
    private async Task<(string FleetId, JsonNode Before)> OnlineFleetAsync()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        await Client.OnlineBatteryAsync(VppApiFixture.NewId("bat"), fleetId, maxKw: 100, cost: 10);
        await Client.OnlineBatteryAsync(VppApiFixture.NewId("bat"), fleetId, maxKw: 100, cost: 20);
        await Client.WaitForOnlineAsync(fleetId, count: 2, maxKw: 200);
        await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 120, "strategy": "proRata"}""")).ExpectJsonAsync();
        return (fleetId, await Client.GetFleetAsync(fleetId));
    }

    private Task AssertDispatchRefusedAndFleetUnchangedAsync(string body, HttpStatusCode status, params string[] fields) =>
        AssertDispatchRefusedAndFleetUnchangedAsync(body, status, fields, query: "");

    private async Task AssertDispatchRefusedAndFleetUnchangedAsync(
        string body, HttpStatusCode status, string[]? fields = null, string query = "", string? contentType = "application/json")
    {
        var (fleetId, before) = await OnlineFleetAsync();
        var eventsBefore = await Client.GetEventsAsync(fleetId);

        var response = await Client.SendAsync(HttpMethod.Post, $"/api/v1/fleets/{fleetId}/dispatch{query}", body, contentType);

        await response.ExpectProblemAsync(status, fields ?? []);
        var after = await Client.GetFleetAsync(fleetId);
        Assert.Equal(120, after.Number("targetKw"));
        Assert.Equal("proRata", after.Text("strategy"));
        Assert.True(JsonNode.DeepEquals(before, after), $"the refused dispatch changed the fleet:\nbefore {before.ToJsonString()}\nafter  {after.ToJsonString()}");
        var eventsAfter = await Client.GetEventsAsync(fleetId);
        Assert.True(JsonNode.DeepEquals(eventsBefore, eventsAfter), $"the refused dispatch added events: {eventsAfter.ToJsonString()}");
    }
}
