using System.Net;
using System.Net.Sockets;

namespace Vpp.Testing;

/// <summary>
/// A loopback port nobody listens on now: the OS picks it for a socket bound to port 0. The OS may pick a released
/// port again, so a port once given out is never given out again in this process: a silo's HTTP, silo and gateway
/// ports, taken one after the other before any of them listens, are always three different ports.
/// </summary>
public static class FreePort
{
    private static readonly HashSet<int> GivenOut = [];

    public static int Next()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            int port;
            using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            }

            lock (GivenOut)
            {
                if (GivenOut.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("the OS offered only loopback ports this process has already used, 100 times in a row");
    }
}
