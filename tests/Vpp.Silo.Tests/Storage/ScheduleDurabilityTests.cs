using Microsoft.Extensions.Time.Testing;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Schedules;
using Vpp.Domain.Assets;

namespace Vpp.Silo.Tests.Storage;

/// <summary>
/// Schedules and unavailabilities on a real store across a full restart: the slots, what was already dispatched and
/// the windows come back, the slot that began while the cluster was down is dispatched when the schedule wakes, and
/// the outage that began meanwhile takes its asset out without anyone calling it.
/// </summary>
public abstract class ScheduleDurabilityTests<TStore>(TStore store) where TStore : DurableStore
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));


    private DateTimeOffset At(int hour, int minute) => new(2026, 11, 25, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public async Task After_a_full_restart_the_schedule_dispatches_the_slot_that_began_and_the_outage_that_began_takes_its_asset_out()
    {
        var fleetId = NewId("plan");
        var assets = new[] { NewId("bat0"), NewId("bat1") };
        await using (var first = await DurableCluster.StartAsync(store, _clock))
        {
            foreach (var (assetId, i) in assets.Select((a, i) => (a, i)))
            {
                var asset = first.Grains.GetGrain<IAssetGrain>(assetId);
                await asset.ConfigureAsync(new AssetSpec
                {
                    FleetId = fleetId, Kind = AssetKind.Battery, MinPowerKw = -100, MaxPowerKw = 100,
                    MarginalCostEurPerMwh = 10 * (i + 1), EnergyCapacityKwh = 400,
                });
                await asset.ReportTelemetryAsync(new Telemetry(_clock.GetUtcNow(), 0, StateOfChargePercent: 50));
            }

            await Eventually.Until(() => first.Grains.GetGrain<IFleetGrain>(fleetId).GetAsync(), v => v?.Counts.OnlineCount == 2, "two online");
            var schedule = first.Grains.GetGrain<IFleetScheduleGrain>(fleetId);
            await schedule.SubmitAsync(new ScheduleRequest(At(12, 0), [new ScheduleSlotRequest(30), new ScheduleSlotRequest(60)]));
            await Eventually.Until(() => first.Grains.GetGrain<IFleetGrain>(fleetId).GetAsync(), v => v?.Dispatch.TargetKw == 30, "the slot in force dispatched");
            await first.Grains.GetGrain<IAssetAvailabilityGrain>(assets[1])
                .AddUnavailabilityAsync(new UnavailabilityRequest(At(12, 20), At(13, 0), "planned", "gearbox"));
            await first.StopGracefullyAsync();
        }

        _clock.Advance(TimeSpan.FromMinutes(20)); // 12:20: the second slot and the outage began while nothing ran

        await using var second = await DurableCluster.StartAsync(store, _clock);

        // The partitions' reminder wakes the members; the asset finds its outage in force and goes into maintenance.
        var stored = await Eventually.Until(
            () => second.ReadStoredAssetAsync(assets[1]), s => s?.Live.Status == AssetStatus.Maintenance,
            "the asset in maintenance without being called", TimeSpan.FromSeconds(30));
        Assert.Contains("gearbox", stored!.Live.StatusReason);

        // The schedule comes back with what it had dispatched, and dispatches the slot it missed once woken.
        var view = await second.Grains.GetGrain<IFleetScheduleGrain>(fleetId).GetAsync(At(12, 0), At(13, 0));
        Assert.Equal([30d, 60d], view.Slots.Select(s => s.TargetKw));
        await Eventually.Until(() => second.Grains.GetGrain<IFleetGrain>(fleetId).GetAsync(), v => v?.Dispatch.TargetKw == 60, "the second slot after the restart");
        var windows = await second.Grains.GetGrain<IAssetAvailabilityGrain>(assets[1]).GetUnavailabilitiesAsync();
        Assert.Equal((At(12, 20), At(13, 0), "planned"), (Assert.Single(windows).From, windows[0].Until, windows[0].Kind));
        // The schedule records its event after the dispatch it made has answered.
        await Eventually.Until(
            () => second.Grains.GetGrain<IFleetGrain>(fleetId).GetEventsAsync(100),
            events => events.Any(e => e is ScheduleEvent { TargetKw: 60 }), "the schedule event of the second slot");
    }
}

public sealed class PostgresScheduleDurabilityTests(PostgresDurableStore store)
    : ScheduleDurabilityTests<PostgresDurableStore>(store), IClassFixture<PostgresDurableStore>;

public sealed class SqliteScheduleDurabilityTests(SqliteDurableStore store)
    : ScheduleDurabilityTests<SqliteDurableStore>(store), IClassFixture<SqliteDurableStore>;
