using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Client;
using Vpp.Client.Errors;
using Vpp.Cluster.Tests.Harness;
using Vpp.Domain.Assets;
using Orleans.Runtime;
using Vpp.Grains.Contracts;

namespace Vpp.Cluster.Tests;

/// <summary>
/// The Orleans gateway of a real silo process (Postgres profile, as deployed): only clients with a certificate of
/// the cluster's CA get in, and they reach only the SDK's operations, never the silos' internal grain methods.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class GatewayTlsTests(GatewayTlsTests.OneSilo silo) : IClassFixture<GatewayTlsTests.OneSilo>
{
    private static readonly TimeSpan RefusedConnectTimeout = TimeSpan.FromSeconds(3);

    private readonly SiloCluster _cluster = silo.Cluster;

    /// <summary>One silo for the class: the tests use their own fleet and asset ids.</summary>
    public sealed class OneSilo : IAsyncLifetime
    {
        public SiloCluster Cluster { get; } = SiloCluster.Create("tls");

        public Task InitializeAsync() => Cluster.StartAsync(1);

        public async Task DisposeAsync() => await Cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_client_with_a_certificate_of_the_cluster_ca_connects_and_dispatches()
    {
        await using var vpp = await VppClient.ConnectAsync(Options(DevCertificates.ClientCertificate, DevCertificates.ClientKey));

        const string fleetId = "tls-fleet";
        foreach (var assetId in new[] { "tls-b1", "tls-b2" })
        {
            await vpp.RegisterAssetAsync(assetId, new AssetSpec { FleetId = fleetId, Kind = AssetKind.Battery, MinPowerKw = -100, MaxPowerKw = 100, EnergyCapacityKwh = 1000 });
            await vpp.ReportTelemetryAsync(assetId, new Telemetry(DateTimeOffset.UtcNow, ActivePowerKw: 0, StateOfChargePercent: 50));
        }

        await Eventually.Until(() => vpp.GetFleetAsync(fleetId), f => f.Counts.OnlineCount == 2, "two batteries online");
        Assert.Equal(150, (await vpp.DispatchAsync(fleetId, 150)).AllocatedKw, 3);
    }

    [Fact]
    public async Task A_client_without_a_certificate_is_refused()
    {
        var options = Options(certificate: null, key: null);
        options.CaCertificatePath = null;

        var refused = await Assert.ThrowsAsync<VppUnavailableException>(() => VppClient.ConnectAsync(options));

        Assert.Contains($"127.0.0.1:{_cluster[0].GatewayPort}", refused.Message);
        await AssertTheGatewayStillServesAsync();
    }

    [Fact]
    public async Task A_client_with_a_certificate_of_another_ca_is_refused()
    {
        var options = Options(DevCertificates.OtherCaClientCertificate, DevCertificates.OtherCaClientKey);

        await Assert.ThrowsAsync<VppUnavailableException>(() => VppClient.ConnectAsync(options));
        await AssertTheGatewayStillServesAsync();
    }

    [Fact]
    public async Task An_authenticated_client_cannot_call_grain_methods_internal_to_the_silos()
    {
        await using var vpp = await VppClient.ConnectAsync(Options(DevCertificates.ClientCertificate, DevCertificates.ClientKey));
        const string assetId = "tls-internal-b1";
        await vpp.RegisterAssetAsync(assetId, new AssetSpec { FleetId = "tls-internal", Kind = AssetKind.Battery, MinPowerKw = -100, MaxPowerKw = 100, EnergyCapacityKwh = 1000 });
        await vpp.ReportTelemetryAsync(assetId, new Telemetry(DateTimeOffset.UtcNow, ActivePowerKw: 0, StateOfChargePercent: 50));

        var setpoint = await Assert.ThrowsAsync<CallRefusedException>(
            async () => await vpp.Grains.GetGrain<IAssetMember>(assetId).ApplySetpointAsync(80));
        var partition = await Assert.ThrowsAsync<CallRefusedException>(
            () => vpp.Grains.GetGrain<IFleetPartitionGrain>("tls-internal~p000").LeaveAsync(assetId));
        var management = await Assert.ThrowsAsync<CallRefusedException>(
            () => vpp.Grains.GetGrain<IManagementGrain>(0).GetHosts());

        Assert.Equal((nameof(IAssetMember), nameof(IAssetMember.ApplySetpointAsync)), (setpoint.InterfaceName, setpoint.MethodName));
        Assert.Equal(nameof(IFleetPartitionGrain), partition.InterfaceName);
        Assert.Equal(nameof(IManagementGrain), management.InterfaceName);
        var asset = await vpp.GetAssetAsync(assetId);
        Assert.Null(asset.Live.SetpointKw); // the refused setpoint never reached the asset
    }

    [Fact]
    public async Task A_silo_without_tls_refuses_to_start_when_its_ports_would_listen_beyond_loopback()
    {
        await using var open = SiloProcess.Start(SiloProcessOptions.Cluster($"{_cluster.ServiceId}-open", new Dictionary<string, string>
        {
            ["VPP_POSTGRES"] = _cluster.ConnectionString,
            ["Orleans__ServiceId"] = _cluster.ServiceId,
            ["Orleans__ClusterId"] = _cluster.ClusterId,
            ["Orleans__Tls__Enabled"] = "false",
            ["Orleans__ListenOnAnyHostAddress"] = "true",
        }));

        Assert.True(await open.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"the silo kept running; log: {open.LogPath}");
        Assert.Equal(2, open.ExitCode);
        Assert.Contains("Orleans:Tls:Enabled", open.Tail());
    }

    private VppClientOptions Options(string? certificate, string? key) => new()
    {
        Gateways = [$"127.0.0.1:{_cluster[0].GatewayPort}"],
        ClusterId = _cluster.ClusterId,
        ServiceId = _cluster.ServiceId,
        ClientCertificatePath = certificate,
        ClientKeyPath = key,
        CaCertificatePath = DevCertificates.Ca,
        ConnectTimeout = certificate == DevCertificates.ClientCertificate ? TimeSpan.FromSeconds(30) : RefusedConnectTimeout,
    };

    /// <summary>A refusal must come from the certificate, not from a gateway that is down.</summary>
    private async Task AssertTheGatewayStillServesAsync()
    {
        await using var vpp = await VppClient.ConnectAsync(Options(DevCertificates.ClientCertificate, DevCertificates.ClientKey));
        await Assert.ThrowsAsync<VppNotFoundException>(() => vpp.GetFleetAsync("tls-nobody-fleet"));
    }
}
