using Vpp.Domain.Validation;

namespace Vpp.Domain.GridServices;

/// <summary>
/// The FCR droop: ΔP = −P_FCR · (f − 50 Hz) / 0.2 Hz, clamped to ±P_FCR, zero while |f − 50 Hz| ≤ 10 mHz.
/// Positive (more export) when the frequency is low.
/// <para>
/// The response is deliberately NOT continuous at the deadband edge: the deadband is the insensitivity of the
/// measurement, not a shift of the droop line. Just outside ±10 mHz the response jumps from 0 to 5 % of the
/// contracted power, so the line still passes through half response at ±100 mHz and full response at ±200 mHz
/// exactly as the grid code's formula says (a shifted, continuous line would give 47.4 % at 49.9 Hz).
/// </para>
/// </summary>
public static class FcrDroop
{
    /// <summary>Slack for decimal frequencies that are not exact in binary (49.990 − 50 is −0.010000000000005).</summary>
    public const double FrequencyToleranceHz = 1e-9;

    public static double ResponseKw(double contractedKw, double frequencyHz, FcrSettings? settings = null) =>
        contractedKw * ResponseShare(frequencyHz, settings);

    /// <summary>The response as a share of the contracted power, in [−1, 1].</summary>
    public static double ResponseShare(double frequencyHz, FcrSettings? settings = null)
    {
        settings ??= FcrSettings.Default;
        if (!double.IsFinite(frequencyHz))
        {
            throw new ArgumentOutOfRangeException(nameof(frequencyHz), frequencyHz, "must be finite; validate measurements first");
        }

        var deviationHz = frequencyHz - settings.NominalFrequencyHz;
        if (IsInsideDeadband(frequencyHz, settings))
        {
            return 0;
        }

        return Math.Clamp(-deviationHz / settings.FullActivationDeviationHz, -1, 1);
    }

    /// <summary>True while the frequency is inside the insensitivity band (edges included).</summary>
    public static bool IsInsideDeadband(double frequencyHz, FcrSettings? settings = null)
    {
        settings ??= FcrSettings.Default;
        return Math.Abs(frequencyHz - settings.NominalFrequencyHz) <= settings.DeadbandHz + FrequencyToleranceHz;
    }

    /// <summary>Checks a measurement: finite and inside the plausible range of the synchronous area.</summary>
    public static void CheckFrequency(FieldErrors errors, string field, double frequencyHz, FcrSettings? settings = null)
    {
        settings ??= FcrSettings.Default;
        if (errors.Finite(field, frequencyHz)
            && (frequencyHz < settings.MinFrequencyHz || frequencyHz > settings.MaxFrequencyHz))
        {
            errors.Add(field, $"must be between {settings.MinFrequencyHz} and {settings.MaxFrequencyHz} Hz (got {frequencyHz})");
        }
    }
}
