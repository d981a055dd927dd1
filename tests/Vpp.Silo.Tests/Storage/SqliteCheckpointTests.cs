using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Vpp.Grains.Diagnostics;
using Vpp.Silo.Storage;
using Vpp.Testing;

namespace Vpp.Silo.Tests.Storage;

/// <summary>
/// The single SQLite writer commits to the WAL and leaves checkpoints to a connection of its own: committed pages
/// reach the database file although no commit runs a checkpoint, and what the WAL holds stays readable meanwhile.
/// </summary>
public sealed class SqliteCheckpointTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vpp-checkpoint-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_root, "vpp.db");

    private string ConnectionString => SqliteStorageSetup.NormalizeConnectionString($"Data Source={DatabasePath}");

    [Fact]
    public async Task Committed_rows_reach_the_database_file_through_the_checkpointer_and_read_back_before_and_after()
    {
        SqliteStorageSetup.Apply(ConnectionString, SqliteDurableStore.SqlFolder);
        var sizeBefore = new FileInfo(DatabasePath).Length;
        var passiveDone = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == VppMetrics.MeterName && instrument.Name == "vpp.storage.sqlite.checkpoints")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var labels = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
            if (labels.GetValueOrDefault("mode") == "passive" && labels.GetValueOrDefault("outcome") == "done")
            {
                Interlocked.Add(ref passiveDone, value);
            }
        });
        listener.Start();
        const int rows = 2_000;
        var payload = new byte[1_000]; // 2 MB in all: half of SQLite's own checkpoint threshold, so no commit would copy it
        Array.Fill(payload, (byte)'x');

        using (var writer = new SqliteWriteBatcher(ConnectionString, () => "SELECT NULL; -- no single writes here", maxBatch: 512))
        {
            var stored = await writer.InsertNewAsync(
                [.. Enumerable.Range(0, rows).Select(i => new SqliteStateWrite(i, 0, 0, 7, "checkpointTest", $"row-{i}", "svc", null, payload))]);
            Assert.All(stored, Assert.True);
            Assert.Equal(rows, await CountAsync()); // readable from the WAL, whether or not a checkpoint ran yet

            var committed = writer.Batches;
            await Eventually.Until(
                () => Task.FromResult(writer.Checkpoints),
                checkpoints => checkpoints >= 1 && writer.Batches == committed, // the writer commits nothing else meanwhile
                "a checkpoint after the insert's commit");

            // The checkpointer copied the pages while the writer still had its connection open.
            Assert.True(new FileInfo(DatabasePath).Length >= sizeBefore + rows * payload.Length,
                $"the database file holds {new FileInfo(DatabasePath).Length:N0} bytes");
            Assert.Equal(0, writer.CheckpointFailures);
            Assert.True(Interlocked.Read(ref passiveDone) >= 1, "no vpp.storage.sqlite.checkpoints measurement (passive, done)");
        }

        Assert.Equal(rows, await CountAsync());
    }

    [Fact]
    public async Task A_writer_that_never_pauses_restarts_the_log_once_the_wal_passes_its_bound()
    {
        SqliteStorageSetup.Apply(ConnectionString, SqliteDurableStore.SqlFolder);
        const int commits = 12;
        const int rowsPerCommit = 500;
        var payload = new byte[2_000]; // 1 MB per commit
        Array.Fill(payload, (byte)'y');

        // No passive checkpoint within the test: only the writer's own restart can keep the WAL short.
        using (var writer = new SqliteWriteBatcher(
            ConnectionString, () => "SELECT NULL; -- no single writes here", maxBatch: 512, checkpointInterval: TimeSpan.FromHours(1), maxWalBytes: 2L << 20))
        {
            for (var commit = 0; commit < commits; commit++)
            {
                var rows = Enumerable.Range(commit * rowsPerCommit, rowsPerCommit)
                    .Select(i => new SqliteStateWrite(i, 0, 0, 7, "checkpointTest", $"row-{i}", "svc", null, payload))
                    .ToArray();
                Assert.All(await writer.InsertNewAsync(rows), Assert.True);
            }

            // 12 MB committed; without restarts the WAL would hold all of it.
            var walBytes = new FileInfo(DatabasePath + "-wal").Length;
            Assert.True(walBytes < 6L << 20, $"the WAL holds {walBytes:N0} bytes");
            Assert.Equal(0, writer.CheckpointFailures);
            Assert.Equal(commits * rowsPerCommit, await CountAsync());
        }

        Assert.Equal(commits * rowsPerCommit, await CountAsync());
    }

    [Fact]
    public async Task A_restart_a_reader_blocks_counts_as_failed_and_the_writes_go_on()
    {
        SqliteStorageSetup.Apply(ConnectionString, SqliteDurableStore.SqlFolder);
        var payload = new byte[2_000];
        Array.Fill(payload, (byte)'z');
        SqliteStateWrite[] Rows(int commit) => [.. Enumerable.Range(commit * 500, 500)
            .Select(i => new SqliteStateWrite(i, 0, 0, 7, "checkpointTest", $"row-{i}", "svc", null, payload))];

        using var writer = new SqliteWriteBatcher(
            ConnectionString, () => "SELECT NULL; -- no single writes here", maxBatch: 512, checkpointInterval: TimeSpan.FromHours(1), maxWalBytes: 2L << 20);
        Assert.All(await writer.InsertNewAsync(Rows(0)), Assert.True);

        // A reader in the middle of a read transaction keeps the snapshot of the first commit: no restart can finish.
        await using var reader = new SqliteConnection(ConnectionString);
        await reader.OpenAsync();
        await using var transaction = reader.BeginTransaction(deferred: true);
        await using (var read = reader.CreateCommand())
        {
            read.CommandText = "SELECT COUNT(*) FROM OrleansStorage WHERE GrainTypeString = 'checkpointTest';";
            Assert.Equal(500L, (long)(await read.ExecuteScalarAsync())!);
        }

        for (var commit = 1; commit < 6; commit++)
        {
            Assert.All(await writer.InsertNewAsync(Rows(commit)), Assert.True);
        }

        Assert.True(writer.CheckpointFailures >= 1, "a restart that the reader blocked was counted as done");
        await transaction.CommitAsync();
        Assert.Equal(3_000, await CountAsync());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private async Task<long> CountAsync()
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM OrleansStorage WHERE GrainTypeString = 'checkpointTest';";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
