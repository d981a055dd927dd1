using Microsoft.Extensions.Logging;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Schedules;
using Vpp.Domain.Settlement;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Settlement metering: every measurement a member passes up is integrated into that member's per-slot meter
/// (delivered energy, covered time, requested energy from its accepted setpoint), so the partition never keeps raw
/// samples. Meters are kept for <see cref="VppOptions.SettlementRetention"/>; closed slots are stored once per quarter
/// hour and on deactivation (<see cref="PartitionMeterState"/>), so a restart loses at most the slot in progress.
/// </summary>
public sealed partial class FleetPartitionGrain
{
    private readonly Dictionary<string, SlotMeter> _meters = [];
    private DateTimeOffset _meterPrunedSlot;

    /// <summary>Feeds a member's measurement to its meter, with the setpoint it held since its previous measurement.</summary>
    private void Meter(string assetId, MemberReport report, double requestedKw)
    {
        if (report is not { MeasuredKw: { } kw, MeasuredAt: { } at })
        {
            return;
        }

        MeterOf(assetId).Record(at, kw, requestedKw);
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
    /// Stores the meters' slots that ended before <paramref name="closedBefore"/> (all on deactivation). Not awaited by
    /// measurements: a failed write is logged and the next quarter hour writes the same slots again.
    /// </summary>
    private async Task StoreMetersAsync(DateTimeOffset closedBefore)
    {
        meterState.State = new PartitionMeterState
        {
            Readings = [.. _meters.SelectMany(m => m.Value.Slots
                .Where(s => s.Key + QuarterHour.Length <= closedBefore)
                .Select(s => Reading(m.Key, s.Key, s.Value)))],
        };
        try
        {
            await meterState.WriteStateAsync();
        }
        catch (Exception ex)
        {
            LogMeterWriteFailed(this.GetPrimaryKeyString(), ex.GetBaseException().Message);
        }
    }

    /// <summary>
    /// Reads the stored slots back. Settlement data must never keep a partition from activating (it also dispatches):
    /// whatever cannot be restored is logged and its slots show as gaps.
    /// </summary>
    private void RestoreMeters()
    {
        try
        {
            RestoreStoredSlots();
        }
        catch (Exception ex)
        {
            LogMeterRestoreFailed(this.GetPrimaryKeyString(), ex.GetBaseException().Message);
        }
    }

    private void RestoreStoredSlots()
    {
        var cutoff = clock.GetUtcNow() - _options.SettlementRetention;
        foreach (var stored in meterState.State.Readings.Where(r => r.SlotStart >= cutoff))
        {
            MeterOf(stored.AssetId).Restore(stored.SlotStart, new SlotReading(stored.DeliveredKwh, stored.Covered, stored.RequestedKwh, stored.RequestedKwAtStart));
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
        _meters.Count == 0 ? Task.CompletedTask : StoreMetersAsync(closedBefore: DateTimeOffset.MaxValue - QuarterHour.Length);

    [LoggerMessage(Level = LogLevel.Error, Message = "Partition {Partition}: could not restore its stored settlement meters (their slots show as gaps): {Error}")]
    private partial void LogMeterRestoreFailed(string partition, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: could not store its settlement meters (retried next quarter hour): {Error}")]
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
