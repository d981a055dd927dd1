using Vpp.Domain.GridServices;

namespace Vpp.Grains.GridServices;

/// <summary>Frequency response and balancing; bound from "Vpp:GridServices".</summary>
public sealed class GridServiceOptions
{
    /// <summary>The synchronous area the fleets' FCR contracts are registered in (one grid-area grain).</summary>
    public string Area { get; set; } = Abstractions.GridServices.GridAreas.ContinentalEurope;

    /// <summary>How long FCR batteries must deliver full contracted power each way (SoC window).</summary>
    public TimeSpan FcrActivationTime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>An "fcr" event is recorded when the response moves by more than this share of the contracted band.</summary>
    public double FcrEventThresholdPercent { get; set; } = 25;

    /// <summary>A measurement stamped further ahead of the VPP's clock than this is refused as a clock error.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A frequency measurement older than this no longer drives a response; one stamped older is refused.</summary>
    public TimeSpan MaxFrequencyAge { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>aFRR steps kept for GET /afrr.</summary>
    public TimeSpan AfrrRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// aFRR steps are written behind at most this late (and on deactivation): a setpoint every 4 s must not mean a
    /// state write every 4 s. A crash loses at most this much of the step record, never the contract.
    /// </summary>
    public TimeSpan AfrrWriteInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The first thing wrong with the options, or null.</summary>
    public static string? Problem(GridServiceOptions o) =>
        string.IsNullOrWhiteSpace(o.Area) ? "Area must be set"
        : o.FcrActivationTime <= TimeSpan.Zero ? "FcrActivationTime must be positive"
        : o.FcrEventThresholdPercent is < 0 or > 100 ? "FcrEventThresholdPercent must be between 0 and 100"
        : o.MaxClockSkew < TimeSpan.Zero ? "MaxClockSkew must not be negative"
        : o.MaxFrequencyAge <= TimeSpan.Zero ? "MaxFrequencyAge must be positive"
        : o.AfrrRetention <= TimeSpan.Zero ? "AfrrRetention must be positive"
        : o.AfrrWriteInterval <= TimeSpan.Zero ? "AfrrWriteInterval must be positive"
        : null;

    public FcrSettings Fcr => new() { ActivationTime = FcrActivationTime, MaxFrequencyAge = MaxFrequencyAge };

    public AfrrSettings Afrr => new() { MaxClockSkew = MaxClockSkew };
}
