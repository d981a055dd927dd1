using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Vpp.Silo.Audit;

/// <summary>
/// Takes audit entries off the request path: a bounded queue that a background loop writes to the store in batches,
/// drained on shutdown (after the server has stopped taking requests). A periodic sweep deletes entries older than
/// <see cref="AuditOptions.RetentionDays"/>.
/// </summary>
public sealed partial class AuditWriter : IHostedService
{
    private readonly IAuditStore _store;
    private readonly AuditOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<AuditWriter> _logger;
    private readonly Channel<AuditEntry> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private Task _writing = Task.CompletedTask;
    private Task _sweeping = Task.CompletedTask;
    private long _dropped;

    public AuditWriter(IAuditStore store, IOptions<AuditOptions> options, TimeProvider clock, ILogger<AuditWriter> logger)
    {
        _store = store;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _queue = Channel.CreateBounded<AuditEntry>(new BoundedChannelOptions(Math.Max(1, _options.QueueCapacity))
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
    }

    /// <summary>Entries refused because the queue was full (the store is slower than the requests).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public TimeProvider Clock => _clock;

    /// <summary>Queues <paramref name="entry"/> without waiting; false when the queue is full or the writer has stopped.</summary>
    public bool TryEnqueue(AuditEntry entry)
    {
        if (_queue.Writer.TryWrite(entry))
        {
            return true;
        }

        if (Interlocked.Increment(ref _dropped) is var dropped && (dropped & (dropped - 1)) == 0)
        {
            LogDropped(dropped);
        }

        return false;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _writing = Task.Run(WriteLoopAsync, CancellationToken.None);
        _sweeping = Task.Run(SweepLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        await Task.WhenAll(_writing, _sweeping).WaitAsync(cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<AuditEntry>(_options.BatchSize);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < Math.Max(1, _options.BatchSize) && _queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            try
            {
                await _store.AppendAsync(batch, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogWriteFailed(ex, batch.Count);
            }

            batch.Clear();
        }
    }

    private async Task SweepLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.RetentionSweepInterval, _clock);
        try
        {
            do
            {
                try
                {
                    var deleted = await _store.DeleteBeforeAsync(_clock.GetUtcNow().AddDays(-_options.RetentionDays), _stopping.Token);
                    if (deleted > 0)
                    {
                        LogSwept(deleted, _options.RetentionDays);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSweepFailed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(_stopping.Token));
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit queue full: {Dropped} entries dropped so far (raise Audit:QueueCapacity or check the database)")]
    private partial void LogDropped(long dropped);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit: writing {Count} entries failed; they are lost")]
    private partial void LogWriteFailed(Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit: deleted {Deleted} entries older than {Days} days")]
    private partial void LogSwept(int deleted, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit: the retention sweep failed; it runs again at the next interval")]
    private partial void LogSweepFailed(Exception ex);
}
