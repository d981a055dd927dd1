using Vpp.Domain.Validation;

namespace Vpp.Domain.GridServices;

/// <summary>
/// Parameters of frequency containment (continental Europe by default). They are configuration, not constants,
/// because synchronous areas and TSOs differ (e.g. the activation time a battery must cover).
/// </summary>
public sealed record FcrSettings
{
    public double NominalFrequencyHz { get; init; } = 50;

    /// <summary>Insensitivity: no response while |f − nominal| is at most this (10 mHz).</summary>
    public double DeadbandHz { get; init; } = 0.010;

    /// <summary>Deviation at which the full contracted power is due (200 mHz).</summary>
    public double FullActivationDeviationHz { get; init; } = 0.200;

    /// <summary>Measurements outside [min, max] are refused: the area would be in load shedding or tripping.</summary>
    public double MinFrequencyHz { get; init; } = 47.5;

    public double MaxFrequencyHz { get; init; } = 52.5;

    /// <summary>
    /// Above this the frequency is outside the range continental Europe's generating units must stay connected in
    /// (49.0–51.0 Hz unlimited, up to 51.5 Hz for 30 minutes: NC RfG, Regulation (EU) 2016/631, Art. 13(1), Table 2):
    /// units may trip, so the area raises an alarm.
    /// </summary>
    public double AlarmAboveHz { get; init; } = 51.5;

    /// <summary>
    /// Below this continental Europe starts automatic low-frequency demand disconnection (49.0 Hz: NC ER,
    /// Regulation (EU) 2017/2196, Annex, LFDD scheme), so the area raises an alarm.
    /// </summary>
    public double AlarmBelowHz { get; init; } = 49.0;

    /// <summary>A measurement older than this no longer drives a response, and one stamped older is refused.</summary>
    public TimeSpan MaxFrequencyAge { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a battery must be able to deliver full contracted power in each direction.</summary>
    public TimeSpan ActivationTime { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Over-fulfilment allowed in the droop's direction, as a share of the power the droop requests (20 %): the German
    /// TSOs' degrees of freedom for FCR provision, used for SoC recovery outside the deadband.
    /// </summary>
    public double OverFulfilmentShare { get; init; } = 0.2;

    /// <summary>
    /// Inside the deadband a unit may deliver in the droop's direction up to the droop power at the deadband's edge:
    /// 10 mHz / 200 mHz = 5 % of its reserve.
    /// </summary>
    public double DeadbandUseShare => DeadbandHz / FullActivationDeviationHz;

    /// <summary>
    /// No SoC management while the SoC is within this share of the half-window around the window's middle:
    /// the battery is then comfortably able to deliver either way and moving energy would only cost losses.
    /// </summary>
    public double SocManagementQuietShare { get; init; } = 0.25;

    public static readonly FcrSettings Default = new();

    public IReadOnlyList<FieldError> Validate()
    {
        var e = new FieldErrors();
        e.Positive("nominalFrequencyHz", NominalFrequencyHz);
        e.NotNegative("deadbandHz", DeadbandHz);
        e.Positive("fullActivationDeviationHz", FullActivationDeviationHz);
        if (DeadbandHz >= FullActivationDeviationHz)
        {
            e.Add("deadbandHz", $"must be below fullActivationDeviationHz ({DeadbandHz} >= {FullActivationDeviationHz})");
        }

        if (!(MinFrequencyHz < NominalFrequencyHz && NominalFrequencyHz < MaxFrequencyHz))
        {
            e.Add("minFrequencyHz", "minFrequencyHz < nominalFrequencyHz < maxFrequencyHz must hold");
        }

        if (!(MinFrequencyHz <= AlarmBelowHz && AlarmBelowHz < NominalFrequencyHz && NominalFrequencyHz < AlarmAboveHz && AlarmAboveHz <= MaxFrequencyHz))
        {
            e.Add("alarmBelowHz", "minFrequencyHz <= alarmBelowHz < nominalFrequencyHz < alarmAboveHz <= maxFrequencyHz must hold");
        }

        if (MaxFrequencyAge <= TimeSpan.Zero)
        {
            e.Add("maxFrequencyAge", "must be longer than zero");
        }

        if (ActivationTime <= TimeSpan.Zero)
        {
            e.Add("activationTime", "must be longer than zero");
        }

        e.Range("overFulfilmentShare", OverFulfilmentShare, 0, 1);
        e.Range("socManagementQuietShare", SocManagementQuietShare, 0, 1);
        return e.Errors;
    }
}
