namespace Vpp.Domain.Settlement;

/// <summary>A measured active power (kW, positive = export) at an instant.</summary>
public readonly record struct PowerSample(DateTimeOffset At, double ActivePowerKw);

/// <summary>Energy measured over an interval, and how much of the interval the measurements do not cover.</summary>
public readonly record struct MeteredEnergy(double Kwh, TimeSpan Covered, TimeSpan Unknown)
{
    public bool IsComplete => Unknown <= TimeSpan.Zero;

    public double CoveragePercent => Covered + Unknown <= TimeSpan.Zero ? 100 : 100 * Covered / (Covered + Unknown);
}

/// <summary>
/// Integrates telemetry into energy by the trapezoidal rule: between two consecutive samples at most
/// <c>maxGap</c> apart the power is taken as linear (interpolated where a slot boundary cuts the segment).
/// Where samples are further apart, and before the first or after the last sample, the energy is UNKNOWN, not zero:
/// it is reported as uncovered time, never filled in. The default gap matches the time after which the VPP marks a
/// silent asset offline (15 s).
/// </summary>
public sealed class Meter
{
    public static readonly TimeSpan DefaultMaxGap = TimeSpan.FromSeconds(15);

    private readonly PowerSample[] _samples;
    private readonly DateTimeOffset[] _at;
    private readonly TimeSpan _maxGap;

    /// <summary>Samples in any order; at a repeated instant the later one in the list wins.</summary>
    public Meter(IEnumerable<PowerSample> samples, TimeSpan? maxGap = null)
    {
        _samples = samples.Select(s => s with { At = s.At.ToUniversalTime() })
            .GroupBy(s => s.At).Select(g => g.Last()).OrderBy(s => s.At).ToArray();
        _at = _samples.Select(s => s.At).ToArray();
        _maxGap = maxGap ?? DefaultMaxGap;
    }

    public MeteredEnergy Integrate(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return new MeteredEnergy(0, TimeSpan.Zero, TimeSpan.Zero);
        }

        var kwSeconds = 0.0;
        var covered = TimeSpan.Zero;
        var i = Array.BinarySearch(_at, from);
        var first = Math.Max(0, (i >= 0 ? i : ~i) - 1);
        for (var k = first; k + 1 < _samples.Length && _samples[k].At < to; k++)
        {
            var (a, b) = (_samples[k], _samples[k + 1]);
            if (b.At <= from || b.At - a.At > _maxGap)
            {
                continue;
            }

            var start = a.At > from ? a.At : from;
            var end = b.At < to ? b.At : to;
            var seconds = (end - start).TotalSeconds;
            kwSeconds += (Interpolate(a, b, start) + Interpolate(a, b, end)) / 2 * seconds;
            covered += end - start;
        }

        return new MeteredEnergy(kwSeconds / 3600, covered, (to - from) - covered);
    }

    private static double Interpolate(PowerSample a, PowerSample b, DateTimeOffset at) =>
        a.ActivePowerKw + ((b.ActivePowerKw - a.ActivePowerKw) * (at - a.At).TotalSeconds / (b.At - a.At).TotalSeconds);
}
