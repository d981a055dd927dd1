using Vpp.Client;
using Vpp.Simulator.Cli;

namespace Vpp.Simulator.Gateway;

/// <summary>
/// Picks the transport from the options: the HTTP API when --url is given, otherwise the .NET SDK to the given Orleans
/// gateways, or to the local silo's gateway port (the README's silo) when none is given.
/// </summary>
public static class GatewayFactory
{
    /// <exception cref="GatewayUnavailableException">The cluster cannot be reached.</exception>
    public static async Task<IAssetGateway> CreateAsync(SimulatorOptions options, CancellationToken cancellationToken)
    {
        if (options.Url is { } url)
        {
            return new HttpAssetGateway(url, options.ApiKey);
        }

        return await SdkAssetGateway.ConnectAsync(ClientOptions(options), cancellationToken);
    }

    public static VppClientOptions ClientOptions(SimulatorOptions options) => new()
    {
        ClusterId = options.ClusterId,
        ServiceId = options.ServiceId,
        Gateways = [.. options.Gateways],
        TelemetryBatchSize = Math.Min(options.BatchSize, Vpp.Abstractions.Ingest.ITelemetryIngestGrain.MaxBatchSize),
    };
}
