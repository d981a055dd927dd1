using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using Orleans.Storage;
using Vpp.Abstractions.Assets;
using Vpp.Domain.Assets;
using Vpp.Grains;
using Vpp.Grains.Assets;

namespace Vpp.Silo.Tests.Storage;

/// <summary>
/// Optimistic concurrency on a real store: a write behind a grain's back is never overwritten (the grain's next
/// write is refused on the version, it re-reads and re-applies its own change), and parallel callers on different
/// silos lose no update.
/// </summary>
public abstract class ConcurrencyTests<TStore>(TStore store) where TStore : DurableStore
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));


    private static AssetSpec Battery(string fleetId, double costEurPerMwh) => new()
    {
        FleetId = fleetId,
        Kind = AssetKind.Battery,
        MinPowerKw = -100,
        MaxPowerKw = 100,
        MarginalCostEurPerMwh = costEurPerMwh,
        EnergyCapacityKwh = 400,
    };

    [Fact]
    public async Task A_row_changed_behind_the_grains_back_is_kept_and_the_grains_own_change_is_applied_on_top()
    {
        await using var cluster = await DurableCluster.StartAsync(store, _clock);
        var assetId = NewId("asset");
        var fleetId = NewId("fleet");
        var asset = cluster.Grains.GetGrain<IAssetGrain>(assetId);
        await asset.ConfigureAsync(Battery(fleetId, costEurPerMwh: 10));
        var versionBefore = await store.VersionOfAsync("asset", assetId);

        // Another writer (an operator's repair, a duplicate activation) changes the stored spec.
        var storage = cluster.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(VppOptions.StorageName);
        var grainId = GrainId.Create("asset", assetId);
        var behind = new GrainState<AssetState>();
        await storage.ReadStateAsync("asset", grainId, behind);
        behind.State!.Spec = behind.State.Spec! with { MarginalCostEurPerMwh = 77 };
        await storage.WriteStateAsync("asset", grainId, behind);
        Assert.Equal(versionBefore + 1, await store.VersionOfAsync("asset", assetId));

        // The grain still holds the old version: its write is refused, it re-reads and applies its change again.
        var view = await asset.ReportStatusAsync(AssetStatus.Maintenance, "firmware update");
        Assert.Equal(AssetStatus.Maintenance, view.Live.Status);
        Assert.Equal(77, view.Spec.MarginalCostEurPerMwh);

        Assert.Equal(versionBefore + 2, await store.VersionOfAsync("asset", assetId));
        var stored = (await cluster.ReadStoredAssetAsync(assetId))!;
        Assert.Equal(77, stored.Spec!.MarginalCostEurPerMwh);
        Assert.Equal(AssetStatus.Maintenance, stored.Live.Status);
        Assert.Equal("firmware update", stored.Live.StatusReason);
    }

    [Fact]
    public async Task Spec_status_and_telemetry_from_callers_on_two_silos_in_parallel_lose_no_update()
    {
        const int Rounds = 30;
        var assetId = NewId("asset");
        var fleetId = NewId("fleet");
        var start = _clock.GetUtcNow();
        await using (var cluster = await DurableCluster.StartAsync(store, _clock, silos: 2))
        {
            var silos = cluster.Cluster.Silos.ToArray();
            var callerA = cluster.Grains;
            var callerB = cluster.Cluster.GetSiloServiceProvider(silos[1].SiloAddress).GetRequiredService<IGrainFactory>();
            var callerC = cluster.Cluster.GetSiloServiceProvider(silos[0].SiloAddress).GetRequiredService<IGrainFactory>();
            await callerA.GetGrain<IAssetGrain>(assetId).ConfigureAsync(Battery(fleetId, 0));

            var specs = Task.Run(async () =>
            {
                for (var i = 1; i <= Rounds; i++)
                {
                    await callerA.GetGrain<IAssetGrain>(assetId).ConfigureAsync(Battery(fleetId, i));
                }
            });
            var telemetry = Task.Run(async () =>
            {
                for (var i = 1; i <= Rounds; i++)
                {
                    await callerB.GetGrain<IAssetGrain>(assetId).ReportTelemetryAsync(
                        new Telemetry(start + TimeSpan.FromMilliseconds(i), i, StateOfChargePercent: i));
                }
            });
            var statuses = Task.Run(async () =>
            {
                for (var i = 1; i <= Rounds; i++)
                {
                    var status = i % 2 == 0 ? AssetStatus.Maintenance : AssetStatus.Online;
                    await callerC.GetGrain<IAssetGrain>(assetId).ReportStatusAsync(status, $"report {i}");
                }
            });
            await Task.WhenAll(specs, telemetry, statuses);

            var view = (await callerA.GetGrain<IAssetGrain>(assetId).GetAsync())!;
            AssertLastOfEach(view.Spec, view.Live);
            await cluster.StopGracefullyAsync();
        }

        // And what each caller last wrote is what storage holds.
        await using var restarted = await DurableCluster.StartAsync(store, _clock);
        var stored = (await restarted.ReadStoredAssetAsync(assetId))!;
        AssertLastOfEach(stored.Spec!, stored.Live);

        static void AssertLastOfEach(AssetSpec spec, AssetLiveState live)
        {
            Assert.Equal(Rounds, spec.MarginalCostEurPerMwh);
            Assert.Equal(Rounds, live.StateOfChargePercent);
            Assert.Equal(Rounds, live.ActivePowerKw);
            Assert.Equal(AssetStatus.Maintenance, live.Status);
            Assert.Equal($"report {Rounds}", live.StatusReason);
        }
    }
}

public sealed class PostgresConcurrencyTests(PostgresDurableStore store)
    : ConcurrencyTests<PostgresDurableStore>(store), IClassFixture<PostgresDurableStore>;

public sealed class SqliteConcurrencyTests(SqliteDurableStore store)
    : ConcurrencyTests<SqliteDurableStore>(store), IClassFixture<SqliteDurableStore>;
