using Vpp.Domain.Validation;

namespace Vpp.Domain.GridServices;

/// <summary>
/// What a frequency measurement may be used for. A measurement older than <see cref="FcrSettings.MaxFrequencyAge"/> is
/// stale: FCR is a response to the frequency now (full activation within 30 s in continental Europe, SOGL Annex V), so an
/// old value must not keep driving a response, and one that arrives already that old is refused.
/// </summary>
public static class FrequencyRules
{
    public static bool IsFresh(DateTimeOffset measuredAt, DateTimeOffset now, FcrSettings? settings = null) =>
        now - measuredAt <= (settings ?? FcrSettings.Default).MaxFrequencyAge;

    /// <summary>Adds an error on <paramref name="field"/> when the measurement is already stale on arrival.</summary>
    public static void CheckAge(FieldErrors errors, string field, DateTimeOffset measuredAt, DateTimeOffset now, FcrSettings? settings = null)
    {
        settings ??= FcrSettings.Default;
        if (!IsFresh(measuredAt, now, settings))
        {
            errors.Add(field, $"is {(now - measuredAt).TotalSeconds:0.###} s old ({measuredAt:O}); measurements older than "
                + $"{settings.MaxFrequencyAge.TotalSeconds:0.###} s no longer drive a response");
        }
    }

    /// <summary>
    /// Why the frequency calls for an alarm, or null inside [<see cref="FcrSettings.AlarmBelowHz"/>,
    /// <see cref="FcrSettings.AlarmAboveHz"/>]: above, generating units may trip (NC RfG Art. 13); below, load
    /// shedding starts (NC ER LFDD).
    /// </summary>
    public static string? Alarm(double frequencyHz, FcrSettings? settings = null)
    {
        settings ??= FcrSettings.Default;
        return frequencyHz > settings.AlarmAboveHz + FcrDroop.FrequencyToleranceHz
            ? $"{frequencyHz:0.000} Hz is above {settings.AlarmAboveHz} Hz, the limit of the frequency range generating units must withstand (NC RfG Art. 13): units may trip"
            : frequencyHz < settings.AlarmBelowHz - FcrDroop.FrequencyToleranceHz
                ? $"{frequencyHz:0.000} Hz is below {settings.AlarmBelowHz} Hz, where automatic low-frequency demand disconnection starts (NC ER, LFDD)"
                : null;
    }
}
