using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Vpp.Sdk.Benchmarks;

/// <summary>
/// A real silo in its own process (src/Vpp.Silo, in-memory storage, free loopback ports), so the SDK is measured
/// the way a trading system or gateway uses it: another process, over the gateway's TCP connection.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SiloProcess(Process process, int gatewayPort, string serviceId)
    {
        _process = process;
        GatewayPort = gatewayPort;
        ServiceId = serviceId;
    }

    public int GatewayPort { get; }

    public string ServiceId { get; }

    public static SiloProcess Start(string siloDll)
    {
        if (!File.Exists(siloDll))
        {
            throw new FileNotFoundException($"silo not built at {siloDll}; build in Release first or pass --silo-dll", siloDll);
        }

        var gatewayPort = FreeLoopbackPort();
        var serviceId = "vpp-sdk-bench-" + Guid.NewGuid().ToString("N")[..8];
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(siloDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            siloDll, "--in-memory",
            $"--Orleans:SiloPort={FreeLoopbackPort()}", $"--Orleans:GatewayPort={gatewayPort}",
            $"--Orleans:ServiceId={serviceId}", "--Orleans:ClusterId=vpp-sdk-bench",
            $"--urls=http://127.0.0.1:{FreeLoopbackPort()}",
            "--Demo:Enabled=false", "--Vpp:OfflineAfter=01:00:00", "--Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the silo");
        process.OutputDataReceived += (_, e) => Echo(e.Data);
        process.ErrorDataReceived += (_, e) => Echo(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiloProcess(process, gatewayPort, serviceId);
    }

    private static void Echo(string? line)
    {
        if (!string.IsNullOrEmpty(line))
        {
            Console.WriteLine($"  silo| {line}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(bound.Token);
        }

        _process.Dispose();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
