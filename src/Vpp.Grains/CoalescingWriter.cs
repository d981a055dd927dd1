namespace Vpp.Grains;

/// <summary>
/// Serialises and coalesces state writes of a grain whose methods interleave: concurrent WriteStateAsync calls
/// would race on the ETag. A caller gets a task that completes once a write that started after its change has
/// finished, and changes that arrive during a write share the next one. Runs on the grain's single-threaded
/// scheduler, so no locks are needed.
/// </summary>
public sealed class CoalescingWriter(Func<Task> write)
{
    private Task? _current;
    private TaskCompletionSource? _next;

    public Task WriteAsync()
    {
        if (_current is null)
        {
            _current = RunAsync();
            return _current;
        }

        _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _next.Task;
    }

    private async Task RunAsync()
    {
        try
        {
            await write();
        }
        finally
        {
            var waiting = _next;
            _next = null;
            _current = null;
            if (waiting is not null)
            {
                _current = ChainAsync(waiting);
            }
        }
    }

    private async Task ChainAsync(TaskCompletionSource waiting)
    {
        try
        {
            await RunAsync();
            waiting.TrySetResult();
        }
        catch (Exception ex)
        {
            waiting.TrySetException(ex);
        }
    }
}
