using Npgsql;

namespace Vpp.Cluster.Tests.Harness;

/// <summary>
/// Silo processes of one test: their own ServiceId and ClusterId on the shared PostgreSQL, so tests never see
/// each other's membership rows or grain state. Disposing kills every process it started.
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

    /// <summary>The silos currently running, in start order.</summary>
    public List<SiloProcess> Silos { get; } = [];

    public SiloProcess this[int index] => Silos[index];

    /// <summary>
    /// Silos of one test on the shared PostgreSQL. Their connect timeout is a bound for a loaded 2-core machine (three
    /// silos starting beside a full test run have waited over 10 s for a connection), not the production default.
    /// </summary>
    public static SiloCluster Create(string label) =>
        new(new NpgsqlConnectionStringBuilder(new PostgresFixture().ConnectionString) { Timeout = 60 }.ConnectionString, label);

    /// <summary>Starts <paramref name="count"/> silos at once and waits until each is ready.</summary>
    /// <param name="settings">Extra settings for every silo, as environment variables (<c>Section__Key</c>).</param>
    public async Task StartAsync(int count, IReadOnlyDictionary<string, string>? settings = null)
    {
        var first = Silos.Count;
        for (var i = 0; i < count; i++)
        {
            Start($"silo{first + i + 1}", settings);
        }

        try
        {
            await Task.WhenAll(Silos.Skip(first).Select(s => s.WaitReadyAsync(StartTimeout)));
        }
        catch
        {
            // xunit does not dispose a test class whose InitializeAsync failed: stop the silos here, or they run on
            // and load the machine (and PostgreSQL) for every later test.
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
        var silo = SiloProcess.Start(SiloProcessOptions.Cluster($"{ServiceId}-{name}", environment));
        _started.Add(silo);
        Silos.Add(silo);
        return silo;
    }

    /// <summary>Stops every running silo gracefully (SIGTERM), all at once, and forgets them.</summary>
    public async Task StopAllAsync()
    {
        var codes = await Task.WhenAll(Silos.Select(s => s.StopGracefullyAsync(TimeSpan.FromSeconds(60))));
        Assert.All(codes, code => Assert.Equal(0, code));
        Silos.Clear();
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

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _started)
        {
            await silo.DisposeAsync();
        }
    }
}
