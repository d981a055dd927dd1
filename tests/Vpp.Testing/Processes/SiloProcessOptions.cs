namespace Vpp.Testing;

/// <summary>How <see cref="SiloProcess.Start"/> runs a silo; the harness adds the loopback ports.</summary>
public sealed record SiloProcessOptions
{
    /// <summary>Names the log file and the failure messages.</summary>
    public required string Name { get; init; }

    public string SiloDll { get; init; } = SiloProcess.SiloDll;

    /// <summary>Command-line arguments after the dll (<c>--in-memory</c>, <c>--demo</c>, <c>--Section:Key=value</c>).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Environment variables of the process (<c>Section__Key</c>); a null value removes an inherited one.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>The key <see cref="SiloProcess.Http"/> sends as X-Api-Key; none when null.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Also receives every line the process writes (a benchmark echoes the silo on its console).</summary>
    public Action<string>? Echo { get; init; }

    /// <summary>
    /// A silo as the cluster is deployed: the Postgres profile, mutual TLS with <see cref="DevCertificates"/>,
    /// <see cref="SiloProcess.ApiKey"/> for every role, no per-key rate limit (the tests play many gateways and trading
    /// desks through one key; the limit is the API tests' business), workstation GC (several silos and the tests share
    /// two cores). <paramref name="settings"/> (environment variables) override any of it.
    /// </summary>
    public static SiloProcessOptions Cluster(string name, IReadOnlyDictionary<string, string> settings, IEnumerable<string>? args = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Postgres",
            ["VPP_API_KEY"] = SiloProcess.ApiKey,
            ["Api__RateLimit__PermitLimit"] = "1000000",
            ["DOTNET_gcServer"] = "0",
        };
        foreach (var (key, value) in DevCertificates.SiloSettings.Concat(settings))
        {
            environment[key] = value;
        }

        return new SiloProcessOptions { Name = name, Arguments = [.. args ?? []], Environment = environment, ApiKey = SiloProcess.ApiKey };
    }
}
