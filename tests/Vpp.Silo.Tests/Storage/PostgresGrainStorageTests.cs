using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;
using Vpp.Silo.Storage;

namespace Vpp.Silo.Tests.Storage;

public interface IPgCounterTestGrain : IGrainWithStringKey
{
    Task<int> Increment();

    Task<int> Get();
}

public sealed class PgCounterTestGrain(
    [PersistentState(PostgresGrainStorageTests.StateName, PostgresGrainStorageTests.ProviderName)]
    IPersistentState<CounterTestState> counter) : Grain, IPgCounterTestGrain
{
    public async Task<int> Increment()
    {
        counter.State.Count++;
        await counter.WriteStateAsync();
        return counter.State.Count;
    }

    public Task<int> Get() => Task.FromResult(counter.State.Count);
}

public sealed class PostgresGrainStorageTests(PostgresFixture database) : IClassFixture<PostgresFixture>
{
    public const string ProviderName = "vppPgStore";
    public const string StateName = "pgCounterTest";

    [Fact]
    public async Task State_survives_a_full_cluster_restart()
    {
        var key = "restart-" + Guid.NewGuid().ToString("N");

        await using (var first = await StartClusterAsync())
        {
            var grain = first.Client.GetGrain<IPgCounterTestGrain>(key);
            Assert.Equal(1, await grain.Increment());
            Assert.Equal(2, await grain.Increment());
            Assert.Equal(3, await grain.Increment());
            await first.StopAllSilosAsync();
        }

        await using (var second = await StartClusterAsync())
        {
            var grain = second.Client.GetGrain<IPgCounterTestGrain>(key);
            Assert.Equal(3, await grain.Get());
            Assert.Equal(4, await grain.Increment());
            await second.StopAllSilosAsync();
        }

        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT COUNT(*), MAX(Version), MAX(GrainTypeString), MAX(ServiceId), MAX(length(PayloadBinary)) " +
            "FROM OrleansStorage WHERE GrainIdExtensionString = @key AND ServiceId = @service", connection);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("service", database.ServiceId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1L, reader.GetInt64(0));
        Assert.Equal(4, reader.GetInt32(1));
        Assert.Equal(StateName, reader.GetString(2));
        Assert.Equal(database.ServiceId, reader.GetString(3));
        Assert.True(reader.GetInt32(4) > 0);
    }

    [Fact]
    public async Task A_bulk_insert_stores_only_new_rows_and_the_provider_reads_them()
    {
        await using var cluster = await StartClusterAsync();
        var storage = cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(ProviderName);

        await GrainStorageContract.InsertsOnlyNewRowsAsync(storage, StateName, "pgcountertest", "bulk-" + Guid.NewGuid().ToString("N"));

        await cluster.StopAllSilosAsync();
    }

    [Fact]
    public async Task Stale_write_raises_InconsistentStateException()
    {
        await using var cluster = await StartClusterAsync();
        var storage = cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(ProviderName);
        var grainId = GrainId.Create("pgcountertest", "stale-" + Guid.NewGuid().ToString("N"));

        await GrainStorageContract.HoldsTheETagChainAsync(storage, StateName, grainId);

        // An integer-keyed grain (NULL extension string) is stored too.
        var intKey = GrainId.Create("pgcountertest", "7");
        var intState = new GrainState<CounterTestState>(new CounterTestState { Count = 7 });
        await storage.WriteStateAsync(StateName, intKey, intState);
        Assert.Equal("1", intState.ETag);

        await cluster.StopAllSilosAsync();
    }

    [Fact]
    public async Task Applying_the_scripts_twice_changes_nothing()
    {
        var first = await PostgresSetup.ApplyAsync(database.ConnectionString, PostgresFixture.SqlFolder, CancellationToken.None);
        Assert.Equal(["001-persistence.sql", "002-clustering.sql", "003-reminders.sql", "004-audit.sql"], first.AppliedScripts);
        Assert.DoesNotContain("Password", first.Server, StringComparison.OrdinalIgnoreCase);

        var before = await SnapshotAsync();
        var second = await PostgresSetup.ApplyAsync(database.ConnectionString, PostgresFixture.SqlFolder, CancellationToken.None);
        var after = await SnapshotAsync();

        Assert.Equal(first.AppliedScripts, second.AppliedScripts);
        Assert.Equal(before, after);
        foreach (var key in PostgresSetup.PersistenceQueryKeys.Concat(PostgresSetup.ClusteringQueryKeys).Concat(PostgresSetup.ReminderQueryKeys))
        {
            Assert.Contains(before, line => line.StartsWith("query|" + key + "|", StringComparison.Ordinal));
        }

        Assert.Empty(await PostgresSetup.FindMissingQueriesAsync(
            database.ConnectionString,
            PostgresSetup.PersistenceQueryKeys.Concat(PostgresSetup.ClusteringQueryKeys).Concat(PostgresSetup.ReminderQueryKeys),
            CancellationToken.None));
    }

    [Fact]
    public async Task Several_silos_applying_the_scripts_at_once_all_succeed()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            Task.Run(() => PostgresSetup.ApplyAsync(database.ConnectionString, PostgresFixture.SqlFolder, CancellationToken.None))));
        Assert.All(results, r => Assert.Equal(4, r.AppliedScripts.Count));
    }

    [Fact]
    public async Task An_unreachable_server_is_named_without_the_password()
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = FreePort(), Password = "s3cret-pw", Timeout = 3 };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => PostgresSetup.ApplyAsync(builder.ConnectionString, PostgresFixture.SqlFolder, CancellationToken.None));
        Assert.Contains($"PostgreSQL at Host={builder.Host};Port={builder.Port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("is unreachable", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grains_whose_hashes_collide_keep_separate_rows()
    {
        await PostgresSetup.ApplyAsync(database.ConnectionString, PostgresFixture.SqlFolder, CancellationToken.None);
        await using var connection = await database.OpenAsync();
        var service = database.ServiceId + "-collide";

        // Same hashes, different full keys (NULL vs '' extension, another state name, another service, N1).
        (string? Extension, string Type, string Service, long N1)[] keys =
        [
            ("asset-a", StateName, service, 0), ("asset-b", StateName, service, 0), (null, StateName, service, 0),
            ("", StateName, service, 0), ("asset-a", "otherState", service, 0), ("asset-a", StateName, service + "-2", 0),
            ("asset-a", StateName, service, 5),
        ];

        async Task<List<int>> Run(string queryKey, int index, int? version, byte[]? payload)
        {
            string text;
            await using (var query = new NpgsqlCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = @k", connection))
            {
                query.Parameters.AddWithValue("k", queryKey);
                text = (string)(await query.ExecuteScalarAsync())!;
            }

            var key = keys[index];
            await using var command = new NpgsqlCommand(text, connection);
            command.Parameters.AddWithValue("GrainIdHash", 1);
            command.Parameters.AddWithValue("GrainIdN0", 0L);
            command.Parameters.AddWithValue("GrainIdN1", key.N1);
            command.Parameters.AddWithValue("GrainTypeHash", 1);
            command.Parameters.AddWithValue("GrainTypeString", key.Type);
            command.Parameters.AddWithValue("GrainIdExtensionString", (object?)key.Extension ?? DBNull.Value);
            command.Parameters.AddWithValue("ServiceId", key.Service);
            command.Parameters.AddWithValue("GrainStateVersion", (object?)version ?? DBNull.Value);
            command.Parameters.AddWithValue("PayloadBinary", (object?)payload ?? DBNull.Value);
            await using var reader = await command.ExecuteReaderAsync();
            var versions = new List<int>();
            while (await reader.ReadAsync())
            {
                versions.Add(reader.GetInt32(reader.FieldCount - 1));
            }

            return versions;
        }

        for (var i = 0; i < keys.Length; i++)
        {
            Assert.Equal([1], await Run("WriteToStorageKey", i, null, [(byte)i]));
        }

        for (var i = 0; i < keys.Length; i++)
        {
            Assert.Equal([1], await Run("ReadFromStorageKey", i, null, null));
        }

        Assert.Equal([2], await Run("WriteToStorageKey", 0, 1, [100]));
        Assert.Empty(await Run("WriteToStorageKey", 0, 1, [101]));
        Assert.Empty(await Run("WriteToStorageKey", 1, null, [102]));
        Assert.Equal([2], await Run("ClearStorageKey", 2, 1, null));
        Assert.Empty(await Run("ClearStorageKey", 2, 1, null));
        Assert.Equal([1], await Run("ReadFromStorageKey", 3, null, null));
        Assert.Equal([2], await Run("DeleteStorageKey", 6, 1, null));
        Assert.Empty(await Run("ReadFromStorageKey", 6, null, null));
        Assert.Equal([2], await Run("ReadFromStorageKey", 0, null, null));
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Query rows with their row versions (xmin: any rewrite shows), and the schema's tables, columns and indexes.</summary>
    private async Task<List<string>> SnapshotAsync()
    {
        await using var connection = await database.OpenAsync();
        var lines = new List<string>();
        async Task Add(string prefix, string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var values = new object[reader.FieldCount];
                reader.GetValues(values);
                lines.Add(prefix + "|" + string.Join("|", values));
            }
        }

        await Add("query", "SELECT QueryKey, md5(QueryText), xmin::text FROM OrleansQuery ORDER BY QueryKey");
        await Add("column", "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns " +
                            "WHERE table_schema = current_schema() AND table_name LIKE 'orleans%' ORDER BY table_name, ordinal_position");
        await Add("index", "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename LIKE 'orleans%' ORDER BY indexname");
        return lines;
    }

    private async Task<InProcessTestCluster> StartClusterAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = database.ServiceId;
        builder.Options.ClusterId = database.ClusterId;
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) => silo.AddVppPostgresGrainStorage(ProviderName, database.ConnectionString, PostgresFixture.SqlFolder));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
