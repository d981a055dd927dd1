using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Vpp.Client;

/// <summary>Parses "host:port" gateway entries (IPv4, [IPv6] or a DNS name).</summary>
internal static class GatewayEndpoints
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out string? host, out int port)
    {
        host = null;
        port = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out port) || port is <= 0 or > 65535)
        {
            return false;
        }

        host = text[..colon].Trim('[', ']');
        return host.Length > 0;
    }

    public static IPEndPoint[] Resolve(IEnumerable<string> gateways) =>
    [
        .. gateways.SelectMany(entry =>
        {
            TryParse(entry, out var host, out var port);
            var addresses = IPAddress.TryParse(host, out var ip) ? [ip] : Dns.GetHostAddresses(host!);
            return addresses.Select(a => new IPEndPoint(a, port));
        }),
    ];
}
