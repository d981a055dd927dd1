namespace Vpp.Grains;

/// <summary>
/// A state write a grain defers: any number of requests within <c>delay</c> share one write, so a burst of changes
/// (status reports, aFRR setpoints) means one write instead of a burst. The timer exists only while a write is pending
/// and runs on the grain's scheduler, so the write sees the grain's state as any other call does. A write that fails
/// is requested again after another delay: the change is still in memory and must not wait for the next change.
/// </summary>
/// <param name="grain">The grain whose timer runs the write.</param>
/// <param name="delay">How long a requested write waits for more changes to join it.</param>
/// <param name="writeAsync">Writes the grain's state.</param>
public sealed class WriteBehind(IGrainBase grain, TimeSpan delay, Func<Task> writeAsync)
{
    private IGrainTimer? _timer;

    /// <summary>A write has been requested and has not run yet.</summary>
    public bool IsPending => _timer is not null;

    /// <summary>Writes within <c>delay</c> unless a write is already pending.</summary>
    public void Request() =>
        _timer ??= grain.RegisterGrainTimer(_ => RunAsync(), new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan));

    /// <summary>Writes now if a write is pending (deactivation, or a write that must not wait).</summary>
    public Task FlushAsync() => IsPending ? RunAsync() : Task.CompletedTask;

    /// <summary>A write done another way covers the pending one.</summary>
    public void Cancel()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private async Task RunAsync()
    {
        Cancel();
        try
        {
            await writeAsync();
        }
        catch
        {
            Request();
            throw;
        }
    }
}
