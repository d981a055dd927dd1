using Vpp.Domain.Schedules;

namespace Vpp.Domain.Settlement;

/// <summary>What one asset's meter holds for one 15-minute slot.</summary>
public readonly record struct SlotReading(double DeliveredKwh, TimeSpan Covered, double RequestedKwh, double? RequestedKwAtStart);

/// <summary>
/// One asset's running meter, fed one measurement at a time: integrates measured power between consecutive
/// measurements by the trapezoidal rule straight into per-slot totals, so no samples need
/// to be kept. Measurements further apart than <c>maxGap</c> leave the time between them uncovered (unknown, never
/// zero). Requested energy integrates the setpoint in force since the previous measurement (a step function sampled
/// at measurements: exact while setpoints change less often than the asset reports).
/// </summary>
public sealed class SlotMeter(TimeSpan maxGap)
{
    private readonly SortedDictionary<DateTimeOffset, SlotReading> _slots = [];
    private DateTimeOffset? _lastAt;
    private double _lastKw;
    private double _lastRequestedKw;

    public IReadOnlyDictionary<DateTimeOffset, SlotReading> Slots => _slots;

    /// <summary>The newest measurement recorded: the next one changes the slots from this instant on.</summary>
    public DateTimeOffset? LastAt => _lastAt;

    /// <summary>Adds a measurement; one not after the previous is ignored (late delivery).</summary>
    public void Record(DateTimeOffset at, double measuredKw, double requestedKw)
    {
        at = at.ToUniversalTime();
        if (_lastAt is { } last)
        {
            if (at <= last)
            {
                return;
            }

            Integrate(last, at, measuredKw, measured: at - last <= maxGap);
        }

        (_lastAt, _lastKw, _lastRequestedKw) = (at, measuredKw, requestedKw);
    }

    /// <summary>Forgets slots that ended before <paramref name="instant"/> (bounded retention).</summary>
    public void DropBefore(DateTimeOffset instant)
    {
        foreach (var start in _slots.Keys.Where(s => s + QuarterHour.Length <= instant).ToList())
        {
            _slots.Remove(start);
        }
    }

    /// <summary>Restores a stored slot (after a restart); a slot already metered in memory keeps its own value.</summary>
    public void Restore(DateTimeOffset slotStart, SlotReading reading) => _slots.TryAdd(slotStart, reading);

    private void Integrate(DateTimeOffset from, DateTimeOffset to, double toKw, bool measured)
    {
        var cursor = from;
        while (cursor < to)
        {
            var slot = QuarterHour.Floor(cursor);
            var end = slot + QuarterHour.Length < to ? slot + QuarterHour.Length : to;
            var seconds = (end - cursor).TotalSeconds;
            var reading = _slots.GetValueOrDefault(slot);
            var deliveredKwh = measured ? (PowerAt(from, to, toKw, cursor) + PowerAt(from, to, toKw, end)) / 2 * seconds / 3600 : 0;
            _slots[slot] = reading with
            {
                DeliveredKwh = reading.DeliveredKwh + deliveredKwh,
                Covered = reading.Covered + (measured ? end - cursor : TimeSpan.Zero),
                RequestedKwh = reading.RequestedKwh + (_lastRequestedKw * seconds / 3600),
                RequestedKwAtStart = cursor == slot ? _lastRequestedKw : reading.RequestedKwAtStart,
            };
            cursor = end;
        }
    }

    private double PowerAt(DateTimeOffset from, DateTimeOffset to, double toKw, DateTimeOffset at) =>
        _lastKw + ((toKw - _lastKw) * (at - from).TotalSeconds / (to - from).TotalSeconds);
}
