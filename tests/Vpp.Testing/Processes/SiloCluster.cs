using Npgsql;

namespace Vpp.Testing;

/// <summary>
/// Silo processes with their own ServiceId and ClusterId on a shared PostgreSQL, so runs (test classes, benchmarks)
/// never see each other's membership rows or grain state. Disposing kills every process it started. Used by the
/// cluster tests and the cluster benchmark alike, so it asserts nothing: failures are exceptions.
/// </summary>
public sealed class SiloCluster(string connectionString, string label) : IAsyncDisposable
{
    public const int SiloStatusActive = 3;
    public const int SiloStatusDead = 6;

    private readonly List<SiloProcess> _started = [];

    // Generous: on a loaded 2-core machine three silos starting at once have taken over a minute.
    public static TimeSpan StartTimeout { get; } = TimeSpan.FromSeconds(120);

    public string ConnectionString { get; } = connectionString;

    public string ServiceId { get; } = $"vpp-{label}-{Guid.NewGuid():N}"[..30];

    public string ClusterId { get; } = $"cl-{label}-{Guid.NewGuid():N}"[..30];

    /// <summary>
    /// Environment variables laid over <see cref="SiloProcessOptions.Cluster"/>'s for every silo, after the settings
    /// of <see cref="Start"/>; a null value removes one (<c>DOTNET_gcServer</c> = null runs the silo's own GC setting).
    /// </summary>
    public IReadOnlyDictionary<string, string?> ProcessEnvironment { get; set; } = new Dictionary<string, string?>();

    /// <summary>The silos currently running, in start order.</summary>
    public List<SiloProcess> Silos { get; } = [];

    public SiloProcess this[int index] => Silos[index];

    /// <summary>
    /// Silos on the shared PostgreSQL ($VPP_POSTGRES, or the server scripts/postgres.sh starts). Their connect timeout
    /// is a bound for a loaded 2-core machine (three silos starting beside a full test run have waited over 10 s for a
    /// connection), not the production default.
    /// </summary>
    public static SiloCluster Create(string label) =>
        new(new NpgsqlConnectionStringBuilder(new PostgresFixture().ConnectionString) { Timeout = 60 }.ConnectionString, label);

    /// <summary>Starts <paramref name="count"/> silos at once and waits until each is ready; stops them all if one is not.</summary>
    /// <param name="settings">Extra settings for every silo, as environment variables (<c>Section__Key</c>).</param>
    public async Task StartAsync(int count, IReadOnlyDictionary<string, string>? settings = null, TimeSpan? within = null)
    {
        var first = Silos.Count;
        for (var i = 0; i < count; i++)
        {
            Start($"silo{first + i + 1}", settings);
        }

        try
        {
            await Task.WhenAll(Silos.Skip(first).Select(s => s.WaitReadyAsync(within ?? StartTimeout)));
        }
        catch
        {
            // xunit does not dispose a test class whose InitializeAsync failed, and a benchmark that fails here never
            // reaches its own cleanup: stop the silos now, or they run on and load the machine (and PostgreSQL).
            await DisposeAsync();
            throw;
        }
    }

    public SiloProcess Start(string name, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["VPP_POSTGRES"] = ConnectionString,
            ["Orleans__ServiceId"] = ServiceId,
            ["Orleans__ClusterId"] = ClusterId,
        };
        var options = SiloProcessOptions.Cluster($"{ServiceId}-{name}", environment);
        if (ProcessEnvironment.Count > 0)
        {
            var overridden = new Dictionary<string, string?>(options.Environment);
            foreach (var (key, value) in ProcessEnvironment)
            {
                overridden[key] = value;
            }

            options = options with { Environment = overridden };
        }

        var silo = SiloProcess.Start(options);
        _started.Add(silo);
        Silos.Add(silo);
        return silo;
    }

    /// <summary>Stops every running silo gracefully (SIGTERM), all at once, and forgets them; throws unless each exits with 0.</summary>
    public async Task StopAllAsync()
    {
        var silos = Silos.ToArray();
        var codes = await Task.WhenAll(silos.Select(s => s.StopGracefullyAsync(TimeSpan.FromSeconds(60))));
        Silos.Clear();
        var failed = silos.Zip(codes).Where(s => s.Second != 0).Select(s => $"{s.First.Name} exited with {s.Second} (log: {s.First.LogPath})").ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"a graceful stop failed: {string.Join("; ", failed)}");
        }
    }

    /// <summary>Membership rows of this cluster: silo port → status (3 active, 6 dead).</summary>
    public async Task<Dictionary<int, int>> MembershipAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT Port, Status FROM OrleansMembershipTable WHERE DeploymentId = @cluster ORDER BY Generation", connection);
        command.Parameters.AddWithValue("cluster", ClusterId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<int, int>();
        while (await reader.ReadAsync())
        {
            rows[reader.GetInt32(0)] = reader.GetInt32(1); // the newest generation per port wins
        }

        return rows;
    }

    /// <summary>
    /// Deletes this cluster's rows from PostgreSQL — grain state, reminders and audit rows (its ServiceId), membership and its
    /// version row (its ClusterId) — and answers how many of each; for after the silos are gone.
    /// </summary>
    public async Task<IReadOnlyList<(string Table, int Rows)>> DeleteRowsAsync(TimeSpan commandTimeout)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var deleted = new List<(string, int)>();
        foreach (var (table, column, id) in new[]
                 {
                     ("OrleansStorage", "ServiceId", ServiceId),
                     ("OrleansRemindersTable", "ServiceId", ServiceId),
                     ("VppAudit", "ServiceId", ServiceId),
                     ("OrleansMembershipTable", "DeploymentId", ClusterId),
                     ("OrleansMembershipVersionTable", "DeploymentId", ClusterId),
                 })
        {
            await using var command = new NpgsqlCommand($"DELETE FROM {table} WHERE {column} = @id", connection)
            {
                CommandTimeout = (int)commandTimeout.TotalSeconds,
            };
            command.Parameters.AddWithValue("id", id);
            deleted.Add((table, await command.ExecuteNonQueryAsync()));
        }

        return deleted;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _started)
        {
            await silo.DisposeAsync();
        }
    }
}
