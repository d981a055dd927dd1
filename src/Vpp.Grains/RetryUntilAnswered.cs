namespace Vpp.Grains;

/// <summary>
/// Grains that did not answer a call which must not simply be forgotten (a silo handing its grains over during a
/// rolling update answers "silo unavailable" for a moment): they are asked again on a grain timer until they answer.
/// The timer exists only while something is pending and runs on the grain's scheduler (no interleaving), so the
/// retry sees the grain's state as any other call does.
/// </summary>
public sealed class RetryUntilAnswered(IGrainBase grain, TimeSpan period, Func<IReadOnlyList<string>, Task> retryAsync)
{
    private readonly HashSet<string> _pending = [];
    private IGrainTimer? _timer;

    public int Count => _pending.Count;

    public bool Contains(string key) => _pending.Contains(key);

    /// <summary>Asks <paramref name="key"/> again within <c>period</c>, and every period after that until removed.</summary>
    public void Add(string key)
    {
        _pending.Add(key);
        _timer ??= grain.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(period, period));
    }

    /// <summary>It answered (in the retry or through any other call).</summary>
    public bool Remove(string key) => _pending.Remove(key);

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count > 0)
        {
            await retryAsync([.. _pending]);
        }

        if (_pending.Count == 0)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }
}
