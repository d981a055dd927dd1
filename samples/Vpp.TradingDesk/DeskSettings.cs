using System.Globalization;
using Vpp.Client;
using Vpp.Domain.Dispatch;

namespace Vpp.TradingDesk;

/// <summary>Command line of the sample: where the cluster is, which fleet, what to dispatch (the fleet, or a virtual battery of it).</summary>
internal sealed record DeskSettings(VppClientOptions Client, string FleetId, double? TargetKw, DispatchStrategy Strategy, double? WatchSeconds, string? SliceId = null)
{
    public const string Usage = """
        usage: Vpp.TradingDesk [--fleet demo] [--target-kw 5000] [--strategy meritOrder|proRata] [--slice <virtual battery id>]
                               [--gateway-port 30000 | --gateways host:port,host:port | --postgres "<connection string>"]
                               [--cluster-id vpp-local] [--service-id vpp] [--watch-seconds N]
        """;

    public static DeskSettings? Parse(string[] args)
    {
        var client = new VppClientOptions();
        string fleetId = "demo";
        string? sliceId = null;
        double? targetKw = null, watchSeconds = null;
        var strategy = DispatchStrategy.MeritOrder;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--fleet": fleetId = value; break;
                case "--slice": sliceId = value; break;
                case "--target-kw" when double.TryParse(value, CultureInfo.InvariantCulture, out var kw): targetKw = kw; break;
                case "--strategy" when DispatchStrategies.Parse(value) is { } s: strategy = s; break;
                case "--gateway-port" when int.TryParse(value, out var port): client.LocalGatewayPort = port; break;
                case "--gateways": client.Gateways = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]; break;
                case "--postgres": client.PostgresConnectionString = value; break;
                case "--cluster-id": client.ClusterId = value; break;
                case "--service-id": client.ServiceId = value; break;
                case "--watch-seconds" when double.TryParse(value, CultureInfo.InvariantCulture, out var w): watchSeconds = w; break;
                default: return null;
            }
        }

        return args.Length % 2 == 0 ? new DeskSettings(client, fleetId, targetKw, strategy, watchSeconds, sliceId) : null;
    }
}
