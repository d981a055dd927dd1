using Vpp.Domain.Assets;
using Vpp.Simulator.Gateway;

namespace Vpp.Simulator.Tests.Engine;

/// <summary>
/// A gateway that records what the engine sends and answers every telemetry sample with a fixed setpoint per asset.
/// For the engine's own logic (fault timing, determinism, accounting); the end-to-end tests use the real VPP.
/// </summary>
internal sealed class RecordingGateway : IAssetGateway
{
    public Dictionary<string, double> Setpoints { get; } = [];

    public List<(TimeSpan At, string AssetId, Telemetry Telemetry)> Telemetry { get; } = [];

    public List<(string AssetId, AssetStatus Status)> StatusReports { get; } = [];

    public HashSet<string> Registered { get; } = [];

    public Func<DateTimeOffset>? Now { get; init; }

    public DateTimeOffset Start { get; init; }

    public string Describe() => "recording gateway";

    public Task<IReadOnlyList<GatewayOutcome>> RegisterAsync(IReadOnlyList<AssetRegistration> assets, CancellationToken cancellationToken)
    {
        foreach (var a in assets)
        {
            Registered.Add(a.AssetId);
        }

        return Task.FromResult<IReadOnlyList<GatewayOutcome>>([.. assets.Select(a => GatewayOutcome.Ok(a.AssetId))]);
    }

    public Task<IReadOnlyList<TelemetryReceipt>> ReportTelemetryAsync(IReadOnlyList<AssetTelemetry> batch, CancellationToken cancellationToken)
    {
        foreach (var sample in batch)
        {
            Telemetry.Add((sample.Telemetry.Timestamp!.Value - Start, sample.AssetId, sample.Telemetry));
        }

        return Task.FromResult<IReadOnlyList<TelemetryReceipt>>(
            [.. batch.Select(s => new TelemetryReceipt(s.AssetId, true, Setpoints.TryGetValue(s.AssetId, out var kw) ? kw : null))]);
    }

    public Task<GatewayOutcome> ReportStatusAsync(string assetId, AssetStatus status, string reason, CancellationToken cancellationToken)
    {
        StatusReports.Add((assetId, status));
        return Task.FromResult(GatewayOutcome.Ok(assetId));
    }

    public Task<FleetSnapshot?> GetFleetAsync(string fleetId, CancellationToken cancellationToken) =>
        Task.FromResult<FleetSnapshot?>(new FleetSnapshot(fleetId, Registered.Count, Registered.Count, null, 0, 0));

    public Task<double> DispatchAsync(string fleetId, double targetKw, CancellationToken cancellationToken) => Task.FromResult(targetKw);

    public Task<IReadOnlyList<FleetEventRecord>> GetFleetEventsAsync(string fleetId, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FleetEventRecord>>([]);

    public Task<ProposedDay> OptimiseAsync(
        string fleetId, DateTimeOffset fromUtc, IReadOnlyList<double> pricesEurPerMwh, double? endSocPercent, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the engine tests do not optimise");

    public Task<IReadOnlyList<SettledSlot>> GetSettlementAsync(string fleetId, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the engine tests do not settle");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
