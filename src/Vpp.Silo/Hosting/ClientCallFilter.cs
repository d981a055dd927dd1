using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Forecasts;
using Vpp.Abstractions.GridServices;
using Vpp.Abstractions.Ingest;
using Vpp.Abstractions.Optimisation;
using Vpp.Abstractions.Schedules;
using Vpp.Abstractions.VirtualBatteries;

namespace Vpp.Silo.Hosting;

/// <summary>
/// Refuses calls from external clients (callers through a gateway) to grain methods only the silos may call:
/// setpoints, partitions, the fleet's self-calls, the console's views, Orleans' management grains. Clients may call
/// exactly the operations the SDK (src/Vpp.Client) uses; a method added to a grain interface stays closed to clients
/// until it is listed here. Calls between grains and from the silo's own HTTP API (the hosted client) pass.
/// </summary>
/// <remarks>
/// The caller is told apart by the sender id Orleans stamps on the message: a client's is of the "sys.client" type,
/// the silo's hosted client's key starts with "hosted-". A client holding a valid certificate and running a
/// modified Orleans client could forge that id, so the gateway's mutual TLS is the authentication and this filter
/// narrows what an authenticated, unmodified client can reach.
/// </remarks>
public sealed class ClientCallFilter : IIncomingGrainCallFilter
{
    private const string HostedClientKeyPrefix = "hosted-";

    /// <summary>Per grain interface, the methods the SDK calls.</summary>
    private static readonly Dictionary<Type, HashSet<string>> ClientMethods = new()
    {
        [typeof(IAssetGrain)] =
        [
            nameof(IAssetGrain.ConfigureAsync), nameof(IAssetGrain.GetAsync), nameof(IAssetGrain.ReportTelemetryAsync),
            nameof(IAssetGrain.ReportStatusAsync), nameof(IAssetGrain.RemoveAsync),
        ],
        [typeof(IAssetAvailabilityGrain)] =
        [
            nameof(IAssetAvailabilityGrain.AddUnavailabilityAsync), nameof(IAssetAvailabilityGrain.GetUnavailabilitiesAsync),
            nameof(IAssetAvailabilityGrain.RemoveUnavailabilityAsync),
        ],
        [typeof(IFleetGrain)] =
        [
            nameof(IFleetGrain.GetAsync), nameof(IFleetGrain.DispatchAsync), nameof(IFleetGrain.GetEventsAsync), nameof(IFleetGrain.GetEventsBeforeAsync),
            nameof(IFleetGrain.SubscribeAsync), nameof(IFleetGrain.UnsubscribeAsync), nameof(IFleetGrain.GetOutputAsync),
        ],
        [typeof(IFleetQueryGrain)] = [nameof(IFleetQueryGrain.GetFlexibilityAsync), nameof(IFleetQueryGrain.GetBidsAsync)],
        [typeof(ISettlementQueryGrain)] =
        [
            nameof(ISettlementQueryGrain.GetSettlementAsync), nameof(ISettlementQueryGrain.GetSettlementTotalsAsync),
        ],
        [typeof(IFleetGridServicesGrain)] =
        [
            nameof(IFleetGridServicesGrain.SetFcrContractAsync), nameof(IFleetGridServicesGrain.EndFcrContractsAsync),
            nameof(IFleetGridServicesGrain.SetAfrrSetpointAsync),
            nameof(IFleetGridServicesGrain.GetAfrrStepsAsync),
        ],
        [typeof(IGridAreaGrain)] = [nameof(IGridAreaGrain.ReportFrequencyAsync)],
        [typeof(IFleetScheduleGrain)] =
        [
            nameof(IFleetScheduleGrain.SubmitAsync), nameof(IFleetScheduleGrain.GetAsync), nameof(IFleetScheduleGrain.DeleteAsync),
        ],
        [typeof(ITelemetryIngestGrain)] = [nameof(ITelemetryIngestGrain.IngestAsync)],
        [typeof(IAssetRegistrationGrain)] = [nameof(IAssetRegistrationGrain.RegisterAsync)],
        [typeof(IVirtualBatteryGrain)] =
        [
            nameof(IVirtualBatteryGrain.ConfigureAsync), nameof(IVirtualBatteryGrain.GetAsync), nameof(IVirtualBatteryGrain.DispatchAsync),
            nameof(IVirtualBatteryGrain.SubmitScheduleAsync), nameof(IVirtualBatteryGrain.DeleteAsync), nameof(IVirtualBatteryGrain.GetDeletedAsync),
        ],
        [typeof(ISliceBookGrain)] = [nameof(ISliceBookGrain.GetAsync), nameof(ISliceBookGrain.GetSettlementAsync)],
        [typeof(IVirtualBatteriesGrain)] = [nameof(IVirtualBatteriesGrain.ListAsync), nameof(IVirtualBatteriesGrain.GetSettlementAsync)],
        [typeof(IScheduleOptimiserGrain)] = [nameof(IScheduleOptimiserGrain.OptimiseAsync)],
        [typeof(IFleetForecastGrain)] =
        [
            nameof(IFleetForecastGrain.PutAsync), nameof(IFleetForecastGrain.GetAsync),
            nameof(IFleetForecastGrain.ListAsync),
        ],
    };

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (IsExternalClient(context.SourceId) && !IsOpenToClients(context))
        {
            throw new CallRefusedException(context.InterfaceMethod.DeclaringType?.Name ?? context.InterfaceName, context.MethodName);
        }

        return context.Invoke();
    }

    /// <summary>A client connected through a gateway (not the silo's hosted client, not a grain).</summary>
    public static bool IsExternalClient(GrainId? source) =>
        source is { } id
        && id.IsClient()
        && !id.Key.ToString().StartsWith(HostedClientKeyPrefix, StringComparison.Ordinal);

    /// <summary>
    /// The SDK's operations, and Orleans' system targets (a client asks its gateway for the cluster's type manifest);
    /// every other grain, Orleans' own included, is closed to clients.
    /// </summary>
    private static bool IsOpenToClients(IIncomingGrainCallContext context) =>
        context.TargetId.IsSystemTarget()
        || (context.InterfaceMethod.DeclaringType is { } type
            && ClientMethods.TryGetValue(type, out var methods)
            && methods.Contains(context.InterfaceMethod.Name));
}
