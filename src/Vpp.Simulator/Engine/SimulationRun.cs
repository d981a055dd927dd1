using Vpp.Domain.Simulation;
using Vpp.Simulator.Faults;
using Vpp.Simulator.Scenarios;

namespace Vpp.Simulator.Engine;

/// <summary>Everything that defines a run: which assets, which faults, how often they report and for how long.</summary>
public sealed record SimulationRun
{
    public required string FleetId { get; init; }

    public required IReadOnlyList<PlannedAsset> Assets { get; init; }

    public int Seed { get; init; }

    public FaultRates Faults { get; init; } = FaultRates.None;

    /// <summary>How often every asset steps its physics and reports telemetry.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long to run; null runs until cancelled.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Samples per telemetry call.</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>Telemetry calls in flight at once.</summary>
    public int MaxConcurrentBatches { get; init; } = 4;

    public SimulationSettings Physics { get; init; } = SimulationSettings.Default;

    /// <summary>
    /// A standing fleet target (kW) to set once the VPP sees the assets online, as a trading system would; null leaves
    /// dispatch to others.
    /// </summary>
    public double? StandingTargetKw { get; init; }

    /// <summary>When the run has no duration, faults are planned over this horizon.</summary>
    public static readonly TimeSpan DefaultFaultHorizon = TimeSpan.FromMinutes(10);

    public TimeSpan FaultHorizon => Duration ?? DefaultFaultHorizon;

    public IEnumerable<string> Problems()
    {
        if (EntityIdProblem() is { } idProblem)
        {
            yield return $"--fleet {idProblem}";
        }

        if (Interval < TimeSpan.FromMilliseconds(100) || Interval > TimeSpan.FromHours(1))
        {
            yield return $"--interval must be between 100 ms and 1 hour, not {Interval}";
        }

        if (Duration is { } duration && duration <= TimeSpan.Zero)
        {
            yield return $"--duration must be positive, not {duration}";
        }

        if (BatchSize is < 1 or > 100_000)
        {
            yield return $"--batch-size must be between 1 and 100000, not {BatchSize}";
        }

        if (StandingTargetKw is { } target && (!double.IsFinite(target) || Math.Abs(target) > Vpp.Domain.Assets.AssetSpec.MaxAbsPowerKw))
        {
            yield return $"--target-kw must be a finite number of kW, not {target}";
        }

        foreach (var problem in Faults.Problems())
        {
            yield return problem;
        }
    }

    private string? EntityIdProblem() => Vpp.Domain.Assets.EntityId.Problem(FleetId);
}
