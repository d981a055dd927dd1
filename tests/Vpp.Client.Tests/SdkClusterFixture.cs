using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using Vpp.Domain.Assets;
using Vpp.Grains;
using Vpp.Grains.Hosting;
using Vpp.Silo.Hosting;
using Vpp.Silo.Storage;

namespace Vpp.Client.Tests;

/// <summary>
/// A real in-process Orleans cluster (two silos, VPP grains, SQLite grain storage in a temporary file, the silo's
/// filter of client calls) and an SDK client connected to it through the silos' gateways — the way a trading system
/// connects, so every SDK operation here proves the filter lets it through.
/// </summary>
public class SdkClusterFixture : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vpp-sdk-tests-" + Guid.NewGuid().ToString("N"));

    public TestCluster Cluster { get; private set; } = null!;

    public VppClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        var builder = new TestClusterBuilder(2);
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket; // the SDK connects over real sockets
        builder.Options.ServiceId = "vpp-sdk-" + Guid.NewGuid().ToString("N")[..8];
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SiloConfigurator.DatabaseKey] = Path.Combine(_root, "vpp.db"),
        }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Client = await VppClient.ConnectAsync(Options());
    }

    /// <summary>The VPP grains with SQLite grain storage: state must survive a silo going away.</summary>
    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public const string DatabaseKey = "VppSdkTests:Database";

        public void Configure(ISiloBuilder silo)
        {
            var database = silo.Configuration[DatabaseKey]!;
            var sqlFolder = Path.Combine(AppContext.BaseDirectory, "silo-config", "sql", "sqlite");
            silo.AddVppSqliteGrainStorage(VppOptions.StorageName, $"Data Source={database}", sqlFolder);
            silo.Services.AddKeyedSingleton(TimeProviderNames.Grains, TimeProvider.System);
            silo.Services.AddVppGrains();
            silo.AddIncomingGrainCallFilter<ClientCallFilter>();
            silo.Services.Configure<VppOptions>(o =>
            {
                // Long enough that no asset goes silent, and no measurement stale, while the tests run (they run on
                // the system clock, and a loaded machine may take many seconds between two steps).
                o.OfflineAfter = TimeSpan.FromMinutes(10);
                o.MeasurementStaleAfter = TimeSpan.FromMinutes(10);
                o.PartitionsPerFleet = 4;
                // A bound on the real clock, not an expectation: on a loaded 2-core machine an asset grain's acknowledgement can
                // take seconds, and one counted as unanswered changes what a test reads. No test waits for it to run out.
                o.SetpointAckTimeout = TimeSpan.FromSeconds(30);
            });
        }
    }

    /// <summary>
    /// The grain factory inside a running silo, for what clients may not call (Orleans' management grain): its calls
    /// come from the silo's hosted client.
    /// </summary>
    public IGrainFactory SiloGrains() =>
        ((InProcessSiloHandle)Cluster.GetActiveSilos().First()).SiloHost.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Options reaching this cluster through every silo's gateway.</summary>
    public VppClientOptions Options() => new()
    {
        ClusterId = Cluster.Options.ClusterId,
        ServiceId = Cluster.Options.ServiceId,
        Gateways = [.. Cluster.Silos.Select(s => s.GatewayAddress.Endpoint.ToString())],
        SubscriptionRefreshInterval = TimeSpan.FromMilliseconds(300),
        ConnectTimeout = TimeSpan.FromSeconds(60), // a bound for a loaded 2-core machine, not an expectation
    };

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    /// <inheritdoc cref="TestIds.NewId"/>
    public static string NewId(string prefix) => TestIds.NewId(prefix);

    public static AssetSpec Battery(string fleetId, double maxKw = 100, double costEurPerMwh = 10) => new()
    {
        FleetId = fleetId,
        Kind = AssetKind.Battery,
        MinPowerKw = -maxKw,
        MaxPowerKw = maxKw,
        EnergyCapacityKwh = 4 * maxKw,
        MarginalCostEurPerMwh = costEurPerMwh,
    };

    /// <summary>Registers batteries in a new fleet and brings them online with telemetry (SoC 50 %).</summary>
    public async Task<(string FleetId, string[] AssetIds)> OnlineFleetAsync(int assets, double maxKw = 100)
    {
        var fleetId = NewId("fleet");
        var ids = Enumerable.Range(0, assets).Select(_ => NewId("bat")).ToArray();
        foreach (var id in ids)
        {
            await Client.RegisterAssetAsync(id, Battery(fleetId, maxKw));
            await Client.ReportTelemetryAsync(id, new Telemetry(null, 0, StateOfChargePercent: 50));
        }

        await Eventually.Until(
            () => Client.GetFleetAsync(fleetId), f => f.Counts.OnlineCount == assets, $"{assets} assets online in {fleetId}",
            describe: f => $"{f.Counts.OnlineCount} online");
        return (fleetId, ids);
    }
}

[CollectionDefinition(Name)]
public sealed class SdkClusterCollection : ICollectionFixture<SdkClusterFixture>
{
    public const string Name = "sdk-cluster";
}
