using System.Net;
using Microsoft.Data.Sqlite;
using Vpp.Silo.Tests.Api;

namespace Vpp.Silo.Tests.Storage;

/// <summary>
/// The SQLite store refuses the fleet's write (a trigger aborts it, as a full disk or a lost file would): a dispatch
/// must then change nothing — no setpoint moved, the standing target as before — and answer 503, not 500.
/// </summary>
[Collection(VppApiCollection.Name)]
public sealed class DispatchStorageFailureTests(VppApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={fixture.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_dispatch_whose_target_cannot_be_stored_answers_503_and_moves_no_setpoint()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        var first = VppApiFixture.NewId("bat");
        var second = VppApiFixture.NewId("bat");
        await Client.OnlineBatteryAsync(first, fleetId);
        await Client.OnlineBatteryAsync(second, fleetId);
        await Client.WaitForOnlineAsync(fleetId, count: 2, maxKw: 200);
        await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 100, "strategy": "proRata"}""")).ExpectJsonAsync();

        // Ids are generated hex: safe to put into the trigger's text.
        var guard = $"NEW.GrainTypeString = 'fleet' AND NEW.GrainIdExtensionString = '{fleetId}'";
        var trigger = $"refuse_{fleetId.Replace('-', '_')}";
        await ExecuteAsync(
            $"CREATE TRIGGER {trigger}_u BEFORE UPDATE ON OrleansStorage WHEN {guard} BEGIN SELECT RAISE(ABORT, 'test fault: disk full'); END;"
            + $"CREATE TRIGGER {trigger}_i BEFORE INSERT ON OrleansStorage WHEN {guard} BEGIN SELECT RAISE(ABORT, 'test fault: disk full'); END;");
        try
        {
            var refused = await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 200, "strategy": "proRata"}""");
            var problem = await refused.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("fleet", problem["state"]?.GetValue<string>());

            foreach (var id in new[] { first, second })
            {
                var asset = await (await Client.GetAsync($"/api/v1/assets/{id}")).ExpectJsonAsync();
                Assert.Equal(50, asset.Number("setpointKw"), Steps.Tolerance);
            }

            var fleet = await (await Client.GetAsync($"/api/v1/fleets/{fleetId}")).ExpectJsonAsync();
            Assert.Equal(100, fleet.Number("targetKw"), Steps.Tolerance);
        }
        finally
        {
            await ExecuteAsync($"DROP TRIGGER {trigger}_u; DROP TRIGGER {trigger}_i;");
        }

        var retried = await (await Client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 200, "strategy": "proRata"}""")).ExpectJsonAsync();
        Assert.Equal(200, retried.Number("allocatedKw"), Steps.Tolerance);
    }
}
