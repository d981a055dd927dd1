using Microsoft.Data.Sqlite;
using Npgsql;
using Vpp.Grains;
using Vpp.Silo.Storage;

namespace Vpp.StorageBenchmarks;

/// <summary>A storage profile of the silo host, set up exactly as Hosting/OrleansSetup does, on throwaway data.</summary>
public abstract class StorageProfile : IAsyncDisposable
{
    public string ServiceId { get; } = "vpp-storage-bench-" + Guid.NewGuid().ToString("N")[..8];

    public abstract string Name { get; }

    public abstract void Configure(ISiloBuilder silo);

    public abstract ValueTask DisposeAsync();

    protected static string SqlFolder(string database) =>
        Path.Combine(AppContext.BaseDirectory, "silo-config", "sql", database);
}

/// <param name="maxWriteBatch">Writes per SQLite transaction; 1 is the one-at-a-time writer.</param>
public sealed class SqliteProfile(int maxWriteBatch = SqliteStorageSetup.DefaultMaxWriteBatch) : StorageProfile
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vpp-storage-bench-" + Guid.NewGuid().ToString("N"));

    public override string Name => maxWriteBatch == 1 ? "SQLite, one write at a time" : $"SQLite, batches of up to {maxWriteBatch}";

    private string ConnectionString => $"Data Source={Path.Combine(_root, "vpp.db")}";

    public override void Configure(ISiloBuilder silo)
    {
        silo.AddVppSqliteGrainStorage(VppOptions.StorageName, ConnectionString, SqlFolder("sqlite"), maxWriteBatch);
        silo.UseVppSqliteReminders(ConnectionString, SqlFolder("sqlite"));
    }

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
        return ValueTask.CompletedTask;
    }
}

public sealed class PostgresProfile(string connectionString) : StorageProfile
{
    public override string Name => "PostgreSQL";

    /// <summary>
    /// The server in <c>VPP_POSTGRES</c> with the pool a silo runs with (<see cref="PostgresSettings.DefaultMaxPoolSize"/>,
    /// unless the string sets one), so the figures are the product's; null when the variable is not set.
    /// </summary>
    public static PostgresProfile? FromEnvironment() =>
        Environment.GetEnvironmentVariable(PostgresSettings.EnvironmentVariable) is { Length: > 0 } configured
            ? new PostgresProfile(PostgresSettings.WithPoolLimit(configured, PostgresSettings.DefaultMaxPoolSize))
            : null;

    public string ConnectionString => connectionString;

    public override void Configure(ISiloBuilder silo)
    {
        silo.AddVppPostgresGrainStorage(VppOptions.StorageName, connectionString, SqlFolder("postgres"));
        silo.UseVppPostgresReminders(connectionString, SqlFolder("postgres"));
    }

    /// <summary>The server is shared: remove this run's rows.</summary>
    public override async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var table in new[] { "OrleansStorage", "OrleansRemindersTable" })
        {
            await using var command = new NpgsqlCommand($"DELETE FROM {table} WHERE ServiceId = @service", connection);
            command.Parameters.AddWithValue("service", ServiceId);
            await command.ExecuteNonQueryAsync();
        }
    }
}
