using System.Diagnostics;
using Npgsql;
using Vpp.Cluster.Tests.Harness;

namespace Vpp.Cluster.Tests;

/// <summary>How the process starts with the Postgres profile: the migrate verb, and a database that is not there.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class StartupTests
{
    /// <summary>A bound for a loaded 2-core machine (the start of a silo process and its database check), not an expectation.</summary>
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task An_unreachable_database_stops_the_silo_with_one_clear_line_and_exit_code_3()
    {
        var closedPort = FreePort.Next(); // nothing listens there
        await using var silo = SiloProcess.Start(SiloProcessOptions.Cluster("unreachable-db", new Dictionary<string, string>
        {
            ["VPP_POSTGRES"] = $"Host=127.0.0.1;Port={closedPort};Database=vpp;Username=vpp;Password=secret-pw",
        }));

        Assert.True(await silo.WaitForExitAsync(ExitBound), $"the silo still runs {ExitBound.TotalSeconds} s after start; log {silo.LogPath}");
        Assert.Equal(3, silo.ExitCode);
        var output = silo.Tail(200);
        Assert.Contains($"PostgreSQL at 127.0.0.1:{closedPort}", output);
        Assert.Contains("unreachable", output);
        Assert.Contains("scripts/postgres.sh start", output);
        Assert.DoesNotContain("secret-pw", output);
        Assert.DoesNotContain("   at ", output); // no stack trace
    }

    [Fact]
    public async Task Migrate_applies_the_scripts_exits_0_and_running_it_again_changes_nothing()
    {
        var connectionString = new PostgresFixture().ConnectionString;

        var first = await RunMigrateAsync(connectionString);
        var before = await SchemaFingerprintAsync(connectionString);
        var second = await RunMigrateAsync(connectionString);
        var after = await SchemaFingerprintAsync(connectionString);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("applied 001-persistence.sql, 002-clustering.sql, 003-reminders.sql", second.Output);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Migrate_against_an_unreachable_database_exits_3_naming_the_server()
    {
        var closedPort = FreePort.Next();

        var result = await RunMigrateAsync($"Host=127.0.0.1;Port={closedPort};Database=vpp;Username=vpp;Password=x");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"127.0.0.1:{closedPort}", result.Output);
    }

    private static async Task<(int ExitCode, string Output)> RunMigrateAsync(string connectionString)
    {
        var start = new ProcessStartInfo("dotnet", [SiloProcess.SiloDll, "migrate"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Postgres";
        start.Environment["VPP_POSTGRES"] = connectionString;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ExitBound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Query texts and table definitions: what a second run could have changed.</summary>
    private static async Task<string> SchemaFingerprintAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT string_agg(QueryKey || '=' || md5(QueryText), ';' ORDER BY QueryKey) FROM OrleansQuery)
                || '|' || (SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ';' ORDER BY table_name, column_name)
                           FROM information_schema.columns WHERE table_name LIKE 'orleans%')
            """, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
