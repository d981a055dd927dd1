using Microsoft.Data.Sqlite;
using Vpp.Grains.Diagnostics;

namespace Vpp.Silo.Storage;

/// <summary>
/// Copies a SQLite file's WAL into the database file for its <see cref="SqliteWriteBatcher"/>, whose commits run no
/// checkpoint: in a bulk registration the checkpoint SQLite runs inside the commit that crosses its threshold took a
/// fifth of the writer's time (docs/benchmarks.md, "Bulk registration"). A commit is durable once the WAL is synced
/// (<c>synchronous</c> FULL), so moving the checkpoint changes when the database file catches up, not what survives a
/// crash. Passive checkpoints run on a connection of their own; over <see cref="MaxWalBytes"/> the writer restarts
/// the log between two of its transactions (<see cref="RestartIfLong"/>).
/// </summary>
public sealed class SqliteCheckpointer : IDisposable
{
    /// <summary>
    /// The WAL size beyond which the writer restarts the log, waiting while it copies what the passive checkpoints
    /// left. A writer that never pauses never lets a passive checkpoint restart the log, so this is what bounds the WAL
    /// during a bulk import: a long WAL also slows every read, which searches the WAL's index first.
    /// </summary>
    public const long MaxWalBytes = 128L << 20;

    /// <summary>What a restarted WAL is truncated to (<c>PRAGMA journal_size_limit</c>): below <see cref="MaxWalBytes"/>.</summary>
    public const long RestartedWalBytes = 16L << 20;

    /// <summary>How often the passive checkpoint looks for committed pages to copy, by default.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(200);

    private readonly string _connectionString;
    private readonly string _walPath;
    private readonly Func<long> _commits;
    private readonly TimeSpan _interval;
    private readonly long _maxWalBytes;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _runs;
    private long _failures;
    private long _retryAtWalBytes;

    /// <param name="connectionString">The database file's connection string.</param>
    /// <param name="commits">The writer's count of commits: a passive checkpoint runs only after one.</param>
    /// <param name="interval">How often to look for new commits.</param>
    /// <param name="maxWalBytes">The WAL size at which <see cref="RestartIfLong"/> restarts the log.</param>
    public SqliteCheckpointer(string connectionString, Func<long> commits, TimeSpan interval, long maxWalBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWalBytes, 1);
        _connectionString = connectionString;
        _walPath = new SqliteConnectionStringBuilder(connectionString).DataSource + "-wal";
        _commits = commits;
        _interval = interval;
        _maxWalBytes = maxWalBytes;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Passive checkpoints run so far (one per interval in which something was committed).</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>Checkpoints that failed (the WAL keeps the pages; the next one tries again).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>
    /// Called by the writer between its transactions: once the WAL is over its bound, checkpoints all of it on the
    /// writer's own connection so the next transaction starts the log afresh. On the writer's connection and not on
    /// this one: a checkpoint that must wait for the write lock would wait for ever behind a writer that takes it again
    /// at once.
    /// </summary>
    public void RestartIfLong(Func<SqliteConnection> writer)
    {
        var walBytes = WalBytes();
        if (walBytes <= _maxWalBytes || walBytes < _retryAtWalBytes)
        {
            return;
        }

        bool done;
        try
        {
            done = RestartWaitingBriefly(writer());
        }
        catch (SqliteException)
        {
            done = false;
        }

        VppMetrics.RecordSqliteCheckpoint("restart", done);
        // A reader still reading an older snapshot blocked it: the pages copied so far stay copied and the WAL grows
        // on; the writer tries again once it has grown by another RestartedWalBytes, so a long read costs it a few
        // short waits, not one per commit.
        _retryAtWalBytes = done ? 0 : walBytes + RestartedWalBytes;
        if (!done)
        {
            Interlocked.Increment(ref _failures);
        }
    }

    /// <summary>Stops the passive checkpoints (the last connection to close the file checkpoints what is left).</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _loop.GetAwaiter().GetResult();
        _stop.Dispose();
    }

    /// <summary>
    /// Every interval after a commit, copies the committed pages into the database file (PASSIVE: alongside the writer
    /// and the readers). A passive checkpoint never restarts the log while the writer keeps writing;
    /// <see cref="RestartIfLong"/> does.
    /// </summary>
    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        SqliteConnection? connection = null;
        var checkpointedAt = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var commits = _commits();
                if (commits == checkpointedAt)
                {
                    continue;
                }

                try
                {
                    connection ??= Open(_connectionString);
                    Checkpoint(connection, "PASSIVE"); // never blocked: it copies what no reader still needs
                    checkpointedAt = commits;
                    VppMetrics.RecordSqliteCheckpoint("passive", done: true); // before the count: whoever sees the run sees its metric
                    Interlocked.Increment(ref _runs);
                }
                catch (SqliteException)
                {
                    // Locked out or an I/O error: the pages stay in the WAL, where reads find them; try again next tick.
                    VppMetrics.RecordSqliteCheckpoint("passive", done: false);
                    Interlocked.Increment(ref _failures);
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // stopping
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>How long a restart waits for readers of older snapshots to finish: reads take milliseconds.</summary>
    public const int RestartBusyTimeoutMs = 100;

    /// <summary>
    /// A restart that a reader on an older snapshot blocks would wait out the connection's busy timeout (30 s by
    /// default) on the writer, and every write of the silo with it. With <see cref="RestartBusyTimeoutMs"/> it waits
    /// for the short reads of a busy silo, and past that copies what it can and answers.
    /// </summary>
    private static bool RestartWaitingBriefly(SqliteConnection writer)
    {
        using var command = writer.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout;";
        var busyTimeoutMs = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        command.CommandText = $"PRAGMA busy_timeout = {RestartBusyTimeoutMs};";
        command.ExecuteNonQuery();
        try
        {
            return Checkpoint(writer, "RESTART");
        }
        finally
        {
            command.CommandText = $"PRAGMA busy_timeout = {busyTimeoutMs};";
            command.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Runs a checkpoint and answers whether it finished: SQLite answers a checkpoint that a reader or writer blocked
    /// with a row whose first column is 1 (https://sqlite.org/pragma.html#pragma_wal_checkpoint), not with an error.
    /// </summary>
    private static bool Checkpoint(SqliteConnection connection, string mode)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode});";
        using var reader = command.ExecuteReader();
        return reader.Read() && reader.GetInt64(0) == 0;
    }

    /// <summary>The WAL file's length: the most it holds (it shrinks only when a restarted log is truncated).</summary>
    private long WalBytes()
    {
        var wal = new FileInfo(_walPath);
        return wal.Exists ? wal.Length : 0;
    }

    private static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }
}
