using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Schedules;
using Vpp.Domain.Settlement;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Settlement metering: every measurement a member passes up is integrated into that member's per-slot meter
/// (delivered energy, covered time, requested energy from its accepted setpoint), so the partition never keeps raw
/// samples. Meters are kept for <see cref="VppOptions.SettlementRetention"/> in this activation.
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

        if (!_meters.TryGetValue(assetId, out var meter))
        {
            _meters[assetId] = meter = new SlotMeter(_options.MeasurementStaleAfter);
        }

        meter.Record(at, kw, requestedKw);
        PruneMetersOncePerSlot();
    }

    private void PruneMetersOncePerSlot()
    {
        var slot = QuarterHour.Floor(clock.GetUtcNow());
        if (slot == _meterPrunedSlot)
        {
            return;
        }

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
    }

    public Task<MeterReading[]> GetMeterReadingsAsync(DateTimeOffset from, DateTimeOffset to)
    {
        var starts = new SlotRange(from, to).Starts.ToList();
        var readings = new List<MeterReading>();
        foreach (var (assetId, meter) in _meters)
        {
            if (!starts.Any(meter.Slots.ContainsKey))
            {
                continue; // no data at all in the range: not part of it (joined later, or silent throughout)
            }

            foreach (var start in starts)
            {
                var r = meter.Slots.GetValueOrDefault(start);
                readings.Add(new MeterReading(assetId, start, r.DeliveredKwh, r.Covered, r.RequestedKwh, r.RequestedKwAtStart));
            }
        }

        return Task.FromResult(readings.ToArray());
    }
}
