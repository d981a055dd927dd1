using Vpp.Domain.Assets;

namespace Vpp.Simulator.Gateway;

/// <summary>
/// How the simulator reaches a VPP, seen from a device gateway: register devices, report their telemetry in batches
/// (learning each device's current setpoint from the answer), report status changes, and read the fleet back.
/// Implementations translate to one transport (the .NET SDK, the HTTP API); the engine knows none of them.
/// </summary>
public interface IAssetGateway : IAsyncDisposable
{
    /// <summary>Human-readable description of where this gateway points, for the console.</summary>
    string Describe();

    /// <summary>Registers (or updates) the assets; returns one outcome per asset, in order.</summary>
    Task<IReadOnlyList<GatewayOutcome>> RegisterAsync(IReadOnlyList<AssetRegistration> assets, CancellationToken cancellationToken);

    /// <summary>Reports one telemetry sample per asset; returns one receipt per sample, in order, with the asset's current setpoint.</summary>
    Task<IReadOnlyList<TelemetryReceipt>> ReportTelemetryAsync(IReadOnlyList<AssetTelemetry> batch, CancellationToken cancellationToken);

    Task<GatewayOutcome> ReportStatusAsync(string assetId, AssetStatus status, string reason, CancellationToken cancellationToken);

    /// <summary>The fleet as the VPP sees it, or null when the VPP does not know the fleet (yet).</summary>
    Task<FleetSnapshot?> GetFleetAsync(string fleetId, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the fleet's standing target, as a trading system would (the simulator's <c>--target-kw</c>, so a run shows
    /// setpoints being followed without a second program); returns the kW the VPP allocated.
    /// </summary>
    Task<double> DispatchAsync(string fleetId, double targetKw, CancellationToken cancellationToken);

    /// <summary>The fleet's most recent events, newest first.</summary>
    Task<IReadOnlyList<FleetEventRecord>> GetFleetEventsAsync(string fleetId, int limit, CancellationToken cancellationToken);
}

public sealed record AssetRegistration(string AssetId, AssetSpec Spec);

public sealed record AssetTelemetry(string AssetId, Telemetry Telemetry);

/// <summary>Whether the VPP took a registration or status report; <see cref="Problem"/> says why not.</summary>
public sealed record GatewayOutcome(string AssetId, bool Accepted, string? Problem = null)
{
    public static GatewayOutcome Ok(string assetId) => new(assetId, true);
}

/// <summary>
/// The VPP's answer to one telemetry sample: accepted or not (with the reason), and the setpoint the asset should
/// follow now (kW, + export; null when the VPP has not set one).
/// </summary>
public sealed record TelemetryReceipt(string AssetId, bool Accepted, double? SetpointKw, string? Problem = null);

public sealed record FleetSnapshot(string FleetId, int AssetCount, int OnlineCount, double? TargetKw, double AllocatedKw, double ShortfallKw);

/// <summary>One fleet event: its sequence number, when, what kind ("dispatch", "reallocation", …) and what it says.</summary>
public sealed record FleetEventRecord(long Sequence, DateTimeOffset At, string Kind, string Message);

/// <summary>The gateway could not reach the VPP at all (as opposed to the VPP refusing one asset's report).</summary>
public sealed class GatewayUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
