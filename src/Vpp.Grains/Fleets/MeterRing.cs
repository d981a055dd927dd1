using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Schedules;
using Vpp.Grains.Storage;

namespace Vpp.Grains.Fleets;

/// <summary>
/// A partition's stored settlement meters: one state per quarter hour ("partitionMeter-q{n}", n = the slot's number
/// modulo the ring size), in a ring one cell longer than the retention, so a cell is reused only once its slot fell out
/// of the retention. A write carries only the slot it stores and recovers from a version conflict (re-read, merge,
/// write again); a slot is read only when it is asked for.
/// </summary>
public sealed class MeterRing(IGrainStorage storage, GrainId grainId, TimeSpan retention, HistoryReads historyReads, ILogger logger)
{
    public const string StateNamePrefix = "partitionMeter-q";

    // The cells this activation writes, each read once first so the write carries the stored version.
    private readonly Dictionary<int, StoredCell<PartitionMeterSlotState>> _writable = [];

    public int Size { get; } = (int)Math.Ceiling(retention / QuarterHour.Length) + 1;

    public string StateNameOf(DateTimeOffset slotStart) => StateNamePrefix + IndexOf(slotStart);

    private int IndexOf(DateTimeOffset slotStart) => (int)(slotStart.UtcTicks / QuarterHour.Length.Ticks % Size);

    /// <summary>A slot of the history, for a query: read in a fresh cell, a few at a time per silo.</summary>
    public Task<List<MeterReading>> ReadAsync(DateTimeOffset slotStart) =>
        historyReads.RunAsync(() => ReadAsync(new StoredCell<PartitionMeterSlotState>(storage, StateNameOf(slotStart), grainId), slotStart));

    /// <summary>The slot this activation goes on metering: its cell's version is kept for the writes that follow.</summary>
    public async Task<List<MeterReading>> ReadForWritingAsync(DateTimeOffset slotStart)
    {
        var cell = new StoredCell<PartitionMeterSlotState>(storage, StateNameOf(slotStart), grainId);
        var readings = await ReadAsync(cell, slotStart);
        _writable[IndexOf(slotStart)] = cell;
        return readings;
    }

    private static async Task<List<MeterReading>> ReadAsync(StoredCell<PartitionMeterSlotState> cell, DateTimeOffset slotStart)
    {
        await cell.ReadStateAsync();
        return Holds(cell, slotStart) ? cell.State.Readings : []; // otherwise empty, or an older lap of the ring
    }

    private static bool Holds(StoredCell<PartitionMeterSlotState> cell, DateTimeOffset slotStart) =>
        cell.RecordExists && cell.State.SlotStart == slotStart;

    /// <summary>
    /// Stores one slot's readings in its cell, replacing an older lap's. Readings of this slot stored by another writer
    /// (a duplicate activation) stay for the members this one has none of.
    /// </summary>
    public async Task WriteAsync(DateTimeOffset slotStart, List<MeterReading> readings)
    {
        if (!_writable.TryGetValue(IndexOf(slotStart), out var cell))
        {
            await ReadForWritingAsync(slotStart);
            cell = _writable[IndexOf(slotStart)];
        }

        var ours = readings.Select(r => r.AssetId).ToHashSet();
        void Merge()
        {
            var theirs = Holds(cell, slotStart) ? cell.State.Readings.Where(r => !ours.Contains(r.AssetId)) : [];
            cell.State = new PartitionMeterSlotState { SlotStart = slotStart, Readings = [.. theirs, .. readings] };
        }

        Merge();
        await cell.WriteRecoveringAsync(Merge, grainId, logger);
    }
}
