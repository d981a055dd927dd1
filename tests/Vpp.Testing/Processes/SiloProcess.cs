using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Reflection;

namespace Vpp.Testing;

/// <summary>
/// One real silo: <c>dotnet Vpp.Silo.dll</c> in its own process, as an operator runs it, on its own loopback HTTP,
/// silo and gateway ports. Every line it writes is kept (<see cref="Output"/>) and written to a log file under /tmp.
/// Disposing kills the process tree.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    /// <summary>The key <see cref="SiloProcessOptions.Cluster"/> starts a silo with: every role.</summary>
    public const string ApiKey = "cluster-tests-key";

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Action<string>? _echo;

    private SiloProcess(SiloProcessOptions options, Process process, StreamWriter log, string logPath, int httpPort, int siloPort, int gatewayPort)
    {
        Name = options.Name;
        _process = process;
        _log = log;
        _echo = options.Echo;
        LogPath = logPath;
        HttpPort = httpPort;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        Http = Client(options.ApiKey);
        Http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public string Name { get; }

    public string LogPath { get; }

    public int HttpPort { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>A client of the silo's HTTP API sending the key it was started with (<see cref="SiloProcessOptions.ApiKey"/>).</summary>
    public HttpClient Http { get; }

    /// <summary>Every line the process wrote to stdout or stderr so far.</summary>
    public IReadOnlyCollection<string> Output => _output;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The silo's own build output (src/Vpp.Silo/bin/&lt;configuration&gt;), built with every project that references this one.</summary>
    public static string SiloDll { get; } = typeof(SiloProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SiloDll").Value!;

    public static string LogDirectory { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "vpp-cluster-tests")).FullName;

    /// <summary>Starts the silo without waiting for it; see <see cref="WaitReadyAsync"/>.</summary>
    public static SiloProcess Start(SiloProcessOptions options)
    {
        if (!File.Exists(options.SiloDll))
        {
            throw new FileNotFoundException($"the silo is not built at {options.SiloDll}: build the solution in the same configuration first", options.SiloDll);
        }

        var httpPort = FreePort.Next();
        var siloPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(options.SiloDll)!,
        };
        start.ArgumentList.Add(options.SiloDll);
        foreach (var arg in options.Arguments)
        {
            start.ArgumentList.Add(arg);
        }

        // The ports are the harness's: on the command line, above every other configuration source.
        foreach (var arg in new[] { "--urls", $"http://127.0.0.1:{httpPort}", $"--Orleans:SiloPort={siloPort}", $"--Orleans:GatewayPort={gatewayPort}" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in options.Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var logPath = Path.Combine(LogDirectory, $"{options.Name}-{DateTime.UtcNow:HHmmss}-{httpPort}.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var silo = new SiloProcess(options, process, log, logPath, httpPort, siloPort, gatewayPort);
        process.OutputDataReceived += (_, e) => silo.Keep(e.Data, "");
        process.ErrorDataReceived += (_, e) => silo.Keep(e.Data, "[stderr] ");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Starts the silo and waits until <paramref name="path"/> answers 200; kills it if it does not.</summary>
    public static async Task<SiloProcess> StartReadyAsync(SiloProcessOptions options, TimeSpan within, string path = "/health/ready")
    {
        var silo = Start(options);
        try
        {
            await silo.WaitReadyAsync(within, path);
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits until <paramref name="path"/> answers 200 (<c>/health/ready</c>: joined the cluster, storage answers);
    /// fails at once, with the log's tail, if the process exits first.
    /// </summary>
    public Task WaitReadyAsync(TimeSpan within, string path = "/health/ready") =>
        Eventually.Until(
            () => ProbeAsync(path),
            probe => probe.Ready,
            $"{Name} to answer {path}",
            within,
            probe => $"{probe.Last}; log: {LogPath}\n{Tail()}");

    /// <summary>
    /// A new client of the silo's HTTP API sending <paramref name="apiKey"/> (none when null); dispose it after use. Its
    /// timeout is longer than any grain-call response timeout the tests give a silo, so a slow request ends in the
    /// silo's answer, not in the client giving up.
    /// </summary>
    public HttpClient Client(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    private async Task<(bool Ready, string Last)> ProbeAsync(string path)
    {
        if (_process.HasExited)
        {
            throw new Xunit.Sdk.XunitException($"{Name} exited with code {_process.ExitCode} before it was ready; log: {LogPath}\n{Tail()}");
        }

        try
        {
            using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var response = await Http.GetAsync(path, probe.Token);
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

    /// <summary>The last lines of the output, for failure messages.</summary>
    public string Tail(int lines = 30) => string.Join('\n', _output.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        try
        {
            Kill();
            await WaitForExitAsync(TimeSpan.FromSeconds(30));
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }
        finally
        {
            Http.Dispose();
            _process.Dispose();
            lock (_log)
            {
                _log.Dispose();
            }
        }
    }

    private void Keep(string? line, string stream)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(stream + line);
        _echo?.Invoke(line);
        lock (_log)
        {
            try
            {
                _log.WriteLine(stream + line);
            }
            catch (ObjectDisposedException)
            {
                // output after dispose
            }
        }
    }
}
