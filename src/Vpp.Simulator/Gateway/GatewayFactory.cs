using Vpp.Simulator.Cli;

namespace Vpp.Simulator.Gateway;

/// <summary>Picks the transport from the options: the SDK for Orleans gateways, the HTTP API otherwise.</summary>
public static class GatewayFactory
{
    public static IAssetGateway Create(SimulatorOptions options)
    {
        if (options.Gateways.Count > 0)
        {
            throw new NotSupportedException("--gateway needs the .NET SDK gateway, which is not built into this simulator yet; use --url");
        }

        return new HttpAssetGateway(options.Url ?? SimulatorApp.DefaultUrl, options.ApiKey);
    }
}
