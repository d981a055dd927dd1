using Microsoft.Extensions.Options;

namespace Vpp.Grains;

/// <summary>The schedule optimiser ("Vpp:Optimisation").</summary>
public sealed class OptimisationOptions
{
    /// <summary>Longest a solve may take (including explaining an infeasible one); a mixed-integer search stops at its best schedule.</summary>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromSeconds(10);
}

public sealed partial class VppOptions
{
    /// <summary>The schedule optimiser (section "Vpp:Optimisation").</summary>
    public OptimisationOptions Optimisation { get; set; } = new();

    internal static void ValidateOptimisation(OptionsBuilder<VppOptions> options) => options
        .Validate(o => o.Optimisation.TimeLimit > TimeSpan.Zero && o.Optimisation.TimeLimit <= TimeSpan.FromMinutes(10), "Vpp:Optimisation:TimeLimit must be positive and at most 10 minutes");
}
