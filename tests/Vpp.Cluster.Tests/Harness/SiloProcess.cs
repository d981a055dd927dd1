using System.Diagnostics;
using System.Net.Http.Headers;
using System.Reflection;

namespace Vpp.Cluster.Tests.Harness;

/// <summary>
/// One real silo: <c>dotnet Vpp.Silo.dll</c> in its own process with the Postgres profile, its own loopback
/// HTTP, silo and gateway ports, mutual TLS with <see cref="DevCertificates"/>, output to a log file under /tmp.
/// Disposing kills the process tree.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    public const string ApiKey = "cluster-tests-key";

    private readonly Process _process;
    private readonly StreamWriter _log;

    private SiloProcess(string name, Process process, StreamWriter log, string logPath, int httpPort, int siloPort, int gatewayPort)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
        HttpPort = httpPort;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(60) };
        // Every /api/v1 request needs a key with the endpoint's role; the silo is started with this one.
        Http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        Http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public string Name { get; }

    public string LogPath { get; }

    public int HttpPort { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public HttpClient Http { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static string SiloDll { get; } = typeof(SiloProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SiloDll").Value!;

    /// <summary>Starts the silo; <paramref name="settings"/> become environment variables (<c>Section__Key</c>).</summary>
    public static SiloProcess Start(string name, IReadOnlyDictionary<string, string> settings, IEnumerable<string>? args = null)
    {
        var httpPort = FreePort.Next();
        var siloPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(SiloDll)!,
        };
        start.ArgumentList.Add(SiloDll);
        foreach (var arg in args ?? [])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Postgres";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}";
        start.Environment["Orleans__SiloPort"] = siloPort.ToString();
        start.Environment["Orleans__GatewayPort"] = gatewayPort.ToString();
        start.Environment["VPP_API_KEY"] = ApiKey;
        // The tests play many gateways and trading desks through one key; the per-key limit is the API tests' business.
        start.Environment["Api__RateLimit__PermitLimit"] = "1000000";
        start.Environment["DOTNET_gcServer"] = "0"; // three silos and the tests share two cores
        foreach (var (key, value) in DevCertificates.SiloSettings)
        {
            start.Environment[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var logPath = Path.Combine(LogDirectory, $"{name}-{DateTime.UtcNow:HHmmss}-{httpPort}.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data is null ? null : "[stderr] " + e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiloProcess(name, process, log, logPath, httpPort, siloPort, gatewayPort);
    }

    public static string LogDirectory { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "vpp-cluster-tests")).FullName;

    /// <summary>Waits until <c>/health/ready</c> answers 200 (joined the cluster, storage answers).</summary>
    public Task WaitReadyAsync(TimeSpan within) =>
        Eventually.Until(
            ProbeReadyAsync,
            probe => probe.Ready,
            $"{Name} to answer /health/ready",
            within,
            probe => $"{probe.Last}; log: {LogPath}\n{Tail()}");

    private async Task<(bool Ready, string Last)> ProbeReadyAsync()
    {
        if (_process.HasExited)
        {
            throw new Xunit.Sdk.XunitException($"{Name} exited with code {_process.ExitCode} before it was ready; log: {LogPath}\n{Tail()}");
        }

        try
        {
            using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var response = await Http.GetAsync("/health/ready", probe.Token);
            return response.IsSuccessStatusCode
                ? (true, "200")
                : (false, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (false, ex.Message); // not listening yet, or too slow to answer
        }
    }

    /// <summary>SIGKILL: no shutdown, no goodbye to the cluster — a machine dying.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>SIGTERM, as an orchestrator does for a rolling update, then waits for the exit.</summary>
    public async Task<int> StopGracefullyAsync(TimeSpan within)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]);
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new Xunit.Sdk.XunitException($"{Name} did not stop within {within.TotalSeconds} s of SIGTERM; log: {LogPath}");
        }

        return _process.ExitCode;
    }

    /// <summary>Waits for the process to exit by itself; false if it is still running after <paramref name="within"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The last lines of the log, for failure messages.</summary>
    public string Tail(int lines = 30)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException ex)
        {
            return $"(log unreadable: {ex.Message})";
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Kill();
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }
        finally
        {
            Http.Dispose();
            _process.Dispose();
            await _log.DisposeAsync();
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // output after dispose
            }
        }
    }
}
