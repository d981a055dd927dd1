using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Vpp.Abstractions.Assets;

namespace Vpp.Silo.Tests.Api;

/// <summary>A corrupt stored asset through the real HTTP pipeline: 503 naming the grain, the rest of the API unaffected.</summary>
[Collection(VppApiCollection.Name)]
public sealed class UnreadableStateTests(VppApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task A_corrupt_asset_row_answers_503_problem_json_and_other_assets_still_answer()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        var brokenId = VppApiFixture.NewId("broken");
        var healthyId = VppApiFixture.NewId("healthy");
        foreach (var id in new[] { brokenId, healthyId })
        {
            await (await Client.PutJsonAsync($"/api/v1/assets/{id}", Specs.OfKind("battery", fleetId))).ExpectJsonAsync();
        }

        // Garbage in the row, then the activation goes away so the next call must read the row again.
        await using (var connection = new SqliteConnection($"Data Source={fixture.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText =
                "UPDATE OrleansStorage SET PayloadBinary = $garbage WHERE ServiceId = $service AND GrainTypeString = 'asset' AND GrainIdExtensionString = $key";
            command.Parameters.AddWithValue("$garbage", "{\"$type\": \"not json"u8.ToArray());
            command.Parameters.AddWithValue("$service", fixture.Settings["Orleans:ServiceId"]);
            command.Parameters.AddWithValue("$key", brokenId);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var grains = fixture.Factory.Services.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<IAssetGrain>(brokenId).Cast<IGrainManagementExtension>().DeactivateOnIdle();

        var problem = await Eventually.Until(
            () => Client.GetAsync($"/api/v1/assets/{brokenId}"),
            r => r.StatusCode != HttpStatusCode.OK,
            "the deactivation to take effect");
        var body = await problem.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Stored state unavailable", body["title"]?.GetValue<string>());
        Assert.Equal("asset", body["state"]?.GetValue<string>());
        Assert.Contains(brokenId, body["grainId"]?.GetValue<string>());

        // Writes to it are refused the same way; everything else answers.
        var telemetry = await Client.PostJsonAsync($"/api/v1/assets/{brokenId}/telemetry", "{\"activePowerKw\": 1, \"stateOfChargePercent\": 50}");
        await telemetry.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
        var healthy = await (await Client.GetAsync($"/api/v1/assets/{healthyId}")).ExpectJsonAsync();
        Assert.Equal(healthyId, healthy.Text("assetId"));
        await (await Client.GetAsync($"/api/v1/fleets/{fleetId}")).ExpectJsonAsync();
    }
}
