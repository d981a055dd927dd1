namespace Vpp.Domain.Schedules;

/// <summary>A closed range of net export power (kW).</summary>
public readonly record struct PowerRange(double MinKw, double MaxKw)
{
    public bool Contains(double kw, double toleranceKw = Dispatch.Capability.ToleranceKw) =>
        kw >= MinKw - toleranceKw && kw <= MaxKw + toleranceKw;

    public double Clamp(double kw) => Math.Clamp(kw, MinKw, Math.Max(MinKw, MaxKw));

    public static PowerRange Sum(IEnumerable<PowerRange> ranges)
    {
        double min = 0, max = 0;
        foreach (var r in ranges)
        {
            min += r.MinKw;
            max += r.MaxKw;
        }

        return new PowerRange(min, max);
    }
}
