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

    /// <summary>
    /// The VPP's optimised schedule for the fleet over one price per quarter hour from <paramref name="fromUtc"/>
    /// (proposed, not stored): each slot's fleet target and expected revenue.
    /// </summary>
    /// <exception cref="GatewayRefusedException">The VPP refused the request or found no feasible schedule.</exception>
    Task<ProposedDay> OptimiseAsync(string fleetId, DateTimeOffset fromUtc, IReadOnlyList<double> pricesEurPerMwh, double? endSocPercent, CancellationToken cancellationToken);

    /// <summary>The fleet's settlement totals per quarter hour of [<paramref name="fromUtc"/>, <paramref name="toUtc"/>).</summary>
    /// <exception cref="GatewayRefusedException">The VPP refused the range or does not know the fleet.</exception>
    Task<IReadOnlyList<SettledSlot>> GetSettlementAsync(string fleetId, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken);
}

/// <summary>One slot of a proposal: its start, price, the fleet target and the revenue the VPP expects of it.</summary>
public sealed record ProposedDaySlot(DateTimeOffset Start, double PriceEurPerMwh, double TargetKw, double RevenueEur);

/// <summary>A proposed schedule: expected revenue and profit (revenue − operating cost), the greedy baseline's profit, and its slots.</summary>
public sealed record ProposedDay(double RevenueEur, double ProfitEur, double? GreedyProfitEur, IReadOnlyList<ProposedDaySlot> Slots);

/// <summary>One settled quarter hour: requested and delivered energy (kWh, + export) and whether every meter covered it.</summary>
public sealed record SettledSlot(DateTimeOffset Start, double RequestedKwh, double DeliveredKwh, bool Complete);

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

/// <summary>The VPP answered, and refused: the request is at fault (the message says why), not the connection.</summary>
public sealed class GatewayRefusedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The gateway could not reach the VPP at all (as opposed to the VPP refusing one asset's report).</summary>
public sealed class GatewayUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
