using Vpp.Abstractions.Fleets;
using Vpp.Client;
using Vpp.Client.Errors;
using Vpp.Domain.Assets;
using IngestTelemetry = Vpp.Abstractions.Ingest.AssetTelemetry;

namespace Vpp.Simulator.Gateway;

/// <summary>
/// A gateway over the .NET SDK (<see cref="VppClient"/>, the Orleans client): telemetry goes in batches to the
/// silo's ingest grain, whose answer carries each asset's current setpoint, so a round costs one call per batch.
/// The SDK's typed exceptions map onto the gateway contract: a refused asset is an outcome, an unreachable cluster
/// is <see cref="GatewayUnavailableException"/>.
/// </summary>
public sealed class SdkAssetGateway(VppClient client, string target) : IAssetGateway
{
    /// <summary>Registrations in flight at once (the SDK has no batch registration; each is one grain call).</summary>
    public const int RegistrationConcurrency = 64;

    /// <exception cref="GatewayUnavailableException">The cluster cannot be reached.</exception>
    public static async Task<SdkAssetGateway> ConnectAsync(VppClientOptions options, CancellationToken cancellationToken)
    {
        var target = options.Gateways.Count > 0 ? $"Orleans gateway(s) {string.Join(", ", options.Gateways)}" : $"the local Orleans gateway port {options.LocalGatewayPort}";
        try
        {
            return new SdkAssetGateway(await VppClient.ConnectAsync(options, cancellationToken), $"{target} (cluster {options.ClusterId}, service {options.ServiceId}) through the .NET SDK");
        }
        catch (VppException ex)
        {
            throw new GatewayUnavailableException(ex.Message, ex);
        }
    }

    public string Describe() => target;

    public async Task<IReadOnlyList<GatewayOutcome>> RegisterAsync(IReadOnlyList<AssetRegistration> assets, CancellationToken cancellationToken)
    {
        var outcomes = new GatewayOutcome[assets.Count];
        await Parallel.ForAsync(
            0,
            assets.Count,
            new ParallelOptions { MaxDegreeOfParallelism = RegistrationConcurrency, CancellationToken = cancellationToken },
            async (i, ct) => outcomes[i] = await OutcomeAsync(assets[i].AssetId, () => client.RegisterAssetAsync(assets[i].AssetId, assets[i].Spec, ct)));
        return outcomes;
    }

    public async Task<IReadOnlyList<TelemetryReceipt>> ReportTelemetryAsync(IReadOnlyList<AssetTelemetry> batch, CancellationToken cancellationToken)
    {
        var result = await Unavailable(() => client.ReportTelemetryBatchAsync([.. batch.Select(s => new IngestTelemetry(s.AssetId, s.Telemetry))], cancellationToken));
        return [.. result.Outcomes.Select(o => new TelemetryReceipt(
            o.AssetId,
            o.Accepted,
            o.SetpointKw,
            o.Accepted ? null : string.Join("; ", o.Problems.Select(p => $"{p.Field}: {p.Message}"))))];
    }

    public Task<GatewayOutcome> ReportStatusAsync(string assetId, AssetStatus status, string reason, CancellationToken cancellationToken) =>
        OutcomeAsync(assetId, () => client.ReportStatusAsync(assetId, status, reason, cancellationToken));

    public async Task<FleetSnapshot?> GetFleetAsync(string fleetId, CancellationToken cancellationToken)
    {
        try
        {
            var fleet = await Unavailable(() => client.GetFleetAsync(fleetId, cancellationToken));
            return new FleetSnapshot(fleetId, fleet.Counts.AssetCount, fleet.Counts.OnlineCount, fleet.Dispatch.TargetKw, fleet.Dispatch.AllocatedKw, fleet.Dispatch.ShortfallKw);
        }
        catch (VppNotFoundException)
        {
            return null;
        }
    }

    public async Task<double> DispatchAsync(string fleetId, double targetKw, CancellationToken cancellationToken)
    {
        var result = await Unavailable(() => client.DispatchAsync(fleetId, new DispatchRequest(targetKw, IncludeSetpoints: false), cancellationToken));
        return result.AllocatedKw;
    }

    public async Task<IReadOnlyList<FleetEventRecord>> GetFleetEventsAsync(string fleetId, int limit, CancellationToken cancellationToken)
    {
        try
        {
            var events = await Unavailable(() => client.GetFleetEventsAsync(fleetId, Math.Min(limit, VppClient.MaxEventLimit), cancellationToken));
            return [.. events.Select(e => new FleetEventRecord(e.Sequence, e.At, e.Kind, e.Message))];
        }
        catch (VppNotFoundException)
        {
            return [];
        }
    }

    public async Task<ProposedDay> OptimiseAsync(
        string fleetId, DateTimeOffset fromUtc, IReadOnlyList<double> pricesEurPerMwh, double? endSocPercent, CancellationToken cancellationToken)
    {
        var proposal = await Refused(() => client.OptimiseAsync(
            fleetId, fromUtc, fromUtc.AddMinutes(15 * pricesEurPerMwh.Count), pricesEurPerMwh, endSocPercent, apply: false, cancellationToken));
        return new ProposedDay(
            proposal.RevenueEur, proposal.ProfitEur, proposal.GreedyProfitEur,
            [.. proposal.Slots.Select(s => new ProposedDaySlot(s.Start, s.PriceEurPerMwh, s.TargetKw, s.RevenueEur))]);
    }

    public async Task<IReadOnlyList<SettledSlot>> GetSettlementAsync(string fleetId, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken)
    {
        var settlement = await Refused(() => client.GetSettlementTotalsAsync(fleetId, fromUtc, toUtc, cancellationToken));
        return [.. settlement.Slots.Select(s => new SettledSlot(s.Start, s.RequestedKwh, s.DeliveredKwh, s.Complete))];
    }

    public ValueTask DisposeAsync() => client.DisposeAsync();

    /// <summary>The VPP's refusals (invalid, unknown, infeasible) as <see cref="GatewayRefusedException"/>; unreachable as unavailable.</summary>
    private static async Task<T> Refused<T>(Func<Task<T>> call)
    {
        try
        {
            return await Unavailable(call);
        }
        catch (VppException ex) when (ex is not VppUnavailableException)
        {
            throw new GatewayRefusedException(ex.Message, ex);
        }
    }

    private static async Task<GatewayOutcome> OutcomeAsync<T>(string assetId, Func<Task<T>> call)
    {
        try
        {
            await Unavailable(call);
            return GatewayOutcome.Ok(assetId);
        }
        catch (Exception ex) when (ex is VppValidationException or VppNotFoundException or VppConflictException)
        {
            return new GatewayOutcome(assetId, false, ex.Message);
        }
    }

    private static async Task<T> Unavailable<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (VppUnavailableException ex)
        {
            throw new GatewayUnavailableException(ex.Message, ex);
        }
    }
}
