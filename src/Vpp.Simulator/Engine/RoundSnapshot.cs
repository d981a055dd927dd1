namespace Vpp.Simulator.Engine;

/// <summary>
/// The fleet after one round. Requested and delivered cover the assets under the VPP's control (with a setpoint,
/// not in an outage); <see cref="OutputKw"/> is everything the simulated fleet put on the grid (+ export).
/// </summary>
public sealed record RoundSnapshot(
    int Round,
    DateTimeOffset At,
    TimeSpan Elapsed,
    int AssetCount,
    int ReportingCount,
    int OfflineCount,
    int SilentCount,
    double RequestedKw,
    double DeliveredKw,
    double OutputKw,
    double? FleetTargetKw,
    int FleetOnlineCount,
    int TelemetryRefused,
    string? Problem);

/// <summary>Requested vs delivered energy of all assets of one kind, to see where a shortfall comes from.</summary>
public sealed record KindDelivery(string Kind, int AssetCount, double RequestedKwh, double DeliveredKwh, double DeviationKwh);

public sealed record AssetDeviation(string AssetId, string Kind, double RequestedKwh, double DeliveredKwh, double DeviationKwh, string Why);

/// <summary>What a run came to: energy asked for and delivered, the assets that strayed most, and what the VPP did about it.</summary>
public sealed record SimulationSummary(
    int Rounds,
    TimeSpan Elapsed,
    int AssetCount,
    int RegisteredCount,
    double RequestedKwh,
    double DeliveredKwh,
    double OutputKwh,
    IReadOnlyList<KindDelivery> ByKind,
    IReadOnlyList<AssetDeviation> WorstAssets,
    int DispatchesSeen,
    int ReallocationsSeen,
    IReadOnlyList<string> ReallocationMessages,
    int FailedRounds,
    string? EventsProblem);
