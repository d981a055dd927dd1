using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Orleans.Hosting;
using Vpp.Grains;
using Vpp.Silo.Storage;

namespace Vpp.Silo.Tests.Storage;

/// <summary>
/// A real storage profile for the durability tests: grain state and reminders in PostgreSQL or in an SQLite
/// file, exactly as the silo host wires them. Each instance is its own world (own service id, own file), so test
/// classes never see each other's rows, and a cluster started again on the same instance finds everything.
/// </summary>
public abstract class DurableStore : IDisposable
{
    public string ServiceId { get; } = "vpp-durable-" + Guid.NewGuid().ToString("N")[..12];

    public abstract string Name { get; }

    /// <summary>Adds the VPP grain storage and the reminder service on this store to a silo.</summary>
    public abstract void Configure(ISiloBuilder silo);

    /// <summary>Opens a plain ADO.NET connection to the store, to look at or tamper with rows behind the grains' backs.</summary>
    public abstract Task<DbConnection> OpenAsync();

    /// <summary>Overwrites the stored payload of one grain state (by state name and string key) with <paramref name="payload"/>.</summary>
    public async Task<int> OverwritePayloadAsync(string stateName, string key, byte[] payload)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "UPDATE OrleansStorage SET PayloadBinary = @payload " +
            "WHERE ServiceId = @service AND GrainTypeString = @state AND GrainIdExtensionString = @key";
        AddParameter(command, "payload", payload);
        AddParameter(command, "service", ServiceId);
        AddParameter(command, "state", stateName);
        AddParameter(command, "key", key);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>The stored payload of one grain state (by state name and string key), or null when it has no row.</summary>
    public async Task<byte[]?> PayloadOfAsync(string stateName, string key) =>
        await ColumnOfAsync("PayloadBinary", stateName, key) as byte[];

    /// <summary>The version of every reminder row named <paramref name="reminderName"/> of a grain whose id contains <paramref name="grainIdPart"/> (0 = written once).</summary>
    public async Task<IReadOnlyList<long>> ReminderVersionsAsync(string reminderName, string grainIdPart)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT Version FROM OrleansRemindersTable WHERE ServiceId = @service AND ReminderName = @name AND GrainId LIKE @part";
        AddParameter(command, "service", ServiceId);
        AddParameter(command, "name", reminderName);
        AddParameter(command, "part", $"%{grainIdPart}%");
        var versions = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return versions;
    }

    /// <summary>The stored version of one grain state, or null when it has no row.</summary>
    public async Task<long?> VersionOfAsync(string stateName, string key) =>
        await ColumnOfAsync("Version", stateName, key) is { } value and not DBNull ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    private async Task<object?> ColumnOfAsync(string column, string stateName, string key)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {column} FROM OrleansStorage WHERE ServiceId = @service AND GrainTypeString = @state AND GrainIdExtensionString = @key";
        AddParameter(command, "service", ServiceId);
        AddParameter(command, "state", stateName);
        AddParameter(command, "key", key);
        return await command.ExecuteScalarAsync();
    }

    public virtual void Dispose()
    {
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

public sealed class PostgresDurableStore : DurableStore
{
    private readonly PostgresFixture _database = new();

    public override string Name => "PostgreSQL";

    public override void Configure(ISiloBuilder silo)
    {
        silo.AddVppPostgresGrainStorage(VppOptions.StorageName, _database.ConnectionString, PostgresFixture.SqlFolder);
        silo.UseVppPostgresReminders(_database.ConnectionString, PostgresFixture.SqlFolder);
    }

    public override async Task<DbConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}

public sealed class SqliteDurableStore : DurableStore
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vpp-durable-" + Guid.NewGuid().ToString("N"));

    public override string Name => "SQLite";

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = Path.Combine(_root, "vpp.db") }.ToString();

    public static string SqlFolder { get; } = Path.Combine(Path.GetDirectoryName(PostgresFixture.SqlFolder)!, "sqlite");

    public override void Configure(ISiloBuilder silo)
    {
        silo.AddVppSqliteGrainStorage(VppOptions.StorageName, ConnectionString, SqlFolder);
        silo.UseVppSqliteReminders(ConnectionString, SqlFolder);
    }

    public override async Task<DbConnection> OpenAsync()
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public override void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail the run.
        }
    }
}
