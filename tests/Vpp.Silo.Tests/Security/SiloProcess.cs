using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Vpp.Silo.Tests.Api;

namespace Vpp.Silo.Tests.Security;

/// <summary>
/// The silo as an operator runs it: `dotnet Vpp.Silo.dll` in its own process, with its own environment variables,
/// in-memory storage, loopback ports; its console output is kept. Killed (with its children) on dispose.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private SiloProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Every line the process wrote to stdout or stderr so far.</summary>
    public IReadOnlyCollection<string> Output => _output;

    public static async Task<SiloProcess> StartAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var httpPort = VppApiFixture.FreeLoopbackPort();
        var siloPort = VppApiFixture.FreeLoopbackPort(httpPort);
        var gatewayPort = VppApiFixture.FreeLoopbackPort(siloPort);
        var binaries = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = binaries,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            Path.Combine(binaries, "Vpp.Silo.dll"), "--in-memory", "--urls", $"http://127.0.0.1:{httpPort}",
            $"--Orleans:SiloPort={siloPort}", $"--Orleans:GatewayPort={gatewayPort}",
            $"--Orleans:ServiceId=vpp-process-{Guid.NewGuid():N}", "--Demo:Enabled=false",
        })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment.Remove("VPP_API_KEY");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var silo = new SiloProcess(process, new Uri($"http://127.0.0.1:{httpPort}"));
        process.OutputDataReceived += (_, e) => silo.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = silo.Client(null);
            await Eventually.Until(
                async () =>
                {
                    try
                    {
                        return process.HasExited ? HttpStatusCode.Gone : (await client.GetAsync("/health")).StatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return HttpStatusCode.ServiceUnavailable;
                    }
                },
                s => s is HttpStatusCode.OK or HttpStatusCode.Gone,
                "the silo process to answer /health",
                TimeSpan.FromSeconds(90));
            if (process.HasExited)
            {
                throw new Xunit.Sdk.XunitException($"the silo process exited with {process.ExitCode}: {string.Join('\n', silo.Output)}");
            }

            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    public HttpClient Client(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(exited.Token);
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
