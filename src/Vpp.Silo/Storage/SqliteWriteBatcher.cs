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
/// through the provider) take their turn between batches.
/// </summary>
public sealed class SqliteWriteBatcher : IDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _connectionString;
    private readonly Func<string> _writeStatement;
    private readonly int _maxBatch;
    private readonly Task _loop;
    private SqliteConnection? _connection;
    private long _batches;
    private long _writes;

    /// <param name="connectionString">The normalized connection string of the database file.</param>
    /// <param name="writeStatement">The provider's <c>WriteToStorageKey</c> text; asked for at the first write.</param>
    /// <param name="maxBatch">The most writes committed in one transaction.</param>
    public SqliteWriteBatcher(string connectionString, Func<string> writeStatement, int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _connectionString = connectionString;
        _writeStatement = writeStatement;
        _maxBatch = maxBatch;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Transactions committed so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Writes committed or refused so far.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Stores <paramref name="write"/> with the next batch; the new version, or null on a version conflict.</summary>
    public Task<int?> WriteAsync(SqliteStateWrite write)
    {
        var pending = new PendingWrite(write);
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
        _connection?.Dispose();
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
        var batch = new List<PendingWrite>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && _queue.Reader.TryPeek(out var next))
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
                batch.Add((PendingWrite)next);
            }

            if (batch.Count > 0)
            {
                Commit(batch);
                batch.Clear();
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

    private void Commit(List<PendingWrite> batch)
    {
        var versions = new int?[batch.Count];
        var failures = new Exception?[batch.Count];
        try
        {
            var connection = Connection();
            using var transaction = connection.BeginTransaction(); // BEGIN IMMEDIATE: waits for another writer's lock
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = _writeStatement();
            for (var i = 0; i < batch.Count; i++)
            {
                try
                {
                    versions[i] = Execute(command, batch[i].Write);
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
                pending.Done.TrySetException(ex);
            }

            return;
        }

        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _writes, batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                batch[i].Done.TrySetException(failure);
            }
            else
            {
                batch[i].Done.TrySetResult(versions[i]);
            }
        }
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
            _connection = connection;
        }

        return _connection;
    }

    private abstract class Pending;

    private sealed class PendingWrite(SqliteStateWrite write) : Pending
    {
        public SqliteStateWrite Write { get; } = write;

        public TaskCompletionSource<int?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class PendingExclusive(Func<Task> operation) : Pending
    {
        public Func<Task> Operation { get; } = operation;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
