using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Vpp.Silo.Storage;

/// <summary>The columns of one grain-state row the provider's write statement binds, and the expected version.</summary>
public sealed record SqliteStateWrite(
    int GrainIdHash,
    long GrainIdN0,
    long GrainIdN1,
    int GrainTypeHash,
    string GrainTypeString,
    string? GrainIdExtensionString,
    string ServiceId,
    int? GrainStateVersion,
    byte[] PayloadBinary);

/// <summary>
/// The single writer of a SQLite file: grain-state writes queue here and are committed many at a time, one
/// transaction per batch on one connection, so a burst of N writes costs a handful of commits (fsyncs) instead of N.
/// Each write runs the provider's own <c>WriteToStorageKey</c> statement, so a version conflict fails exactly that
/// write (its statement returns no row) while the rest of its batch is stored. Operations that must run alone (a clear
/// through the provider) take their turn between batches. A bulk insert (<see cref="InsertNewAsync"/>) is one entry of
/// the queue, its rows run through one prepared statement inside the batch's transaction.
/// Its commits run no checkpoint: a <see cref="SqliteCheckpointer"/> copies the WAL into the database file beside it.
/// </summary>
public sealed class SqliteWriteBatcher : IDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _connectionString;
    private readonly Func<string> _writeStatement;
    private readonly int _maxBatch;
    private readonly Task _loop;
    private readonly SqliteCheckpointer _checkpointer;
    private SqliteConnection? _connection;
    private long _batches;
    private long _writes;

    /// <param name="connectionString">The normalized connection string of the database file.</param>
    /// <param name="writeStatement">The provider's <c>WriteToStorageKey</c> text; asked for at the first write.</param>
    /// <param name="maxBatch">The most writes committed in one transaction.</param>
    /// <param name="checkpointInterval">How often the checkpointer copies committed pages (<see cref="SqliteCheckpointer.DefaultInterval"/>).</param>
    /// <param name="maxWalBytes">The WAL size at which the writer restarts the log (<see cref="SqliteCheckpointer.MaxWalBytes"/>).</param>
    public SqliteWriteBatcher(
        string connectionString, Func<string> writeStatement, int maxBatch, TimeSpan? checkpointInterval = null,
        long maxWalBytes = SqliteCheckpointer.MaxWalBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _connectionString = connectionString;
        _writeStatement = writeStatement;
        _maxBatch = maxBatch;
        _checkpointer = new SqliteCheckpointer(connectionString, () => Batches, checkpointInterval ?? SqliteCheckpointer.DefaultInterval, maxWalBytes);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Transactions committed so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Passive checkpoints run so far (one per interval in which something was committed).</summary>
    public long Checkpoints => _checkpointer.Runs;

    /// <summary>Checkpoints that failed (the WAL keeps the pages; the next one tries again).</summary>
    public long CheckpointFailures => _checkpointer.Failures;

    /// <summary>Writes committed or refused so far.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Stores <paramref name="write"/> with the next batch; the new version, or null on a version conflict.</summary>
    public Task<int?> WriteAsync(SqliteStateWrite write)
    {
        var pending = new PendingWrite(write);
        Enqueue(pending);
        return pending.Done.Task;
    }

    /// <summary>
    /// Stores each of <paramref name="rows"/> as version 1 where its grain has no row, in the next batch's transaction
    /// with one prepared insert; in order, true where stored and false where a row existed.
    /// </summary>
    public Task<bool[]> InsertNewAsync(IReadOnlyList<SqliteStateWrite> rows)
    {
        var pending = new PendingInsert(rows);
        Enqueue(pending);
        return pending.Done.Task;
    }

    /// <summary>Runs <paramref name="operation"/> between batches, while nothing else writes through this batcher.</summary>
    public Task RunAloneAsync(Func<Task> operation)
    {
        var pending = new PendingExclusive(operation);
        Enqueue(pending);
        return pending.Done.Task;
    }

    /// <summary>Stops taking writes, finishes those queued (the silo has deactivated its grains by then) and closes.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _loop.GetAwaiter().GetResult();
        _checkpointer.Dispose();
        _connection?.Dispose(); // the last connection to close checkpoints what is left
    }

    private void Enqueue(Pending pending)
    {
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqliteWriteBatcher), "The silo's SQLite writer has stopped.");
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            var rows = 0;
            while (rows < _maxBatch && _queue.Reader.TryPeek(out var next))
            {
                if (next is PendingExclusive exclusive)
                {
                    if (batch.Count > 0)
                    {
                        break; // the writes queued before it go first
                    }

                    _queue.Reader.TryRead(out _);
                    await RunExclusiveAsync(exclusive);
                    continue;
                }

                _queue.Reader.TryRead(out _);
                batch.Add(next);
                rows += next is PendingInsert insert ? insert.Rows.Count : 1;
            }

            if (batch.Count > 0)
            {
                Commit(batch);
                batch.Clear();
                _checkpointer.RestartIfLong(Connection);
            }
        }
    }

    private static async Task RunExclusiveAsync(PendingExclusive exclusive)
    {
        try
        {
            await exclusive.Operation();
            exclusive.Done.TrySetResult();
        }
        catch (Exception ex)
        {
            exclusive.Done.TrySetException(ex);
        }
    }

    private void Commit(List<Pending> batch)
    {
        var results = new object?[batch.Count];
        var failures = new Exception?[batch.Count];
        try
        {
            var connection = Connection();
            using var transaction = connection.BeginTransaction(); // BEGIN IMMEDIATE: waits for another writer's lock
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = _writeStatement();
            using var insert = InsertCommand(connection, transaction);
            for (var i = 0; i < batch.Count; i++)
            {
                try
                {
                    results[i] = batch[i] is PendingInsert inserts ? Insert(insert, inserts.Rows) : Execute(command, ((PendingWrite)batch[i]).Write);
                }
                catch (SqliteException ex)
                {
                    failures[i] = ex;
                    if (SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) != 0)
                    {
                        // SQLite rolled the whole transaction back (disk full, I/O error): nothing of it is stored.
                        throw;
                    }
                }
            }

            transaction.Commit();
        }
        catch (Exception ex)
        {
            _connection?.Dispose();
            _connection = null; // open afresh for the next batch
            foreach (var pending in batch)
            {
                pending.Fail(ex);
            }

            return;
        }

        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _writes, batch.Sum(pending => pending is PendingInsert inserts ? inserts.Rows.Count : 1));
        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                batch[i].Fail(failure);
            }
            else if (batch[i] is PendingInsert inserts)
            {
                inserts.Done.TrySetResult((bool[])results[i]!);
            }
            else
            {
                ((PendingWrite)batch[i]).Done.TrySetResult((int?)results[i]);
            }
        }
    }

    /// <summary>
    /// Inserts version 1 of each row unless its grain has one (the unique key of silo-config/sql/sqlite/001-persistence.sql);
    /// the same columns and values as the versionless branch of the provider's <c>WriteToStorageKey</c>.
    /// </summary>
    private static SqliteCommand InsertCommand(SqliteConnection connection, SqliteTransaction transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO OrleansStorage
                (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
            VALUES
                (@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId, @PayloadBinary,
                 strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 1)
            ON CONFLICT DO NOTHING
            RETURNING Version;
            """;
        command.Parameters.Add("@GrainIdHash", SqliteType.Integer);
        command.Parameters.Add("@GrainIdN0", SqliteType.Integer);
        command.Parameters.Add("@GrainIdN1", SqliteType.Integer);
        command.Parameters.Add("@GrainTypeHash", SqliteType.Integer);
        command.Parameters.Add("@GrainTypeString", SqliteType.Text);
        command.Parameters.Add("@GrainIdExtensionString", SqliteType.Text);
        command.Parameters.Add("@ServiceId", SqliteType.Text);
        command.Parameters.Add("@PayloadBinary", SqliteType.Blob);
        return command;
    }

    /// <summary>Runs the prepared insert once per row: true where it stored the row, false where the grain had one.</summary>
    private static bool[] Insert(SqliteCommand insert, IReadOnlyList<SqliteStateWrite> rows)
    {
        var stored = new bool[rows.Count];
        var parameters = insert.Parameters;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            parameters[0].Value = row.GrainIdHash;
            parameters[1].Value = row.GrainIdN0;
            parameters[2].Value = row.GrainIdN1;
            parameters[3].Value = row.GrainTypeHash;
            parameters[4].Value = row.GrainTypeString;
            parameters[5].Value = (object?)row.GrainIdExtensionString ?? DBNull.Value;
            parameters[6].Value = row.ServiceId;
            parameters[7].Value = row.PayloadBinary;
            stored[i] = insert.ExecuteScalar() is not null;
        }

        return stored;
    }

    /// <summary>Runs the write statement for one grain: its new version, or null when neither statement touched a row.</summary>
    private static int? Execute(SqliteCommand command, SqliteStateWrite write)
    {
        command.Parameters.Clear();
        command.Parameters.AddWithValue("@GrainIdHash", write.GrainIdHash);
        command.Parameters.AddWithValue("@GrainIdN0", write.GrainIdN0);
        command.Parameters.AddWithValue("@GrainIdN1", write.GrainIdN1);
        command.Parameters.AddWithValue("@GrainTypeHash", write.GrainTypeHash);
        command.Parameters.AddWithValue("@GrainTypeString", write.GrainTypeString);
        command.Parameters.AddWithValue("@GrainIdExtensionString", (object?)write.GrainIdExtensionString ?? DBNull.Value);
        command.Parameters.AddWithValue("@ServiceId", write.ServiceId);
        command.Parameters.AddWithValue("@GrainStateVersion", (object?)write.GrainStateVersion ?? DBNull.Value);
        command.Parameters.AddWithValue("@PayloadBinary", write.PayloadBinary);

        int? version = null;
        using var reader = command.ExecuteReader();
        do
        {
            while (reader.Read())
            {
                version ??= reader.IsDBNull(0) ? null : reader.GetInt32(0);
            }
        }
        while (reader.NextResult());

        return version;
    }

    private SqliteConnection Connection()
    {
        if (_connection is null)
        {
            var connection = new SqliteConnection(_connectionString);
            connection.Open();
            using (var pragmas = connection.CreateCommand())
            {
                // No checkpoint inside this connection's commits (the checkpointer runs them); a WAL that grew in a
                // burst is truncated when the log restarts.
                pragmas.CommandText = $"PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = {SqliteCheckpointer.RestartedWalBytes};";
                pragmas.ExecuteNonQuery();
            }

            _connection = connection;
        }

        return _connection;
    }

    private abstract class Pending
    {
        public abstract void Fail(Exception error);
    }

    private sealed class PendingWrite(SqliteStateWrite write) : Pending
    {
        public SqliteStateWrite Write { get; } = write;

        public TaskCompletionSource<int?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Fail(Exception error) => Done.TrySetException(error);
    }

    private sealed class PendingInsert(IReadOnlyList<SqliteStateWrite> rows) : Pending
    {
        public IReadOnlyList<SqliteStateWrite> Rows { get; } = rows;

        public TaskCompletionSource<bool[]> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Fail(Exception error) => Done.TrySetException(error);
    }

    private sealed class PendingExclusive(Func<Task> operation) : Pending
    {
        public Func<Task> Operation { get; } = operation;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Fail(Exception error) => Done.TrySetException(error);
    }
}
