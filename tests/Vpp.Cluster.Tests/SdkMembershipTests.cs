using Vpp.Client;
using Vpp.Cluster.Tests.Harness;
using Vpp.Domain.Assets;

namespace Vpp.Cluster.Tests;

/// <summary>
/// A trading system's SDK client that knows only the database: it finds the silos' gateways in the PostgreSQL
/// membership table (no gateway list), and keeps working when one of those silos is killed.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class SdkMembershipTests : IAsyncLifetime
{
    private readonly SiloCluster _cluster = SiloCluster.Create("sdk");

    public Task InitializeAsync() => _cluster.StartAsync(2);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task The_sdk_connects_through_the_membership_table_and_survives_a_silo_kill()
    {
        await using var vpp = await VppClient.ConnectAsync(new VppClientOptions
        {
            PostgresConnectionString = _cluster.ConnectionString,
            ClusterId = _cluster.ClusterId,
            ServiceId = _cluster.ServiceId,
            ClientCertificatePath = DevCertificates.ClientCertificate,
            ClientKeyPath = DevCertificates.ClientKey,
            CaCertificatePath = DevCertificates.Ca,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        });

        const string fleetId = "sdk-pg-fleet";
        var assetIds = new[] { "sdk-pg-b1", "sdk-pg-b2", "sdk-pg-b3" };
        foreach (var assetId in assetIds)
        {
            await vpp.RegisterAssetAsync(assetId, new AssetSpec { FleetId = fleetId, Kind = AssetKind.Battery, MinPowerKw = -100, MaxPowerKw = 100, EnergyCapacityKwh = 1000 });
            await vpp.ReportTelemetryAsync(assetId, new Telemetry(DateTimeOffset.UtcNow, ActivePowerKw: 0, StateOfChargePercent: 50));
        }

        await Eventually.Until(() => vpp.GetFleetAsync(fleetId), f => f.Counts.OnlineCount == 3, "three batteries online");
        Assert.Equal(150, (await vpp.DispatchAsync(fleetId, 150)).AllocatedKw, 3);

        _cluster[1].Kill();

        // The client drops the dead gateway and goes on through the other; grains of the dead silo come back
        // on the survivor once the cluster has declared it dead.
        var fleet = await Eventually.Until(
            () => TryReadAsync(vpp, fleetId), f => f is { Dispatch.TargetKw: 150 },
            "the fleet readable through the surviving silo", TimeSpan.FromSeconds(60));
        Assert.Equal(3, fleet!.Counts.AssetCount);
        // The batteries report again through the client (the kill may have cost them their telemetry's freshness),
        // and the fleet is dispatched in full through the survivor.
        await Eventually.Until(
            () => TryReportAndDispatchAsync(vpp, fleetId, assetIds, 90), allocatedKw => allocatedKw is { } kw && Math.Abs(kw - 90) < 1e-3,
            "a full dispatch through the surviving silo", TimeSpan.FromSeconds(60));
    }

    private static async Task<Vpp.Abstractions.Fleets.FleetView?> TryReadAsync(VppClient vpp, string fleetId)
    {
        try
        {
            return await vpp.GetFleetAsync(fleetId);
        }
        catch (Vpp.Client.Errors.VppUnavailableException)
        {
            return null;
        }
    }

    private static async Task<double?> TryReportAndDispatchAsync(VppClient vpp, string fleetId, string[] assetIds, double targetKw)
    {
        try
        {
            foreach (var assetId in assetIds)
            {
                await vpp.ReportTelemetryAsync(assetId, new Telemetry(DateTimeOffset.UtcNow, ActivePowerKw: 0, StateOfChargePercent: 50));
            }

            return (await vpp.DispatchAsync(fleetId, targetKw)).AllocatedKw;
        }
        catch (Vpp.Client.Errors.VppUnavailableException)
        {
            return null;
        }
    }
}
