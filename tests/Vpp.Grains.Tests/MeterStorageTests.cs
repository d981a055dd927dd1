using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using Orleans.TestingHost;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Fleets;
using Vpp.Domain.Schedules;
using Vpp.Grains.Fleets;
using Vpp.Grains.Storage;

namespace Vpp.Grains.Tests;

/// <summary>
/// The partition stores its settlement meters one quarter hour per state: a write carries only the slot that closed
/// (not the whole retention), and a write that meets a change made behind its back recovers instead of failing
/// every write after it.
/// </summary>
[Collection(VppClusterCollection.Name)]
public sealed class MeterStorageTests(VppClusterFixture fixture)
{
    private const int PartitionsPerFleet = 4; // as configured in VppClusterFixture
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(10);
    private readonly IGrainFactory _grains = fixture.Grains;

    private IGrainStorage Storage =>
        ((InProcessSiloHandle)fixture.Cluster.Silos[0]).ServiceProvider.GetRequiredKeyedService<IGrainStorage>(VppOptions.StorageName);

    private async Task ReportUntilAsync(string assetId, DateTimeOffset until, double kw)
    {
        for (var guard = 0; fixture.Clock.GetUtcNow() + Every <= until && guard < 1000; guard++)
        {
            fixture.Clock.Advance(Every);
            await _grains.GetGrain<IAssetGrain>(assetId).ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), kw, StateOfChargePercent: 50));
        }
    }

    private async Task<(bool RecordExists, T State)> ReadAsync<T>(string stateName, GrainId grainId)
        where T : new()
    {
        var stored = new GrainState<T>(new T());
        await Storage.ReadStateAsync(stateName, grainId, stored);
        return (stored.RecordExists, stored.State ?? new T());
    }

    [Fact]
    public async Task Each_write_stores_only_the_closed_quarter_hour_and_recovers_from_a_conflicting_write()
    {
        var fleetId = VppClusterFixture.NewId("meters");
        var assetId = VppClusterFixture.NewId("bat");
        await _grains.GetGrain<IAssetGrain>(assetId).ConfigureAsync(TestSpecs.LosslessBattery(fleetId, maxKw: 100, capacityKwh: 10_000));
        var partition = _grains.GetGrain<IFleetPartitionGrain>(FleetPartitioning.PartitionKeyFor(fleetId, assetId, PartitionsPerFleet)).GetGrainId();
        var ring = new MeterRing(Storage, partition, TimeSpan.FromDays(2), NullLogger.Instance); // the default retention
        var s = QuarterHour.Floor(fixture.Clock.GetUtcNow()) + QuarterHour.Length;
        var slot = QuarterHour.Length;

        // Slot S closes with the first measurement of S + 15: its state holds S and nothing else.
        fixture.Clock.Advance(s - fixture.Clock.GetUtcNow());
        await ReportUntilAsync(assetId, s + slot + Every, 40);
        var first = await Eventually.Until(
            () => ReadAsync<PartitionMeterSlotState>(ring.StateNameOf(s), partition), st => st.RecordExists, "slot S stored");
        Assert.Equal(s, first.State.SlotStart);
        var reading = Assert.Single(first.State.Readings);
        Assert.Equal((assetId, s), (reading.AssetId, reading.SlotStart));
        Assert.False((await ReadAsync<PartitionMeterState>("partitionMeter", partition)).RecordExists);

        // Someone writes slot S + 15's state behind the partition's back: the partition's write of it meets a
        // version it did not read, re-reads, keeps the other writer's readings and adds its own.
        var behind = new GrainState<PartitionMeterSlotState>(new PartitionMeterSlotState
        {
            SlotStart = s + slot, Readings = [new MeterReading("intruder", s + slot, 1, slot, 0, 0)],
        });
        await Storage.WriteStateAsync(ring.StateNameOf(s + slot), partition, behind);
        await ReportUntilAsync(assetId, s + 2 * slot + Every, 40);
        var second = await Eventually.Until(
            () => ReadAsync<PartitionMeterSlotState>(ring.StateNameOf(s + slot), partition),
            st => st.State.Readings.Count == 2, "slot S + 15 stored over the conflicting write", describe: st => string.Join(", ", st.State.Readings));
        Assert.Equal(new[] { assetId, "intruder" }.Order(StringComparer.Ordinal), second.State.Readings.Select(r => r.AssetId).Order(StringComparer.Ordinal));

        // And the writes after it go on.
        await ReportUntilAsync(assetId, s + 3 * slot + Every, 40);
        var third = await Eventually.Until(
            () => ReadAsync<PartitionMeterSlotState>(ring.StateNameOf(s + 2 * slot), partition), st => st.RecordExists, "slot S + 30 stored");
        Assert.Equal(assetId, Assert.Single(third.State.Readings).AssetId);
    }
}
