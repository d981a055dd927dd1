using Vpp.Abstractions.Fleets;

namespace Vpp.Grains.Fleets;

/// <summary>
/// A bounded ring of output samples, at most one per <c>interval</c>-long time slot (slots aligned to the epoch), so a
/// sampling timer that fires twice per slot never doubles a sample and one that drifts never skips a slot.
/// Holds <c>retention / interval + 1</c> samples; the oldest is overwritten.
/// </summary>
public sealed class OutputHistory
{
    private readonly OutputSample[] _ring;
    private readonly long _intervalTicks;
    private int _next;
    private int _count;
    private long _lastSlot = long.MinValue;

    public OutputHistory(TimeSpan interval, TimeSpan retention)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(retention, interval);
        _intervalTicks = interval.Ticks;
        _ring = new OutputSample[(int)(retention.Ticks / interval.Ticks) + 1];
    }

    public int Capacity => _ring.Length;

    public int Count => _count;

    /// <summary>Records the sample unless its slot already has one (or it is older than the newest); true when recorded.</summary>
    public bool Record(OutputSample sample)
    {
        var slot = sample.At.UtcTicks / _intervalTicks;
        if (slot <= _lastSlot)
        {
            return false;
        }

        _lastSlot = slot;
        _ring[_next] = sample;
        _next = (_next + 1) % _ring.Length;
        _count = Math.Min(_count + 1, _ring.Length);
        return true;
    }

    /// <summary>The samples taken at or after <paramref name="from"/>, oldest first.</summary>
    public OutputSample[] Since(DateTimeOffset from) => [.. Oldest().Where(s => s.At >= from)];

    /// <summary>At most <paramref name="max"/> samples taken after <paramref name="after"/>, oldest first.</summary>
    public OutputSample[] After(DateTimeOffset? after, int max) =>
        [.. Oldest().Where(s => after is null || s.At > after).Take(Math.Max(0, max))];

    public OutputSample? Newest => _count == 0 ? null : _ring[(_next - 1 + _ring.Length) % _ring.Length];

    private IEnumerable<OutputSample> Oldest()
    {
        var start = (_next - _count + _ring.Length) % _ring.Length;
        for (var k = 0; k < _count; k++)
        {
            yield return _ring[(start + k) % _ring.Length];
        }
    }
}
