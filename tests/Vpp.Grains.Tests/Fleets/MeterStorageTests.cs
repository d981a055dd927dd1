using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Core.Internal;
using Orleans.Storage;
using Orleans.TestingHost;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Fleets;
using Vpp.Domain.Schedules;
using Vpp.Grains.Fleets;
using Vpp.Grains.Storage;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Tests.Fleets;

/// <summary>
/// The partition stores its settlement meters one quarter hour per state: a write carries only the slot that closed,
/// a write that meets a version written behind its back recovers (and the writes after it go on), an activation reads
/// only the slot in progress, and settlement reads the stored slots back after a restart.
/// </summary>
[Collection(VppClusterCollection.Name)]
public sealed class MeterStorageTests(VppClusterFixture fixture)
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Slot = QuarterHour.Length;
    private readonly IGrainFactory _grains = fixture.Grains;

    private IGrainStorage Storage =>
        ((InProcessSiloHandle)fixture.Cluster.Silos[0]).ServiceProvider.GetRequiredKeyedService<IGrainStorage>(VppOptions.StorageName);

    private static MeterRing Ring(GrainId partition) =>
        new(null!, partition, VppClusterFixture.SettlementRetention, new HistoryReads(), NullLogger.Instance); // names only

    private async Task<(string AssetId, IFleetPartitionGrain Partition)> AddBatteryAsync(string fleetId)
    {
        var assetId = VppClusterFixture.NewId("bat");
        await _grains.GetGrain<IAssetGrain>(assetId).ConfigureAsync(TestSpecs.LosslessBattery(fleetId, maxKw: 100, capacityKwh: 10_000));
        var partition = _grains.GetGrain<IFleetPartitionGrain>(FleetPartitioning.PartitionKeyFor(fleetId, assetId, VppClusterFixture.PartitionsPerFleet));
        await partition.GetSummaryAsync(); // active
        return (assetId, partition);
    }

    /// <summary>Every 10 s until <paramref name="until"/> (inclusive), advancing the clock: the asset reports <paramref name="kw"/>.</summary>
    private async Task ReportUntilAsync(string assetId, DateTimeOffset until, double kw)
    {
        for (var guard = 0; fixture.Clock.GetUtcNow() + Every <= until && guard < 1000; guard++)
        {
            fixture.Clock.Advance(Every);
            await _grains.GetGrain<IAssetGrain>(assetId).ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), kw, StateOfChargePercent: 50));
        }
    }

    private async Task<(bool RecordExists, PartitionMeterSlotState State)> ReadCellAsync(GrainId partition, DateTimeOffset slotStart)
    {
        var stored = new GrainState<PartitionMeterSlotState>(new PartitionMeterSlotState());
        await Storage.ReadStateAsync(Ring(partition).StateNameOf(slotStart), partition, stored);
        return (stored.RecordExists, stored.State ?? new PartitionMeterSlotState());
    }

    private Task<(bool RecordExists, PartitionMeterSlotState State)> StoredAsync(GrainId partition, DateTimeOffset slotStart, int readings) =>
        Eventually.Until(
            () => ReadCellAsync(partition, slotStart),
            c => c.RecordExists && c.State.SlotStart == slotStart && c.State.Readings.Count == readings,
            $"slot {slotStart:t} stored with {readings} reading(s)",
            describe: c => $"{c.State.SlotStart:t}: {string.Join(", ", c.State.Readings)}");

    private static bool IsMeterState(StorageCalls.Call call) => call.StateName.StartsWith("partitionMeter", StringComparison.Ordinal);

    /// <summary>The quarter hours whose readings one stored meter state holds.</summary>
    private static DateTimeOffset[] SlotsIn(object? state) => state switch
    {
        PartitionMeterSlotState cell => [.. cell.Readings.Select(r => r.SlotStart).Append(cell.SlotStart).Distinct()],
        _ => [.. (state?.GetType().GetProperty("Readings")?.GetValue(state) as IEnumerable<MeterReading> ?? []).Select(r => r.SlotStart).Distinct()],
    };

    [Fact]
    public async Task Each_quarter_hour_writes_only_the_slot_that_closed()
    {
        var (assetId, partition) = await AddBatteryAsync(VppClusterFixture.NewId("mwrite"));
        var id = partition.GetGrainId();
        var s = QuarterHour.Floor(fixture.Clock.GetUtcNow()) + Slot;
        fixture.Clock.Advance(s - fixture.Clock.GetUtcNow());

        await ReportUntilAsync(assetId, s + 2 * Slot + Every, 40);
        await StoredAsync(id, s, 1);
        await StoredAsync(id, s + Slot, 1);

        // Two quarter hours closed: two writes, each of one slot into that slot's own state. The recorder logs a write
        // after the storage underneath took it, so the second write can be readable a moment before it is logged.
        var writes = await Eventually.Until(
            () => Task.FromResult(fixture.StorageCalls.Of(id).Where(c => c.Kind == StorageCalls.Kind.Write && IsMeterState(c)).ToList()),
            w => w.Count >= 2,
            "both meter writes recorded",
            describe: w => string.Join(", ", w.Select(c => c.StateName)));
        Assert.Equal([s, s + Slot], writes.Select(w => SlotsIn(w.State).Single()));
        Assert.Equal([Ring(id).StateNameOf(s), Ring(id).StateNameOf(s + Slot)], writes.Select(w => w.StateName));
        Assert.NotEqual(writes[0].StateName, writes[1].StateName);
    }

    [Fact]
    public async Task A_version_conflict_on_a_meter_write_is_recovered_and_the_writes_after_it_go_on()
    {
        var (assetId, partition) = await AddBatteryAsync(VppClusterFixture.NewId("mconfl"));
        var id = partition.GetGrainId();
        var a = QuarterHour.Floor(fixture.Clock.GetUtcNow()); // the slot the partition activated in

        // Someone writes slot A's state behind the partition's back (a duplicate activation): the version the
        // partition read at activation is no longer the stored one.
        var behind = new GrainState<PartitionMeterSlotState>(new PartitionMeterSlotState());
        await Storage.ReadStateAsync(Ring(id).StateNameOf(a), id, behind);
        behind.State = new PartitionMeterSlotState { SlotStart = a, Readings = [new MeterReading("intruder", a, 1, Slot, 0, 0)] };
        await Storage.WriteStateAsync(Ring(id).StateNameOf(a), id, behind);

        // Slot A closes: the partition's write meets the other version, re-reads it, keeps the other writer's reading
        // beside its own and writes again.
        await ReportUntilAsync(assetId, a + Slot + Every, 40);
        var stored = await StoredAsync(id, a, 2);
        Assert.Equal(new[] { "intruder", assetId }.Order(StringComparer.Ordinal), stored.State.Readings.Select(r => r.AssetId).Order(StringComparer.Ordinal));

        // And the next quarter hours are stored too.
        await ReportUntilAsync(assetId, a + 3 * Slot + Every, 40);
        Assert.Equal(assetId, Assert.Single((await StoredAsync(id, a + Slot, 1)).State.Readings).AssetId);
        Assert.Equal(assetId, Assert.Single((await StoredAsync(id, a + 2 * Slot, 1)).State.Readings).AssetId);
    }

    [Fact]
    public async Task Activation_reads_only_the_slot_in_progress_and_settlement_after_a_restart_reads_the_stored_slots()
    {
        var fleetId = VppClusterFixture.NewId("mrestart");
        var (assetId, partition) = await AddBatteryAsync(fleetId);
        var id = partition.GetGrainId();
        var s = QuarterHour.Floor(fixture.Clock.GetUtcNow()) + Slot;
        fixture.Clock.Advance(s - fixture.Clock.GetUtcNow());
        await ReportUntilAsync(assetId, s + 4 * Slot + TimeSpan.FromMinutes(5), 40);
        var settlement = _grains.GetGrain<ISettlementQueryGrain>(fleetId);
        var before = await settlement.GetSettlementAsync(s, s + 5 * Slot);
        Assert.All(before.Slots.Take(4), slot => Assert.True(slot.DeliveredKwh > 9, $"{slot.Start:t} delivered {slot.DeliveredKwh} kWh"));

        // The partition goes away (storing the slot in progress) and comes back in the same quarter hour.
        await partition.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await StoredAsync(id, s + 4 * Slot, 1);
        var callsBefore = fixture.StorageCalls.Of(id).Count;
        await partition.GetSummaryAsync();
        var activationReads = fixture.StorageCalls.Of(id).Skip(callsBefore).Where(c => c.Kind == StorageCalls.Kind.Read && IsMeterState(c)).ToList();

        // Its activation read one meter state, holding one quarter hour: four closed slots of history stay in storage.
        var read = Assert.Single(activationReads);
        Assert.Equal([s + 4 * Slot], SlotsIn(read.State));

        // Settlement reads the stored slots back, once: the same answer as before the restart, with the slot in
        // progress going on from what was stored.
        await ReportUntilAsync(assetId, s + 4 * Slot + TimeSpan.FromMinutes(10), 40);
        var after = await settlement.GetSettlementAsync(s, s + 5 * Slot);
        foreach (var (b, x) in before.Slots.Take(4).Zip(after.Slots))
        {
            Assert.Equal(b.DeliveredKwh, x.DeliveredKwh, 9);
            Assert.Equal(b.Complete, x.Complete);
        }

        Assert.True(after.Slots[4].DeliveredKwh > before.Slots[4].DeliveredKwh, "the slot in progress kept what was stored and went on");
        var historyReads = fixture.StorageCalls.Of(id).Skip(callsBefore).Count(c => c.Kind == StorageCalls.Kind.Read && IsMeterState(c));
        Assert.Equal(1 + 4, historyReads);
        await settlement.GetSettlementTotalsAsync(s, s + 5 * Slot);
        Assert.Equal(historyReads, fixture.StorageCalls.Of(id).Skip(callsBefore).Count(c => c.Kind == StorageCalls.Kind.Read && IsMeterState(c)));
    }
}
