using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;
using Vpp.Silo.Storage;

namespace Vpp.Silo.Tests.Storage;

public interface ICounterTestGrain : IGrainWithStringKey
{
    Task<int> Increment();

    Task<int> Get();

    Task Clear();
}

[GenerateSerializer]
public sealed class CounterTestState
{
    [Id(0)]
    public int Count { get; set; }
}

public sealed class CounterTestGrain(
    [PersistentState(SqliteGrainStorageTests.StateName, SqliteGrainStorageTests.ProviderName)]
    IPersistentState<CounterTestState> counter) : Grain, ICounterTestGrain
{
    public async Task<int> Increment()
    {
        counter.State.Count++;
        await counter.WriteStateAsync();
        return counter.State.Count;
    }

    public Task<int> Get() => Task.FromResult(counter.State.Count);

    public Task Clear() => counter.ClearStateAsync();
}

/// <summary>One temporary folder (and SQLite file) for the whole test class.</summary>
public sealed class SqliteTempDatabase : IDisposable
{
    public SqliteTempDatabase()
    {
        Root = Path.Combine(Path.GetTempPath(), "vpp-sqlite-tests-" + Guid.NewGuid().ToString("N"));
        // A nested folder that does not exist yet: the set-up must create it.
        ConnectionString = ConnectionStringFor("grains", "vpp.db");
    }

    public string Root { get; }

    public string ConnectionString { get; }

    /// <summary>Same service id for every cluster of the class, so they all see the same rows.</summary>
    public string ServiceId { get; } = "vpp-sqlite-tests-" + Guid.NewGuid().ToString("N")[..8];

    public string ConnectionStringFor(params string[] relativePath) =>
        new SqliteConnectionStringBuilder { DataSource = Path.Combine([Root, .. relativePath]) }.ToString();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail the run.
        }
    }
}

public sealed class SqliteGrainStorageTests(SqliteTempDatabase database) : IClassFixture<SqliteTempDatabase>
{
    public const string ProviderName = "vppStore";
    public const string StateName = "counterTest";

    private static readonly string SqlFolder = FindSqlFolder();

    [Fact]
    public async Task State_survives_stopping_the_cluster_and_starting_a_new_one_on_the_same_file()
    {
        var key = "restart-" + Guid.NewGuid().ToString("N");

        await using (var first = await StartClusterAsync())
        {
            var grain = first.Client.GetGrain<ICounterTestGrain>(key);
            Assert.Equal(1, await grain.Increment());
            Assert.Equal(2, await grain.Increment());
            Assert.Equal(3, await grain.Increment());
            await first.StopAllSilosAsync();
        }

        await using (var second = await StartClusterAsync())
        {
            var grain = second.Client.GetGrain<ICounterTestGrain>(key);
            Assert.Equal(3, await grain.Get());
            Assert.Equal(4, await grain.Increment());
            await second.StopAllSilosAsync();
        }

        // Exactly one row for the grain, under its full key, version bumped once per write.
        await using var connection = await OpenAsync(database.ConnectionString);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT COUNT(*), MAX(Version), MAX(GrainTypeString), MAX(ServiceId), MAX(length(PayloadBinary)) " +
            "FROM OrleansStorage WHERE GrainIdExtensionString = $key";
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1L, reader.GetInt64(0));
        Assert.Equal(4L, reader.GetInt64(1));
        Assert.Equal(StateName, reader.GetString(2));
        Assert.Equal(database.ServiceId, reader.GetString(3));
        Assert.True(reader.GetInt64(4) > 0);
    }

    [Fact]
    public async Task A_bulk_insert_stores_only_new_rows_and_the_provider_reads_them()
    {
        await using var cluster = await StartClusterAsync();
        var storage = cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(ProviderName);

        await GrainStorageContract.InsertsOnlyNewRowsAsync(storage, StateName, "countertest", "bulk-" + Guid.NewGuid().ToString("N"));

        await cluster.StopAllSilosAsync();
    }

    [Fact]
    public async Task Stale_etag_raises_InconsistentStateException()
    {
        await using var cluster = await StartClusterAsync();
        var storage = cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(ProviderName);
        var grainId = GrainId.Create("countertest", "stale-" + Guid.NewGuid().ToString("N"));

        await GrainStorageContract.HoldsTheETagChainAsync(storage, StateName, grainId);

        await cluster.StopAllSilosAsync();
    }

    [Fact]
    public async Task Writes_queued_together_commit_in_one_batch_and_a_conflict_fails_only_its_own_grain()
    {
        await using var cluster = await StartClusterAsync();
        var services = cluster.GetSiloServiceProvider();
        var storage = services.GetRequiredKeyedService<IGrainStorage>(ProviderName);
        var writer = services.GetRequiredKeyedService<SqliteWriteBatcher>(SqliteStorageSetup.WriterKey(ProviderName));
        var prefix = "batch-" + Guid.NewGuid().ToString("N") + "-";
        var ids = Enumerable.Range(0, 5).Select(i => GrainId.Create("countertest", prefix + i)).ToArray();
        var states = new GrainState<CounterTestState>[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            states[i] = new GrainState<CounterTestState>(new CounterTestState { Count = 1 });
            await storage.WriteStateAsync(StateName, ids[i], states[i]);
        }

        // Another connection holds the write lock while the writes queue, so they reach the writer together.
        var batchesBefore = writer.Batches;
        Task[] writes;
        await using (var blocker = await OpenAsync(database.ConnectionString))
        {
            using var held = blocker.BeginTransaction(); // BEGIN IMMEDIATE
            states[2].ETag = "7"; // stale: another activation moved this grain on
            writes = states.Select((s, i) => { s.State!.Count = 10 + i; return storage.WriteStateAsync(StateName, ids[i], s); }).ToArray();
            Assert.DoesNotContain(writes, w => w.IsCompleted);
            held.Rollback();
        }

        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[2]);
        await Task.WhenAll(writes.Where((_, i) => i != 2));
        Assert.InRange(writer.Batches - batchesBefore, 1, 2); // the writer may have taken the first alone before the rest queued

        for (var i = 0; i < ids.Length; i++)
        {
            var check = new GrainState<CounterTestState>();
            await storage.ReadStateAsync(StateName, ids[i], check);
            Assert.Equal(i == 2 ? "1" : "2", check.ETag);
            Assert.Equal(i == 2 ? 1 : 10 + i, check.State!.Count);
            if (i != 2)
            {
                Assert.Equal("2", states[i].ETag);
            }
        }

        await cluster.StopAllSilosAsync();
    }

    [Fact]
    public async Task Two_clusters_on_one_file_detect_the_stale_activation()
    {
        var key = "twin-" + Guid.NewGuid().ToString("N");
        await using var clusterA = await StartClusterAsync();
        await using var clusterB = await StartClusterAsync();

        // Separate clusters, separate directories: each activates its own copy of the grain.
        var grainA = clusterA.Client.GetGrain<ICounterTestGrain>(key);
        var grainB = clusterB.Client.GetGrain<ICounterTestGrain>(key);

        Assert.Equal(1, await grainA.Increment());
        Assert.Equal(2, await grainB.Increment()); // B activates after A's write and reads version 1.
        await Assert.ThrowsAsync<InconsistentStateException>(() => grainA.Increment());

        await clusterA.StopAllSilosAsync();
        await clusterB.StopAllSilosAsync();
    }

    [Fact]
    public async Task Concurrent_writers_from_two_silos_on_one_file_all_succeed()
    {
        await using var cluster = await StartClusterAsync(silos: 2);
        var prefix = "busy-" + Guid.NewGuid().ToString("N") + "-";
        var grains = Enumerable.Range(0, 40)
            .Select(i => cluster.Client.GetGrain<ICounterTestGrain>(prefix + i))
            .ToArray();

        for (var round = 1; round <= 5; round++)
        {
            var results = await Task.WhenAll(grains.Select(g => g.Increment()));
            Assert.All(results, count => Assert.Equal(round, count));
        }

        await cluster.StopAllSilosAsync();
    }

    [Fact]
    public async Task Applying_the_scripts_twice_changes_nothing()
    {
        var connectionString = database.ConnectionStringFor("idempotent", "twice.db");

        var firstRun = SqliteStorageSetup.Apply(connectionString, SqlFolder);
        Assert.Contains("001-persistence.sql", firstRun.AppliedScripts);
        Assert.Equal("wal", firstRun.JournalMode, ignoreCase: true);
        Assert.True(File.Exists(firstRun.DatabasePath));
        Assert.Empty(SqliteStorageSetup.FindMissingPersistenceQueries(connectionString));

        // Some data, so the second run has something it could damage.
        await using (var connection = await OpenAsync(connectionString))
        {
            await ExecuteStoredQueryAsync(connection, "WriteToStorageKey", Key(hash: 7, extension: "kept"), version: null, payload: [1, 2, 3]);
        }

        var before = await SnapshotAsync(connectionString);
        var secondRun = SqliteStorageSetup.Apply(connectionString, SqlFolder);
        var after = await SnapshotAsync(connectionString);

        Assert.Equal(firstRun.AppliedScripts, secondRun.AppliedScripts);
        Assert.Equal(before, after);
        Assert.Contains(before, line => line.StartsWith("query|ReadFromStorageKey|", StringComparison.Ordinal));
        Assert.Contains(before, line => line.StartsWith("query|WriteToStorageKey|", StringComparison.Ordinal));
        Assert.Contains(before, line => line.StartsWith("query|ClearStorageKey|", StringComparison.Ordinal));
        Assert.Contains(before, line => line.StartsWith("row|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Grains_whose_hashes_collide_keep_separate_rows()
    {
        var connectionString = database.ConnectionStringFor("collisions", "hash.db");
        SqliteStorageSetup.Apply(connectionString, SqlFolder);
        await using var connection = await OpenAsync(connectionString);

        // Same hashes, different full keys (including NULL vs '' extension and another service id).
        var keys = new[]
        {
            Key(hash: 1, extension: "asset-a"),
            Key(hash: 1, extension: "asset-b"),
            Key(hash: 1, extension: null),
            Key(hash: 1, extension: ""),
            Key(hash: 1, extension: "asset-a", typeString: "otherState"),
            Key(hash: 1, extension: "asset-a", serviceId: "other-service"),
            Key(hash: 1, extension: "asset-a", n1: 5),
        };

        for (var i = 0; i < keys.Length; i++)
        {
            var version = await ExecuteStoredQueryAsync(connection, "WriteToStorageKey", keys[i], version: null, payload: [(byte)i]);
            Assert.Equal(new[] { 1L }, version);
        }

        for (var i = 0; i < keys.Length; i++)
        {
            await AssertRowAsync(connection, keys[i], new[] { (byte)i }, 1);
        }

        // Versioned update touches one row only; a stale version returns no row.
        Assert.Equal(new[] { 2L }, await ExecuteStoredQueryAsync(connection, "WriteToStorageKey", keys[0], version: 1, payload: [100]));
        Assert.Empty(await ExecuteStoredQueryAsync(connection, "WriteToStorageKey", keys[0], version: 1, payload: [101]));
        Assert.Empty(await ExecuteStoredQueryAsync(connection, "WriteToStorageKey", keys[1], version: null, payload: [102]));
        Assert.Empty(await ExecuteStoredQueryAsync(connection, "WriteToStorageKey", Key(hash: 1, extension: "never-written"), version: 1, payload: [103]));
        await AssertRowAsync(connection, keys[0], new byte[] { 100 }, 2);
        await AssertRowAsync(connection, keys[1], new byte[] { 1 }, 1);
        await AssertRowAsync(connection, Key(hash: 1, extension: "never-written"), null, null);

        // Clear: payload gone, version bumped, neighbours untouched.
        Assert.Equal(new[] { 2L }, await ExecuteStoredQueryAsync(connection, "ClearStorageKey", keys[2], version: 1, payload: null));
        Assert.Empty(await ExecuteStoredQueryAsync(connection, "ClearStorageKey", keys[2], version: 1, payload: null));
        await AssertRowAsync(connection, keys[2], null, 2);
        await AssertRowAsync(connection, keys[3], new byte[] { 3 }, 1);

        // Delete (DeleteStateOnClear): returns a version different from the deleted one.
        Assert.Equal(new[] { 2L }, await ExecuteStoredQueryAsync(connection, "DeleteStorageKey", keys[6], version: 1, payload: null));
        await AssertRowAsync(connection, keys[6], null, null);
        await AssertRowAsync(connection, keys[0], new byte[] { 100 }, 2);
    }

    [Fact]
    public void A_missing_sql_folder_is_named_in_the_error()
    {
        var missing = Path.Combine(database.Root, "no-such-sql-folder");

        var direct = Assert.Throws<DirectoryNotFoundException>(
            () => SqliteStorageSetup.Apply(database.ConnectionStringFor("unused.db"), missing));
        Assert.Contains(missing, direct.Message, StringComparison.Ordinal);

        // The extension checks the folder when the silo is configured, before anything starts.
        var hostBuilder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var hosting = Assert.Throws<DirectoryNotFoundException>(
            () => hostBuilder.UseOrleans(silo => silo.AddVppSqliteGrainStorage(ProviderName, database.ConnectionString, missing)));
        Assert.Contains(missing, hosting.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sql_folder_without_the_persistence_queries_fails_silo_start_with_a_clear_message()
    {
        var emptyFolder = Directory.CreateDirectory(Path.Combine(database.Root, "empty-sql")).FullName;
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = database.ServiceId;
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) => silo.AddVppSqliteGrainStorage(
            ProviderName, database.ConnectionStringFor("empty", "empty.db"), emptyFolder));
        await using var cluster = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => cluster.DeployAsync());

        var messages = string.Join(" | ", Flatten(error).Select(e => e.Message));
        Assert.Contains("ReadFromStorageKey", messages, StringComparison.Ordinal);
        Assert.Contains(emptyFolder, messages, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        yield return exception;
        var inner = exception is AggregateException aggregate ? aggregate.InnerExceptions : exception.InnerException is { } one ? [one] : [];
        foreach (var child in inner.SelectMany(Flatten))
        {
            yield return child;
        }
    }

    [Fact]
    public void Normalized_connection_string_is_absolute_and_waits_for_locks()
    {
        var normalized = new SqliteConnectionStringBuilder(
            SqliteStorageSetup.NormalizeConnectionString("Data Source=./data/vpp.db"));
        Assert.True(Path.IsPathRooted(normalized.DataSource));
        Assert.Equal(Path.GetFullPath("./data/vpp.db"), normalized.DataSource);
        Assert.Equal(SqliteStorageSetup.DefaultBusyTimeoutSeconds, normalized.DefaultTimeout);

        var explicitTimeout = new SqliteConnectionStringBuilder(
            SqliteStorageSetup.NormalizeConnectionString("Data Source=/tmp/x.db;Default Timeout=5"));
        Assert.Equal(5, explicitTimeout.DefaultTimeout);
    }

    private async Task<InProcessTestCluster> StartClusterAsync(short silos = 1)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ServiceId = database.ServiceId;
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) => silo.AddVppSqliteGrainStorage(ProviderName, database.ConnectionString, SqlFolder));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static string FindSqlFolder()
    {
        // silo-config/ is copied next to the binaries by Vpp.Silo; fall back to the repository copy.
        var copied = Path.Combine(AppContext.BaseDirectory, "silo-config", "sql", "sqlite");
        if (Directory.Exists(copied))
        {
            return copied;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "silo-config", "sql", "sqlite");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"silo-config/sql/sqlite not found from '{AppContext.BaseDirectory}'.");
    }

    private sealed record StorageKey(int Hash, long N0, long N1, int TypeHash, string TypeString, string? Extension, string ServiceId);

    private static StorageKey Key(int hash, string? extension, string typeString = StateName, string serviceId = "svc", long n1 = 0) =>
        new(hash, 0, n1, hash, typeString, extension, serviceId);

    private static async Task<SqliteConnection> OpenAsync(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<string> QueryTextAsync(SqliteConnection connection, string queryKey)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT QueryText FROM OrleansQuery WHERE QueryKey = $key";
        command.Parameters.AddWithValue("$key", queryKey);
        return (string)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"No query {queryKey}."));
    }

    /// <summary>Runs a stored query the way the provider does: parameter names without prefix, DBNull for null.</summary>
    private static void AddKeyParameters(SqliteCommand command, StorageKey key)
    {
        command.Parameters.AddWithValue("GrainIdHash", key.Hash);
        command.Parameters.AddWithValue("GrainIdN0", key.N0);
        command.Parameters.AddWithValue("GrainIdN1", key.N1);
        command.Parameters.AddWithValue("GrainTypeHash", key.TypeHash);
        command.Parameters.AddWithValue("GrainTypeString", key.TypeString);
        command.Parameters.AddWithValue("GrainIdExtensionString", (object?)key.Extension ?? DBNull.Value);
        command.Parameters.AddWithValue("ServiceId", key.ServiceId);
    }

    private static async Task<long[]> ExecuteStoredQueryAsync(SqliteConnection connection, string queryKey, StorageKey key, int? version, byte[]? payload)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = await QueryTextAsync(connection, queryKey);
        AddKeyParameters(command, key);
        command.Parameters.AddWithValue("GrainStateVersion", (object?)version ?? DBNull.Value);
        if (queryKey == "WriteToStorageKey")
        {
            command.Parameters.AddWithValue("PayloadBinary", (object?)payload ?? DBNull.Value);
        }

        var versions = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        do
        {
            while (await reader.ReadAsync())
            {
                Assert.Equal("NewGrainStateVersion", reader.GetName(0));
                versions.Add(reader.GetInt64(0));
            }
        }
        while (await reader.NextResultAsync());

        return [.. versions];
    }

    private static async Task<(byte[]? Payload, long? Version)> ReadAsync(SqliteConnection connection, StorageKey key)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = await QueryTextAsync(connection, "ReadFromStorageKey");
        AddKeyParameters(command, key);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return (null, null);
        }

        var payloadOrdinal = reader.GetOrdinal("PayloadBinary");
        var payload = reader.IsDBNull(payloadOrdinal) ? null : (byte[])reader.GetValue(payloadOrdinal);
        var version = reader.GetInt64(reader.GetOrdinal("Version"));
        Assert.False(await reader.ReadAsync());
        return (payload, version);
    }

    private static async Task AssertRowAsync(SqliteConnection connection, StorageKey key, byte[]? expectedPayload, long? expectedVersion)
    {
        var (payload, version) = await ReadAsync(connection, key);
        Assert.Equal(expectedPayload, payload);
        Assert.Equal(expectedVersion, version);
    }

    /// <summary>Schema objects, query rows and data rows as comparable lines.</summary>
    private static async Task<List<string>> SnapshotAsync(string connectionString)
    {
        var lines = new List<string>();
        await using var connection = await OpenAsync(connectionString);

        async Task AddAsync(string prefix, string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var values = Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i)
                    ? "<null>"
                    : reader.GetValue(i) is byte[] bytes ? Convert.ToHexString(bytes) : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
                lines.Add(prefix + "|" + string.Join("|", values));
            }
        }

        await AddAsync("schema", "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name");
        await AddAsync("query", "SELECT QueryKey, QueryText FROM OrleansQuery ORDER BY QueryKey");
        await AddAsync("row", "SELECT rowid, * FROM OrleansStorage ORDER BY rowid");
        await AddAsync("pragma", "PRAGMA journal_mode");
        return lines;
    }
}
