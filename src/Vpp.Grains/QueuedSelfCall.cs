namespace Vpp.Grains;

/// <summary>
/// A message a grain sends itself so that work runs after the current call instead of inside it: any number of
/// requests made before it runs share one message. A self-call can be lost before it runs (the grain stayed busy past
/// the response timeout, or the call failed on the way): the queued flag is then cleared, so the next request sends a
/// fresh one instead of waiting for a message that will never arrive, and with <c>retryAfter</c> the grain sends it
/// again by itself — work that was asked for once (a re-dispatch after an outage) must not depend on a second request.
/// </summary>
/// <param name="grain">The grain that calls itself; the retry runs on its timer.</param>
/// <param name="send">Sends the self-call (through a grain reference, so it queues behind the current call).</param>
/// <param name="lost">Told of a self-call that failed (lost before it ran, or thrown while running).</param>
/// <param name="retryAfter">When set, a failed self-call is sent again after this long.</param>
public sealed class QueuedSelfCall(IGrainBase grain, Func<Task> send, Action<Exception> lost, TimeSpan? retryAfter = null)
{
    private long _sent;
    private IGrainTimer? _retry;

    /// <summary>A self-call is on its way and has not started yet: requests now are served by it.</summary>
    public bool IsQueued { get; private set; }

    /// <summary>Sends the self-call unless one is already queued.</summary>
    public void Queue()
    {
        if (IsQueued)
        {
            return;
        }

        IsQueued = true;
        var call = ++_sent;

        // The continuation runs on the grain's scheduler (the current one here), like any other turn of the grain.
        _ = send().ContinueWith(t => OnFailed(call, t.Exception!.GetBaseException()), TaskContinuationOptions.OnlyOnFaulted);
    }

    /// <summary>The self-call calls this first: requests from now on need a new one.</summary>
    public void Running() => IsQueued = false;

    private void OnFailed(long call, Exception error)
    {
        if (call != _sent)
        {
            lost(error);
            return; // a newer self-call was sent since: it serves every request so far
        }

        IsQueued = false;
        lost(error);
        if (retryAfter is { } delay)
        {
            _retry?.Dispose();
            _retry = grain.RegisterGrainTimer(
                _ =>
                {
                    _retry?.Dispose();
                    _retry = null;
                    Queue();
                    return Task.CompletedTask;
                },
                new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan));
        }
    }
}
