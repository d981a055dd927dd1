namespace Vpp.Grains;

/// <summary>
/// Serialises and coalesces state writes of a grain whose methods interleave: concurrent WriteStateAsync calls
/// would race on the ETag. A caller gets a task that completes once a write that started after its change has
/// finished, and changes that arrive during a write share the next one. Runs on the grain's single-threaded
/// scheduler, so no locks are needed.
/// </summary>
public sealed class CoalescingWriter(Func<Task> write)
{
    // A flag, not the running task: a write that completes synchronously must not leave a finished task behind
    // that makes every later caller wait for a "next" write that is never started.
    private bool _running;
    private TaskCompletionSource? _next;

    public Task WriteAsync()
    {
        if (_running)
        {
            _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _next.Task;
        }

        _running = true;
        return RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            await write();
        }
        finally
        {
            _running = false;
            var waiting = _next;
            _next = null;
            if (waiting is not null)
            {
                _running = true;
                _ = ChainAsync(waiting);
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
