using System.Net;
using System.Net.Sockets;

namespace Vpp.Testing;

/// <summary>
/// A loopback port nobody listens on now, for a test silo to bind a moment later.
/// </summary>
/// <remarks>
/// The port is drawn at random below the OS's ephemeral range (Linux: <c>/proc/sys/net/ipv4/ip_local_port_range</c>,
/// 32768–60999 by default) and checked by binding it. A port the OS picks for a socket bound to port 0 comes from the
/// ephemeral range, where any process's next outgoing connection (Npgsql, HttpClient, Chromium, the test projects
/// running side by side) may take it before the silo binds it; below that range only listeners bind. A port once given
/// out is never given out again in this process, so a silo's HTTP, silo and gateway ports are three different ports.
/// </remarks>
public static class FreePort
{
    /// <summary>Below this: well-known and registered services' ports (PostgreSQL 5432, the demo's 5080, Orleans' 11111).</summary>
    private const int Lowest = 20_000;

    /// <summary>Orleans' default gateway port is 30000: a silo started with defaults must not meet a test's.</summary>
    private const int HighestExclusive = 30_000;

    private static readonly HashSet<int> GivenOut = [];
    private static readonly (int Low, int High)? Range = ListenerRange();

    public static int Next()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Range is var (low, high) ? Random.Shared.Next(low, high) : OsPicked();
            lock (GivenOut)
            {
                if (GivenOut.Contains(port))
                {
                    continue;
                }
            }

            if (!CanBind(port))
            {
                continue;
            }

            lock (GivenOut)
            {
                if (GivenOut.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("no free loopback port found in 1,000 attempts");
    }

    /// <summary>[Lowest, the ephemeral range's start or 30000), or null where that leaves too few ports to draw from.</summary>
    private static (int Low, int High)? ListenerRange()
    {
        var ephemeralLow = 32_768;
        try
        {
            var fields = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            ephemeralLow = int.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Not Linux, or not readable: keep the IANA default start of the dynamic range.
        }

        var high = Math.Min(HighestExclusive, ephemeralLow);
        return high - Lowest >= 1_000 ? (Lowest, high) : null;
    }

    private static int OsPicked()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
