namespace Vpp.Grains.Storage;

/// <summary>
/// A silo-wide bound on reads of stored history that a query asks for (a settlement reads up to one state per
/// quarter hour of every partition it covers): a few at a time per silo, so a query over a large fleet queues its
/// reads instead of taking every database connection the silo may open.
/// </summary>
public sealed class HistoryReads
{
    public const int MaxConcurrent = 4;

    private readonly SemaphoreSlim _slots = new(MaxConcurrent, MaxConcurrent);

    public async Task<T> RunAsync<T>(Func<Task<T>> read)
    {
        await _slots.WaitAsync();
        try
        {
            return await read();
        }
        finally
        {
            _slots.Release();
        }
    }
}
