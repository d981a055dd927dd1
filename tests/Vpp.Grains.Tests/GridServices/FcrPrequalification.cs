using Vpp.Domain.GridServices;

namespace Vpp.Grains.Tests.GridServices;

/// <summary>A frequency held from <see cref="Offset"/> after the test start until the next step.</summary>
public readonly record struct FrequencyStep(TimeSpan Offset, double FrequencyHz);

/// <summary>One observation during a test: the response the droop requires and what the fleet delivered.</summary>
public readonly record struct FcrObservation(DateTimeOffset At, double RequiredKw, double DeliveredKw);

/// <summary>An observation outside the tolerance after the settling time of its step.</summary>
public readonly record struct FcrViolation(DateTimeOffset At, double FrequencyHz, double RequiredKw, double DeliveredKw)
{
    public double ErrorKw => DeliveredKw - RequiredKw;
}

/// <summary>
/// A prequalification-style FCR test: frequency steps to −200 mHz and +200 mHz, each held, with returns to nominal
/// between them, and the check that the delivered power tracks the required power within a tolerance (percent of
/// the contracted band) once the settling time after each step has passed, run against a fleet on the test cluster.
/// </summary>
public static class FcrPrequalification
{
    public static IReadOnlyList<FrequencyStep> StepProfile(TimeSpan hold, FcrSettings? settings = null)
    {
        settings ??= FcrSettings.Default;
        var nominal = settings.NominalFrequencyHz;
        var full = settings.FullActivationDeviationHz;
        double[] frequencies = [nominal, nominal - full, nominal, nominal + full, nominal];
        return frequencies.Select((f, i) => new FrequencyStep(hold * i, f)).ToList();
    }

    public static TimeSpan Duration(IReadOnlyList<FrequencyStep> profile, TimeSpan hold) => profile[^1].Offset + hold;

    public static double FrequencyAt(IReadOnlyList<FrequencyStep> profile, TimeSpan offset) =>
        profile.LastOrDefault(s => s.Offset <= offset, profile[0]).FrequencyHz;

    public static IReadOnlyList<FcrViolation> Violations(
        IReadOnlyList<FrequencyStep> profile,
        DateTimeOffset start,
        IEnumerable<FcrObservation> observations,
        double contractedKw,
        TimeSpan settlingTime,
        double tolerancePercentOfContracted = 5)
    {
        var toleranceKw = contractedKw * tolerancePercentOfContracted / 100;
        var violations = new List<FcrViolation>();
        foreach (var o in observations)
        {
            var offset = o.At - start;
            var stepStart = profile.LastOrDefault(s => s.Offset <= offset, profile[0]).Offset;
            if (offset - stepStart >= settlingTime && Math.Abs(o.DeliveredKw - o.RequiredKw) > toleranceKw)
            {
                violations.Add(new FcrViolation(o.At, FrequencyAt(profile, offset), o.RequiredKw, o.DeliveredKw));
            }
        }

        return violations;
    }
}
