using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Vpp.Silo.Audit;
using Vpp.Silo.Storage;

namespace Vpp.Silo.Tests.Audit;

/// <summary>The audit table on a real database after the schema scripts ran: rows stored and found, append-only, retention.</summary>
public abstract class AuditStoreContract
{
    protected abstract DbConnection Connect();

    private readonly string _serviceId = "svc-" + Guid.NewGuid().ToString("N")[..8];

    private AdoNetAuditStore Store => new(Connect, _serviceId);

    [Fact]
    public async Task Entries_are_stored_and_found_by_actor_entity_and_time()
    {
        var actor = "actor-" + Guid.NewGuid().ToString("N")[..8];
        var asset = "asset_" + Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await Store.AppendAsync(
            [
                Entry(actor, now.AddMinutes(-10), [asset, "fleet-a"], """{"status": "maintenance"}"""),
                Entry(actor, now, ["fleet-a"], null),
                Entry("someone-else", now, [asset], null),
            ],
            CancellationToken.None);

        var byActor = await Store.QueryAsync(new AuditQuery(null, null, actor, null, 0, 100), CancellationToken.None);
        var byEntity = await Store.QueryAsync(new AuditQuery(null, null, actor, asset, 0, 100), CancellationToken.None);
        var recent = await Store.QueryAsync(new AuditQuery(now.AddMinutes(-1), now.AddMinutes(1), actor, null, 0, 100), CancellationToken.None);
        // '_' in the id is matched literally, not as LIKE's single-character wildcard.
        var wildcard = await Store.QueryAsync(new AuditQuery(null, null, actor, asset.Replace('_', 'x'), 0, 100), CancellationToken.None);

        Assert.Equal(2, byActor.Count);
        var first = byActor[0];
        Assert.Equal((now.AddMinutes(-10), "POST", """{"status": "maintenance"}""", 200), (first.AtUtc, first.Method, first.Body, first.Status));
        Assert.Equal([asset, "fleet-a"], first.Entities);
        Assert.True(byActor[1].Id > first.Id);
        Assert.Equal(first.Id, Assert.Single(byEntity).Id);
        Assert.Equal(byActor[1].Id, Assert.Single(recent).Id);
        Assert.Empty(wildcard);
    }

    [Fact]
    public async Task Rows_cannot_be_updated_and_retention_deletes_only_old_ones()
    {
        var actor = "actor-" + Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow;
        await Store.AppendAsync([Entry(actor, now.AddDays(-400), [], null), Entry(actor, now, [], null)], CancellationToken.None);

        await using (var connection = Connect())
        {
            await connection.OpenAsync();
            await using var update = connection.CreateCommand();
            update.CommandText = $"UPDATE VppAudit SET Actor = 'forged' WHERE Actor = '{actor}'";
            await Assert.ThrowsAnyAsync<DbException>(() => update.ExecuteNonQueryAsync());
        }

        var deleted = await Store.DeleteBeforeAsync(now.AddDays(-365), CancellationToken.None);

        Assert.True(deleted >= 1);
        var left = await Store.QueryAsync(new AuditQuery(null, null, actor, null, 0, 100), CancellationToken.None);
        Assert.Equal(now.ToUnixTimeMilliseconds(), Assert.Single(left).AtUtc.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Each_service_sharing_the_database_reads_and_sweeps_only_its_own_rows()
    {
        var actor = "actor-" + Guid.NewGuid().ToString("N")[..8];
        var other = new AdoNetAuditStore(Connect, "svc-other-" + Guid.NewGuid().ToString("N")[..8]);
        var now = DateTimeOffset.UtcNow;
        await Store.AppendAsync([Entry(actor, now.AddDays(-400), [], null), Entry(actor, now, ["mine"], null)], CancellationToken.None);
        await other.AppendAsync([Entry(actor, now.AddDays(-400), [], null), Entry(actor, now, ["theirs"], null)], CancellationToken.None);

        var mine = await Store.QueryAsync(new AuditQuery(null, null, actor, null, 0, 100), CancellationToken.None);
        var deleted = await other.DeleteBeforeAsync(now.AddDays(-365), CancellationToken.None);

        Assert.Equal(2, mine.Count);
        Assert.Equal(["mine"], mine[1].Entities);
        Assert.True(deleted >= 1);
        Assert.Equal(2, (await Store.QueryAsync(new AuditQuery(null, null, actor, null, 0, 100), CancellationToken.None)).Count);
        Assert.Equal(["theirs"], Assert.Single(await other.QueryAsync(new AuditQuery(null, null, actor, null, 0, 100), CancellationToken.None)).Entities);
    }

    private static AuditEntry Entry(string actor, DateTimeOffset at, string[] entities, string? body) =>
        new(0, at, actor, "POST", "/api/v1/assets/{assetId}/status", "/api/v1/assets/x/status", entities, body, false, 200);
}

public sealed class PostgresAuditStoreTests(PostgresFixture database) : AuditStoreContract, IClassFixture<PostgresFixture>, IAsyncLifetime
{
    public async Task InitializeAsync() =>
        await PostgresSetup.ApplyAsync(database.ConnectionString, PostgresFixture.SqlFolder, CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;

    protected override DbConnection Connect() => new NpgsqlConnection(database.ConnectionString);
}

public sealed class SqliteAuditStoreTests : AuditStoreContract, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vpp-audit-" + Guid.NewGuid().ToString("N"));
    private readonly string _connectionString;

    public SqliteAuditStoreTests()
    {
        Directory.CreateDirectory(_folder);
        _connectionString = SqliteStorageSetup.NormalizeConnectionString($"Data Source={Path.Combine(_folder, "vpp.db")}");
        SqliteStorageSetup.Apply(_connectionString, Path.Combine(RepositoryRoot.Path, "silo-config", "sql", "sqlite"));
    }

    protected override DbConnection Connect() => new SqliteConnection(_connectionString);

    [Fact]
    public async Task A_file_whose_audit_table_has_no_service_column_gets_one_and_keeps_its_rows_readable()
    {
        var connectionString = SqliteStorageSetup.NormalizeConnectionString($"Data Source={Path.Combine(_folder, "older.db")}");
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE VppAudit (Id INTEGER PRIMARY KEY AUTOINCREMENT, AtUtcMs integer NOT NULL, Actor text NOT NULL,
                    Method text NOT NULL, Route text NOT NULL, Path text NOT NULL, Entities text NOT NULL, Body text NULL,
                    BodyTruncated integer NOT NULL, Status integer NOT NULL);
                INSERT INTO VppAudit (AtUtcMs, Actor, Method, Route, Path, Entities, Body, BodyTruncated, Status)
                    VALUES (1000, 'operator', 'POST', '/r', '/p', '|a1|', NULL, 0, 200);
                """;
            await create.ExecuteNonQueryAsync();
        }

        SqliteStorageSetup.Apply(connectionString, Path.Combine(RepositoryRoot.Path, "silo-config", "sql", "sqlite"));
        SqliteStorageSetup.Apply(connectionString, Path.Combine(RepositoryRoot.Path, "silo-config", "sql", "sqlite")); // twice: idempotent

        var store = new AdoNetAuditStore(() => new SqliteConnection(connectionString), "vpp");
        var row = Assert.Single(await store.QueryAsync(new AuditQuery(null, null, "operator", null, 0, 100), CancellationToken.None));
        Assert.Equal(["a1"], row.Entities);
        await store.AppendAsync([row with { Id = 0, Entities = ["a2"] }], CancellationToken.None);
        Assert.Equal(2, (await store.QueryAsync(new AuditQuery(null, null, "operator", null, 0, 100), CancellationToken.None)).Count);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
