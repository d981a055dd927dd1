using Vpp.Silo.Tests.Api;

namespace Vpp.Silo.Tests.Security;

public static class EveryRoleSteps
{
    /// <summary>
    /// Uses each role once — registers a solar asset (admin), reports it online (telemetry), reads its fleet (read),
    /// dispatches it (dispatch) — failing if any step is refused. Returns the asset and fleet ids.
    /// </summary>
    public static async Task<(string AssetId, string FleetId)> UseEveryRoleAsync(this HttpClient client)
    {
        var assetId = VppApiFixture.NewId("roles");
        var fleetId = VppApiFixture.NewId("fleet");
        await client.RegisterAsync(assetId, Specs.Solar(fleetId));
        await client.TelemetryAsync(assetId, """{"activePowerKw": 5, "availablePowerKw": 50}""");
        await client.WaitForOnlineAsync(fleetId, count: 1, maxKw: 50);
        await (await client.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 20}""")).ExpectJsonAsync();
        return (assetId, fleetId);
    }
}
