using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Schedules;
using Vpp.Domain.Settlement;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Settlement metering: every measurement a member passes up is integrated into that member's per-slot meter
/// (delivered energy, covered time, requested energy from its accepted setpoint), so the partition never keeps raw
/// samples. Meters are kept for <see cref="VppOptions.SettlementRetention"/>; each slot is stored once it closed (one
/// state per quarter hour, <see cref="MeterRing"/>) and the slots not yet stored on deactivation, so a restart loses
/// at most the slot in progress.
/// </summary>
public sealed partial class FleetPartitionGrain
{
    private readonly Dictionary<string, SlotMeter> _meters = [];
    private DateTimeOffset _meterPrunedSlot;
    private MeterRing _meterRing = null!;

    // Slots with readings not yet stored: a write carries only these.
    private readonly HashSet<DateTimeOffset> _unstoredSlots = [];

    /// <summary>Feeds a member's measurement to its meter, with the setpoint it held since its previous measurement.</summary>
    private void Meter(string assetId, MemberReport report, double requestedKw)
    {
        if (report is not { MeasuredKw: { } kw, MeasuredAt: { } at })
        {
            return;
        }

        var meter = MeterOf(assetId);
        var changedFrom = meter.LastAt is { } last && last > at - _options.SettlementRetention ? last : at;
        meter.Record(at, kw, requestedKw);
        for (var slot = QuarterHour.Floor(changedFrom); slot <= at; slot += QuarterHour.Length)
        {
            _unstoredSlots.Add(slot); // the measurement integrated everything since the previous one
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

        var first = _meterPrunedSlot == default;
        _meterPrunedSlot = slot;
        var cutoff = slot - _options.SettlementRetention;
        foreach (var (assetId, meter) in _meters.ToList())
        {
            meter.DropBefore(cutoff);
            if (meter.Slots.Count == 0 && !_members.ContainsKey(assetId))
            {
                _meters.Remove(assetId);
            }
        }

        if (!first)
        {
            _ = StoreMetersAsync(closedBefore: slot);
        }
    }

    /// <summary>
    /// Stores the slots not yet stored that ended before <paramref name="closedBefore"/> (all on deactivation), one state
    /// per slot. Not awaited by measurements: a slot whose write failed is logged and written again with the next.
    /// </summary>
    private async Task StoreMetersAsync(DateTimeOffset closedBefore)
    {
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
    /// Reads the stored slots back. Settlement data must never keep a partition from activating (it also dispatches):
    /// whatever cannot be restored is logged and its slots show as gaps.
    /// </summary>
    private async Task RestoreMetersAsync()
    {
        _meterRing = new MeterRing(
            ServiceProvider.GetRequiredKeyedService<IGrainStorage>(VppOptions.StorageName), this.GetGrainId(), _options.SettlementRetention, logger);
        var cutoff = clock.GetUtcNow() - _options.SettlementRetention;
        try
        {
            foreach (var stored in meterState.State.Readings.Where(r => r.SlotStart >= cutoff))
            {
                Restore(stored);
            }

            var slots = await _meterRing.ReadAsync(
                cutoff, (stateName, ex) => LogMeterRestoreFailed(this.GetPrimaryKeyString(), $"{stateName}: {ex.GetBaseException().Message}"));
            foreach (var stored in slots.SelectMany(s => s.Readings))
            {
                Restore(stored);
            }
        }
        catch (Exception ex)
        {
            LogMeterRestoreFailed(this.GetPrimaryKeyString(), ex.GetBaseException().Message);
        }
    }

    private void Restore(MeterReading stored) =>
        MeterOf(stored.AssetId).Restore(stored.SlotStart, new SlotReading(stored.DeliveredKwh, stored.Covered, stored.RequestedKwh, stored.RequestedKwAtStart));

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
        _unstoredSlots.Count == 0 ? Task.CompletedTask : StoreMetersAsync(closedBefore: DateTimeOffset.MaxValue - QuarterHour.Length);

    [LoggerMessage(Level = LogLevel.Error, Message = "Partition {Partition}: could not restore its stored settlement meters (their slots show as gaps): {Error}")]
    private partial void LogMeterRestoreFailed(string partition, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: could not store its settlement meters (written again with the next): {Error}")]
    private partial void LogMeterWriteFailed(string partition, string error);

    public Task<MeterReading[]> GetMeterReadingsAsync(DateTimeOffset from, DateTimeOffset to) =>
        Task.FromResult(MetersInRange(from, to).Select(m => Reading(m.AssetId, m.SlotStart, m.Reading)).ToArray());

    public Task<MeterSlotTotal[]> GetMeterTotalsAsync(DateTimeOffset from, DateTimeOffset to)
    {
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

        return Task.FromResult(totals.Select(t => new MeterSlotTotal(t.Key, t.Value.DeliveredKwh, t.Value.Assets, t.Value.Incomplete, [.. t.Value.Named])).ToArray());
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
