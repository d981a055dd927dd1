using System.Net;
using System.Net.Sockets;

namespace Vpp.Cluster.Tests.Harness;

/// <summary>A loopback port nobody listens on now: the OS picks it for a socket bound to port 0.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
