using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Grains;
using Vpp.Grains.Hosting;

namespace Vpp.Grains.Tests;

/// <summary>
/// One in-process Orleans cluster (two silos) shared by the grain tests. Grain time runs on a fake clock that
/// tests advance; Orleans' own background timers stay on real time. Tests use fresh ids, so they never collide.
/// </summary>
public sealed class VppClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>Every call the silos make to the grain storage (a memory storage underneath).</summary>
    public StorageCalls StorageCalls { get; } = new();

    public IGrainFactory Grains => Cluster.Client;

    public static readonly TimeSpan OfflineAfter = TimeSpan.FromSeconds(15);

    public const int PartitionsPerFleet = 4;

    /// <summary>Meters are kept over a week here (production default: 2 days), so the similar-day load forecast finds last week.</summary>
    public static readonly TimeSpan SettlementRetention = TimeSpan.FromDays(8);

    /// <summary>Settlement answers are limited to this many asset rows here (production: 1,000,000).</summary>
    public const long MaxSettlementAssetSlots = 500;

    /// <summary>How often a grain asks again what did not answer (a grain timer: it runs on the fake clock).</summary>
    public static readonly TimeSpan UnansweredRetryInterval = TimeSpan.FromMilliseconds(200);

    private const string InnerStorageName = VppOptions.StorageName + ".memory";

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            // Memory storage; writes can be held per grain (HeldStateWrites) and every call is recorded (StorageCalls).
            silo.AddMemoryGrainStorage(InnerStorageName);
            silo.Services.AddKeyedSingleton(
                VppOptions.StorageName,
                (services, _) => StorageCalls.Recording(new Fleets.HeldStateWrites(services.GetRequiredKeyedService<IGrainStorage>(InnerStorageName))));
            silo.UseInMemoryReminderService();
            silo.AddIncomingGrainCallFilter<Fleets.CallFaults>();
            silo.AddOutgoingGrainCallFilter<Fleets.HeldStatusReports>();
            silo.Services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, Clock);
            silo.Services.AddVppGrains();
            silo.Services.Configure<VppOptions>(o =>
            {
                o.OfflineAfter = OfflineAfter;
                o.PartitionsPerFleet = PartitionsPerFleet;
                // A bound on the real clock, not an expectation: on a loaded 2-core machine an asset grain's acknowledgement can
                // take seconds, and one counted as unanswered changes what a test reads. No test waits for it to run out.
                o.SetpointAckTimeout = TimeSpan.FromSeconds(30);
                o.UnansweredRetryInterval = UnansweredRetryInterval;
                o.Market.MaxSettlementAssetSlots = MaxSettlementAssetSlots;
                o.SettlementRetention = SettlementRetention;
                // Boundaries come from the fake clock: timers look at it this often (production: exact, capped at 1 min).
                o.ClockRecheckInterval = TimeSpan.FromMilliseconds(50);
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    /// <summary>Registers a battery in <paramref name="fleetId"/> and brings it online with a measurement at SoC <paramref name="socPercent"/>.</summary>
    public async Task AddOnlineBatteryAsync(string fleetId, string assetId, double maxKw, double costEurPerMwh, double socPercent = 50)
    {
        var asset = Grains.GetGrain<IAssetGrain>(assetId);
        await asset.ConfigureAsync(new AssetSpec
        {
            FleetId = fleetId,
            Kind = AssetKind.Battery,
            MinPowerKw = -maxKw,
            MaxPowerKw = maxKw,
            MarginalCostEurPerMwh = costEurPerMwh,
            EnergyCapacityKwh = maxKw * 2,
        });
        await asset.ReportTelemetryAsync(new Telemetry(Clock.GetUtcNow(), 0, StateOfChargePercent: socPercent));
    }

    /// <summary>The fleet's view once <paramref name="condition"/> holds.</summary>
    public Task<FleetView> FleetWhenAsync(string fleetId, Func<FleetView, bool> condition, string what) =>
        Eventually.Until(
            async () => await Grains.GetGrain<IFleetGrain>(fleetId).GetAsync() ?? throw new Xunit.Sdk.XunitException("fleet unknown"),
            condition,
            what);

    /// <summary>A measurement of <paramref name="kw"/> at SoC <paramref name="socPercent"/>, now on the fake clock.</summary>
    public Task MeasureAsync(string assetId, double kw, double socPercent = 50) =>
        Grains.GetGrain<IAssetGrain>(assetId).ReportTelemetryAsync(new Telemetry(Clock.GetUtcNow(), kw, StateOfChargePercent: socPercent));

    /// <summary>Every <paramref name="every"/> until <paramref name="until"/> (inclusive), advancing the clock: each asset reports its given power.</summary>
    public async Task ReportUntilAsync(DateTimeOffset until, TimeSpan every, params (string AssetId, double Kw)[] reports)
    {
        for (var guard = 0; Clock.GetUtcNow() + every <= until && guard < 1000; guard++)
        {
            Clock.Advance(every);
            foreach (var (assetId, kw) in reports)
            {
                await MeasureAsync(assetId, kw);
            }
        }
    }

    /// <inheritdoc cref="TestIds.NewId"/>
    public static string NewId(string prefix) => TestIds.NewId(prefix);
}

[CollectionDefinition(Name)]
public sealed class VppClusterCollection : ICollectionFixture<VppClusterFixture>
{
    public const string Name = "vpp-cluster";
}
