using Microsoft.Extensions.Options;

namespace Vpp.Grains;

/// <summary>The schedule optimiser ("Vpp:Optimisation").</summary>
public sealed class OptimisationOptions
{
    /// <summary>Longest a solve may take (including explaining an infeasible one); a mixed-integer search stops at its best schedule.</summary>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Latitude of the fleets' solar parks for the clear-sky PV forecast (°, north positive); the default is the middle of Germany.</summary>
    public double LatitudeDegrees { get; set; } = 51.16;

    /// <summary>Longitude of the fleets' solar parks (°, east positive).</summary>
    public double LongitudeDegrees { get; set; } = 10.45;
}

public sealed partial class VppOptions
{
    /// <summary>The schedule optimiser (section "Vpp:Optimisation").</summary>
    public OptimisationOptions Optimisation { get; set; } = new();

    internal static void ValidateOptimisation(OptionsBuilder<VppOptions> options) => options
        .Validate(o => o.Optimisation.TimeLimit > TimeSpan.Zero && o.Optimisation.TimeLimit <= TimeSpan.FromMinutes(10), "Vpp:Optimisation:TimeLimit must be positive and at most 10 minutes")
        .Validate(o => o.Optimisation.LatitudeDegrees is >= -90 and <= 90 && o.Optimisation.LongitudeDegrees is >= -180 and <= 180, "Vpp:Optimisation:LatitudeDegrees must be within ±90 and LongitudeDegrees within ±180");
}
