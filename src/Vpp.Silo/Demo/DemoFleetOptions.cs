namespace Vpp.Silo.Demo;

/// <summary>The simulated demo fleet; bound from the "Demo" configuration section. Off unless Enabled.</summary>
public sealed class DemoFleetOptions
{
    public const string SectionName = "Demo";

    public bool Enabled { get; set; }

    public string FleetId { get; set; } = "demo";

    public int AssetCount { get; set; } = 1000;

    /// <summary>The same seed gives the same assets (ids, specs) and the same simulated weather and devices.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>How often every simulated asset reports; keep it well under Vpp:OfflineAfter.</summary>
    public TimeSpan TelemetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Grain calls in flight at once, during registration and in each telemetry round.</summary>
    public int MaxConcurrency { get; set; } = 64;

    /// <summary>Assets registered per batch; progress is logged after each batch.</summary>
    public int RegistrationBatchSize { get; set; } = 100;

    /// <summary>
    /// Standing target set on the demo fleet once its assets are online, as a share of the fleet's maximum output;
    /// null sets none. A fleet that already has a target (e.g. from an earlier run) keeps it.
    /// </summary>
    public double? InitialTargetFraction { get; set; } = 0.3;
}
