using Vpp.Abstractions.Fleets;

namespace Vpp.Client.Tests;

/// <summary>Reads a live event stream until an expected event arrives, failing after a hard bound (no sleeps).</summary>
public sealed class EventReader(IAsyncEnumerator<FleetEvent> events) : IAsyncDisposable
{
    public List<FleetEvent> Seen { get; } = [];

    public async Task<FleetEvent> NextAsync(Func<FleetEvent, bool> match, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            bool more;
            try
            {
                more = left > TimeSpan.Zero && await events.MoveNextAsync().AsTask().WaitAsync(left);
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

    public ValueTask DisposeAsync() => events.DisposeAsync();
}
