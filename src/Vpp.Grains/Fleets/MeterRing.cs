using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Schedules;
using Vpp.Grains.Storage;

namespace Vpp.Grains.Fleets;

/// <summary>
/// A partition's stored settlement meters: one state per quarter hour in a ring that covers the retention (see
/// <see cref="PartitionMeterSlotState"/>). A write carries only the slot it stores, and a version conflict is
/// recovered (re-read, merged, written again) instead of failing every later write.
/// </summary>
public sealed class MeterRing(IGrainStorage storage, GrainId grainId, TimeSpan retention, ILogger logger)
{
    public const string StateNamePrefix = "partitionMeter-q";

    private readonly Dictionary<int, StoredCell<PartitionMeterSlotState>> _cells = [];

    /// <summary>Enough cells that a slot is overwritten only after it fell out of the retention.</summary>
    public int Size { get; } = (int)Math.Ceiling(retention / QuarterHour.Length) + 1;

    public string StateNameOf(DateTimeOffset slotStart) => StateNamePrefix + IndexOf(slotStart);

    private int IndexOf(DateTimeOffset slotStart) => (int)(slotStart.UtcTicks / QuarterHour.Length.Ticks % Size);

    private StoredCell<PartitionMeterSlotState> Cell(int index)
    {
        if (!_cells.TryGetValue(index, out var cell))
        {
            _cells[index] = cell = new StoredCell<PartitionMeterSlotState>(storage, StateNamePrefix + index, grainId);
        }

        return cell;
    }

    /// <summary>Every stored slot that starts at or after <paramref name="cutoff"/>; cells that cannot be read are reported and skipped.</summary>
    public async Task<List<PartitionMeterSlotState>> ReadAsync(DateTimeOffset cutoff, Action<string, Exception> unreadable)
    {
        var reads = Enumerable.Range(0, Size).Select(async index =>
        {
            var cell = Cell(index);
            try
            {
                await cell.ReadStateAsync();
                return cell.RecordExists && cell.State.SlotStart >= cutoff ? cell.State : null;
            }
            catch (Exception ex)
            {
                unreadable(cell.StateName, ex);
                return null;
            }
        });
        return [.. (await Task.WhenAll(reads)).OfType<PartitionMeterSlotState>()];
    }

    /// <summary>Stores one slot's readings in its cell; what is stored there for an older lap of the ring is replaced.</summary>
    public Task WriteAsync(DateTimeOffset slotStart, List<MeterReading> readings)
    {
        var cell = Cell(IndexOf(slotStart));
        cell.State = new PartitionMeterSlotState { SlotStart = slotStart, Readings = readings };
        var ours = readings.Select(r => r.AssetId).ToHashSet();
        return cell.WriteRecoveringAsync(
            () =>
            {
                // Written behind our back (a duplicate activation): its readings of this slot stay where we have none.
                var theirs = cell.State.SlotStart == slotStart ? cell.State.Readings.Where(r => !ours.Contains(r.AssetId)) : [];
                cell.State = new PartitionMeterSlotState { SlotStart = slotStart, Readings = [.. theirs, .. readings] };
            },
            grainId,
            logger);
    }
}
