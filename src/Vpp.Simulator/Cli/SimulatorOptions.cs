using Vpp.Simulator.Faults;

namespace Vpp.Simulator.Cli;

/// <summary>The simulator's command line, parsed and checked.</summary>
public sealed record SimulatorOptions
{
    /// <summary>The VPP's HTTP API base address; when null the simulator uses the .NET SDK.</summary>
    public Uri? Url { get; init; }

    /// <summary>Orleans gateway endpoints (host:port) for the .NET SDK.</summary>
    public IReadOnlyList<string> Gateways { get; init; } = [];

    /// <summary>API key for the HTTP API (the SDK talks to the cluster directly and needs none).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Orleans cluster and service ids the SDK must match; the defaults are the README silo's.</summary>
    public string ClusterId { get; init; } = "vpp-local";

    public string ServiceId { get; init; } = "vpp";

    /// <summary>The fleet the assets join; null: the scenario file's, or "sim" for the demo mix.</summary>
    public string? FleetId { get; init; }

    public const string DefaultFleetId = "sim";

    public int? AssetCount { get; init; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan? Duration { get; init; }

    public int Seed { get; init; } = 42;

    public FaultRates Faults { get; init; } = FaultRates.None;

    public string? ScenarioPath { get; init; }

    public double? TargetKw { get; init; }

    /// <summary>Site of the solar plants (°); null keeps the fixed equinox day curve (sunrise 06:00, sunset 18:00 UTC).</summary>
    public double? LatitudeDegrees { get; init; }

    public double LongitudeDegrees { get; init; }

    public string? CsvPath { get; init; }

    public string? PngPath { get; init; }

    public int BatchSize { get; init; } = 1000;

    public int WorstCount { get; init; } = 10;

    /// <summary>A price file (CSV from,eurPerMwh): the run follows the VPP's optimised schedule over these prices instead of running for a duration.</summary>
    public string? OptimisePricesPath { get; init; }

    /// <summary>How many quarter hours of the price file to follow; null: all of it.</summary>
    public int? OptimiseSlots { get; init; }

    /// <summary>The SoC every battery group must end the optimised day at or above; null: where it starts.</summary>
    public double? EndSocPercent { get; init; }

    public const int DefaultAssetCount = 100;
}
