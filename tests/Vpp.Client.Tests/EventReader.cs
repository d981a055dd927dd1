using Vpp.Abstractions.Fleets;

namespace Vpp.Client.Tests;

/// <summary>
/// Reads a live event stream until an expected event arrives, failing after a hard bound (no sleeps). Disposing
/// cancels <paramref name="stop"/> and lets a read still pending after a timeout finish first: an async iterator
/// refuses to be disposed while it runs, which would hide the timeout behind a NotSupportedException.
/// </summary>
public sealed class EventReader(IAsyncEnumerator<FleetEvent> events, CancellationTokenSource? stop = null) : IAsyncDisposable
{
    private Task<bool>? _pending;

    public List<FleetEvent> Seen { get; } = [];

    /// <summary>The next event of kind <typeparamref name="T"/> (that <paramref name="match"/> accepts, when given).</summary>
    public async Task<T> NextAsync<T>(string what, Func<T, bool>? match = null, TimeSpan? within = null)
        where T : FleetEvent =>
        (T)await NextAsync(e => e is T typed && (match is null || match(typed)), what, within);

    public async Task<FleetEvent> NextAsync(Func<FleetEvent, bool> match, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? Eventually.DefaultBound);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            bool more;
            try
            {
                _pending = left > TimeSpan.Zero ? events.MoveNextAsync().AsTask() : null;
                more = _pending is not null && await _pending.WaitAsync(left);
            }
            catch (TimeoutException)
            {
                more = false;
            }

            if (!more)
            {
                throw new Xunit.Sdk.XunitException(
                    $"Timed out waiting for {what}; seen: {string.Join(" | ", Seen.Select(e => $"{e.Sequence} {e.Kind}: {e.Message}"))}");
            }

            Seen.Add(events.Current);
            if (match(events.Current))
            {
                return events.Current;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_pending is { IsCompleted: false } pending)
        {
            if (stop is not null)
            {
                await stop.CancelAsync();
            }

            try
            {
                await pending.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception)
            {
                // Cancelled or still stuck: the test has already failed with the message that matters.
                if (!pending.IsCompleted)
                {
                    return;
                }
            }
        }

        await events.DisposeAsync();
    }
}
