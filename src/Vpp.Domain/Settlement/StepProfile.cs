namespace Vpp.Domain.Settlement;

/// <summary>
/// Requested power as a step function: each value holds from its instant until the next one; 0 before the first.
/// The fleet's target history is of this shape, so requested energy is exact (no sampling).
/// </summary>
public sealed class StepProfile
{
    private readonly DateTimeOffset[] _at;
    private readonly double[] _kw;

    private StepProfile(DateTimeOffset[] at, double[] kw)
    {
        // A step to the value already in force is no change: drop it, so Steps lists real changes only.
        var keep = Enumerable.Range(0, at.Length).Where(i => kw[i] != (i == 0 ? 0 : kw[i - 1])).ToArray();
        (_at, _kw) = (keep.Select(i => at[i]).ToArray(), keep.Select(i => kw[i]).ToArray());
    }

    public static readonly StepProfile Zero = new([], []);

    /// <summary>A profile from change points; when two share an instant the later one in the list wins.</summary>
    public static StepProfile Of(IEnumerable<(DateTimeOffset At, double Kw)> steps)
    {
        var byInstant = new SortedDictionary<DateTimeOffset, double>();
        foreach (var (at, kw) in steps)
        {
            byInstant[at.ToUniversalTime()] = kw;
        }

        return new StepProfile([.. byInstant.Keys], [.. byInstant.Values]);
    }

    public IReadOnlyList<(DateTimeOffset At, double Kw)> Steps => _at.Zip(_kw).ToList();

    public double KwAt(DateTimeOffset instant)
    {
        var i = Array.BinarySearch(_at, instant);
        var index = i >= 0 ? i : ~i - 1;
        return index < 0 ? 0 : _kw[index];
    }

    /// <summary>Energy requested over [from, to) in kWh.</summary>
    public double EnergyKwh(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return 0;
        }

        var kwSeconds = 0.0;
        var cursor = from;
        var kw = KwAt(from);
        var i = Array.BinarySearch(_at, from);
        var next = i >= 0 ? i + 1 : ~i;
        for (; next < _at.Length && _at[next] < to; next++)
        {
            kwSeconds += kw * (_at[next] - cursor).TotalSeconds;
            cursor = _at[next];
            kw = _kw[next];
        }

        kwSeconds += kw * (to - cursor).TotalSeconds;
        return kwSeconds / 3600;
    }
}
