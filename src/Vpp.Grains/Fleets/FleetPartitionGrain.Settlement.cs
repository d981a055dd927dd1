using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Fleets;
using Vpp.Domain.Schedules;
using Vpp.Domain.Settlement;
using Vpp.Grains.Diagnostics;
using Vpp.Grains.Storage;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Settlement metering: every measurement a member passes up is integrated into that member's per-slot meter
/// (delivered energy, covered time, requested energy from its accepted setpoint), so the partition never keeps raw
/// samples. Each slot is stored in its own state (<see cref="MeterRing"/>) once it closed, and the slots not yet stored
/// on deactivation, so a restart loses at most the time the partition was away. Activation reads only the slot in
/// progress; earlier slots are read when a query asks for them, and kept for <see cref="VppOptions.SettlementRetention"/>.
/// </summary>
public sealed partial class FleetPartitionGrain
{
    private readonly Dictionary<string, SlotMeter> _meters = [];
    private DateTimeOffset _meterPrunedSlot;
    private MeterRing _meterRing = null!;

    // The slot in progress at activation: from it on memory holds every reading of this partition (that slot's stored
    // readings were read at activation); earlier slots are in storage, read into memory when a query asks for them.
    private DateTimeOffset _meteredFrom;

    // Measurements taken before this instant belong to a previous activation, which stored them.
    private DateTimeOffset _meterMeasurementsFrom;
    private readonly HashSet<DateTimeOffset> _readBackSlots = [];

    // Slots metered since they were last stored: a write carries only these, one state each, one write at a time.
    private readonly HashSet<DateTimeOffset> _unstoredSlots = [];
    private Task _meterWrites = Task.CompletedTask;

    /// <summary>Feeds a member's measurement to its meter, with the setpoint it held since its previous measurement.</summary>
    private void Meter(string assetId, MemberReport report, double requestedKw)
    {
        if (report is not { MeasuredKw: { } kw, MeasuredAt: { } at } || at < _meterMeasurementsFrom)
        {
            return; // a slot before this activation is the previous activation's, stored by it
        }

        var meter = MeterOf(assetId);
        var previous = meter.LastAt;
        meter.Record(at, kw, requestedKw);
        if (previous is { } since && meter.LastAt != previous)
        {
            // The measurement integrated everything since the previous one.
            for (var slot = QuarterHour.Floor(since); slot <= at; slot += QuarterHour.Length)
            {
                _unstoredSlots.Add(slot);
            }
        }

        CloseSlotsOncePerSlot();
    }

    /// <summary>At the first measurement of a new slot: prunes meters to the retention and stores the closed slots.</summary>
    private void CloseSlotsOncePerSlot()
    {
        var slot = QuarterHour.Floor(clock.GetUtcNow());
        if (slot == _meterPrunedSlot)
        {
            return;
        }

        _meterPrunedSlot = slot;
        RecordDeviation(slot - QuarterHour.Length);
        var cutoff = slot - _options.SettlementRetention;
        foreach (var (assetId, meter) in _meters.ToList())
        {
            meter.DropBefore(cutoff);
            if (meter.Slots.Count == 0 && !_members.ContainsKey(assetId))
            {
                _meters.Remove(assetId);
            }
        }

        _readBackSlots.RemoveWhere(s => s < cutoff);
        _ = StoreMetersAsync(closedBefore: slot);
    }

    /// <summary>
    /// The settlement deviation (delivered − requested energy) of the slot that just closed, as this partition metered
    /// it, to the <c>vpp.settlement.deviation</c> histogram: summed over a slot's records it is the fleet's deviation.
    /// A slot that started before this activation is left out (the activation metered only part of it).
    /// </summary>
    private void RecordDeviation(DateTimeOffset closedSlot)
    {
        if (closedSlot < _meteredFrom)
        {
            return;
        }

        double deliveredKwh = 0, requestedKwh = 0;
        var metered = false;
        foreach (var meter in _meters.Values)
        {
            if (meter.Slots.TryGetValue(closedSlot, out var reading))
            {
                deliveredKwh += reading.DeliveredKwh;
                requestedKwh += reading.RequestedKwh;
                metered = true;
            }
        }

        if (metered)
        {
            VppMetrics.RecordSettlementDeviation(FleetPartitioning.FleetIdOf(this.GetPrimaryKeyString()), deliveredKwh - requestedKwh);
        }
    }

    /// <summary>
    /// Stores the slots not yet stored that ended before <paramref name="closedBefore"/> (all on deactivation), after
    /// the writes already under way. Not awaited by measurements: a slot whose write failed is logged and written
    /// again with the next quarter hour's.
    /// </summary>
    private Task StoreMetersAsync(DateTimeOffset closedBefore) => _meterWrites = StoreMetersAfterAsync(_meterWrites, closedBefore);

    private async Task StoreMetersAfterAsync(Task previousWrites, DateTimeOffset closedBefore)
    {
        await previousWrites;
        var cutoff = QuarterHour.Floor(clock.GetUtcNow()) - _options.SettlementRetention;
        foreach (var slot in _unstoredSlots.Where(s => s + QuarterHour.Length <= closedBefore).Order().ToList())
        {
            _unstoredSlots.Remove(slot);
            if (slot < cutoff)
            {
                continue;
            }

            List<MeterReading> readings = [.. _meters
                .Where(m => m.Value.Slots.ContainsKey(slot))
                .Select(m => Reading(m.Key, slot, m.Value.Slots[slot]))];
            try
            {
                await _meterRing.WriteAsync(slot, readings);
            }
            catch (Exception ex)
            {
                _unstoredSlots.Add(slot);
                LogMeterWriteFailed(this.GetPrimaryKeyString(), ex.GetBaseException().Message);
            }
        }
    }

    /// <summary>
    /// Reads the slot in progress back (one state, whatever the history). Settlement data must never keep a partition
    /// from activating (it also dispatches): a slot that cannot be restored is logged and shows as a gap.
    /// </summary>
    private async Task RestoreMetersAsync()
    {
        var slotNow = QuarterHour.Floor(clock.GetUtcNow());
        _meteredFrom = slotNow;
        // A partition that never stored its members had no activation that metered: it meters what its first members
        // measured before the quarter hour in progress too (a fleet registered seconds after a slot began).
        _meterMeasurementsFrom = state.RecordExists ? slotNow : DateTimeOffset.MinValue;
        _meterRing = new MeterRing(
            ServiceProvider.GetRequiredKeyedService<IGrainStorage>(VppOptions.StorageName), this.GetGrainId(), _options.SettlementRetention,
            ServiceProvider.GetRequiredService<HistoryReads>(), logger);
        try
        {
            Restore(await _meterRing.ReadForWritingAsync(_meteredFrom));
        }
        catch (Exception ex)
        {
            LogMeterRestoreFailed(this.GetPrimaryKeyString(), ex.GetBaseException().Message);
        }
    }

    /// <summary>
    /// Reads the stored slots of [from, to) that started before this activation and within the retention into memory,
    /// one at a time, each once: memory then answers for them as for the slots metered here.
    /// </summary>
    private async Task ReadBackStoredSlotsAsync(DateTimeOffset from, DateTimeOffset to)
    {
        var cutoff = QuarterHour.Floor(clock.GetUtcNow()) - _options.SettlementRetention;
        foreach (var slot in new SlotRange(from, to).Starts.Where(s => s >= cutoff && s < _meteredFrom).ToList())
        {
            if (_readBackSlots.Contains(slot))
            {
                continue;
            }

            try
            {
                Restore(await _meterRing.ReadAsync(slot));
                _readBackSlots.Add(slot);
            }
            catch (Exception ex)
            {
                LogMeterRestoreFailed(this.GetPrimaryKeyString(), $"slot {slot:u}: {ex.GetBaseException().Message}");
            }
        }
    }

    private void Restore(IEnumerable<MeterReading> stored)
    {
        foreach (var r in stored)
        {
            MeterOf(r.AssetId).Restore(r.SlotStart, new SlotReading(r.DeliveredKwh, r.Covered, r.RequestedKwh, r.RequestedKwAtStart));
        }
    }

    private SlotMeter MeterOf(string assetId)
    {
        if (!_meters.TryGetValue(assetId, out var meter))
        {
            _meters[assetId] = meter = new SlotMeter(_options.MeasurementStaleAfter);
        }

        return meter;
    }

    private static MeterReading Reading(string assetId, DateTimeOffset slotStart, SlotReading r) =>
        new(assetId, slotStart, r.DeliveredKwh, r.Covered, r.RequestedKwh, r.RequestedKwAtStart);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        StoreMetersAsync(closedBefore: DateTimeOffset.MaxValue - QuarterHour.Length);

    [LoggerMessage(Level = LogLevel.Error, Message = "Partition {Partition}: could not restore its stored settlement meters (their slots show as gaps): {Error}")]
    private partial void LogMeterRestoreFailed(string partition, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: could not store a quarter hour of its settlement meters (written again with the next): {Error}")]
    private partial void LogMeterWriteFailed(string partition, string error);

    public async Task<MeterReading[]> GetMeterReadingsAsync(DateTimeOffset from, DateTimeOffset to)
    {
        await ReadBackStoredSlotsAsync(from, to);
        return [.. MetersInRange(from, to).Select(m => Reading(m.AssetId, m.SlotStart, m.Reading))];
    }

    public async Task<MeterSlotTotal[]> GetMeterTotalsAsync(DateTimeOffset from, DateTimeOffset to)
    {
        await ReadBackStoredSlotsAsync(from, to);
        var totals = new SortedDictionary<DateTimeOffset, (double DeliveredKwh, int Assets, int Incomplete, List<string> Named)>();
        foreach (var (assetId, start, reading) in MetersInRange(from, to))
        {
            var (deliveredKwh, assets, incomplete, named) = totals.TryGetValue(start, out var t) ? t : (0, 0, 0, new List<string>());
            var complete = reading.Covered >= QuarterHour.Length;
            if (!complete && named.Count < MeterSlotTotal.MaxNamed)
            {
                named.Add(assetId);
            }

            totals[start] = (deliveredKwh + reading.DeliveredKwh, assets + 1, incomplete + (complete ? 0 : 1), named);
        }

        return [.. totals.Select(t => new MeterSlotTotal(t.Key, t.Value.DeliveredKwh, t.Value.Assets, t.Value.Incomplete, [.. t.Value.Named]))];
    }

    /// <summary>
    /// Every slot of [from, to) of every member with meter data somewhere in it (an empty reading where it was silent);
    /// members without any data in the range are not part of it (joined later, or silent throughout).
    /// </summary>
    private IEnumerable<(string AssetId, DateTimeOffset SlotStart, SlotReading Reading)> MetersInRange(DateTimeOffset from, DateTimeOffset to)
    {
        var starts = new SlotRange(from, to).Starts.ToList();
        foreach (var (assetId, meter) in _meters)
        {
            if (starts.Any(meter.Slots.ContainsKey))
            {
                foreach (var start in starts)
                {
                    yield return (assetId, start, meter.Slots.GetValueOrDefault(start));
                }
            }
        }
    }
}
