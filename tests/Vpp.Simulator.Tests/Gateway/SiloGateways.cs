using Vpp.Client;
using Vpp.Simulator.Gateway;

namespace Vpp.Simulator.Tests.Gateway;

/// <summary>The simulator's gateways to the test silo: the .NET SDK over its Orleans gateway, or its HTTP API.</summary>
internal static class SiloGateways
{
    public static async Task<IAssetGateway> ConnectAsync(VppApiFixture silo, string transport) => transport switch
    {
        "sdk" => await SdkAssetGateway.ConnectAsync(
            new VppClientOptions
            {
                ClusterId = silo.Settings["Orleans:ClusterId"],
                ServiceId = silo.Settings["Orleans:ServiceId"],
                Gateways = [$"127.0.0.1:{silo.GatewayPort}"],
            },
            CancellationToken.None),
        _ => new HttpAssetGateway(silo.Client, apiKey: null),
    };
}
