using System.Net;
using System.Text.Json.Nodes;

namespace Vpp.Silo.Tests.Api;

/// <summary>
/// Every malformed request in <see cref="MalformedInputCases"/> against a live asset and fleet: each is a 4xx
/// problem document naming the field at fault, never a 500, and leaves the asset, fleet and events as they were.
/// </summary>
[Collection(VppApiCollection.Name)]
public sealed class MalformedInputTests(VppApiFixture fixture)
{
    public static TheoryData<string> Cases => MalformedInputCases.Names();

    // One online battery in its own fleet for all cases: a refusal must not change it, so sharing it is itself a check
    // (a case that slipped through would show in the next case's snapshot too). Tests of a class run one at a time.
    private static readonly SemaphoreSlim TargetLock = new(1, 1);
    private static (string AssetId, string FleetId)? _target;

    private HttpClient Client => fixture.Client;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Malformed_input_is_refused_with_a_4xx_problem_naming_the_field_and_changes_nothing(string name)
    {
        var c = MalformedInputCases.All[name];
        var (assetId, fleetId) = await TargetAsync();
        var before = await SnapshotAsync(assetId, fleetId);
        var path = c.Path.Replace("{assetId}", assetId, StringComparison.Ordinal).Replace("{fleetId}", fleetId, StringComparison.Ordinal);
        var body = c.Body?.Replace("{fleetId}", fleetId, StringComparison.Ordinal);

        var response = await Client.SendAsync(new HttpMethod(c.Method), path, body);

        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{name}: answered {status}: {text}");
        var problem = await response.ExpectProblemAsync(response.StatusCode);
        var errors = problem["errors"] as JsonObject;
        Assert.True(errors is { Count: > 0 }, $"{name}: the problem names no field: {text}");
        if (c.Field is not null)
        {
            Assert.True(errors.ContainsKey(c.Field), $"{name}: the problem does not name '{c.Field}': {text}");
        }

        Assert.Equal(before, await SnapshotAsync(assetId, fleetId));
    }

    [Fact]
    public void The_catalogue_covers_every_endpoint_and_every_kind_of_malformation()
    {
        var cases = MalformedInputCases.All.Values.ToList();
        foreach (var endpoint in Security.ApiEndpointTable.All)
        {
            Assert.True(
                cases.Count(c => c.Method == endpoint.Method && c.Template == endpoint.Template) >= 10,
                $"{endpoint} has fewer than 10 malformed cases");
        }

        foreach (var marker in new[] { "broken JSON", "=\"ten\"", "without", "=1e308", "=1e400", "=NaN", "=\"Infinity\"", "=-200", "=\"nuclear\"", "12345", "a~b", "a7777" })
        {
            Assert.Contains(cases, c => c.Name.Contains(marker, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_body_starting_with_a_utf8_byte_order_mark_is_read_like_any_other()
    {
        var assetId = VppApiFixture.NewId("bom");
        var json = System.Text.Encoding.UTF8.GetBytes(Specs.Solar(VppApiFixture.NewId("fleet")).ToJsonString());
        var content = new ByteArrayContent([0xEF, 0xBB, 0xBF, .. json]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var response = await Client.PutAsync($"/api/v1/assets/{assetId}", content);

        Assert.Equal(assetId, (await response.ExpectJsonAsync()).Text("assetId"));
    }

    private async Task<(string AssetId, string FleetId)> TargetAsync()
    {
        await TargetLock.WaitAsync();
        try
        {
            if (_target is null)
            {
                var assetId = VppApiFixture.NewId("bat");
                var fleetId = VppApiFixture.NewId("fleet");
                await Client.OnlineBatteryAsync(assetId, fleetId);
                await Client.WaitForOnlineAsync(fleetId, count: 1, maxKw: 100);
                _target = (assetId, fleetId);
            }

            return _target.Value;
        }
        finally
        {
            TargetLock.Release();
        }
    }

    /// <summary>
    /// What a refusal must not change: the asset, the fleet and its events, as the API shows them — all but the fleet's
    /// measured output, which goes stale by itself while the cases run.
    /// </summary>
    private async Task<string> SnapshotAsync(string assetId, string fleetId)
    {
        var asset = await Client.GetAssetAsync(assetId);
        var fleet = OutputEndpointsTests.WithoutMeasurement(await Client.GetFleetAsync(fleetId));
        var events = await Client.GetEventsAsync(fleetId);
        return $"{asset.ToJsonString()}\n{fleet.ToJsonString()}\n{events.ToJsonString()}";
    }
}
