using System.Diagnostics;
using Npgsql;

namespace Vpp.Testing;

/// <summary>
/// The PostgreSQL server the tests run against: $VPP_POSTGRES, or else one started by scripts/postgres.sh of the
/// <see cref="RepositoryRoot"/>. Each test class gets its own <see cref="ServiceId"/> and <see cref="ClusterId"/>,
/// so classes never see each other's rows.
/// </summary>
public sealed class PostgresFixture
{
    private static readonly Lazy<string> SharedConnectionString = new(ResolveConnectionString);

    public string ConnectionString => SharedConnectionString.Value;

    public string ServiceId { get; } = "vpp-pg-tests-" + Guid.NewGuid().ToString("N")[..12];

    public string ClusterId { get; } = "vpp-pg-cluster-" + Guid.NewGuid().ToString("N")[..12];

    public static string SqlFolder { get; } = FindSqlFolder();

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static string ResolveConnectionString()
    {
        if (Environment.GetEnvironmentVariable("VPP_POSTGRES") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        var script = Path.Combine(RepositoryRoot.Path, "scripts", "postgres.sh");
        var start = new ProcessStartInfo("bash", [script, "start"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot run {script}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within 5 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed with exit code {process.ExitCode}: {stderr.Result}");
        }

        var connectionString = stdout.Trim().Split('\n').Last().Trim();
        Environment.SetEnvironmentVariable("VPP_POSTGRES", connectionString);
        return connectionString;
    }

    private static string FindSqlFolder()
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "silo-config", "sql", "postgres");
        return Directory.Exists(copied) ? copied : Path.Combine(RepositoryRoot.Path, "silo-config", "sql", "postgres");
    }
}
