using System.Security.Claims;
using Microsoft.Extensions.Options;
using Vpp.Silo.Security;

namespace Vpp.Silo.Api;

/// <summary>
/// Open Server-Sent Event streams (fleet events and fleet output) per API key, at most Api:MaxEventStreamsPerKey at
/// once: each stream holds a connection, a grain subscription or poller and a buffer for as long as the client
/// stays, so one key must not be able to open them without bound.
/// </summary>
public sealed class EventStreamSlots(IOptions<ApiLimitsOptions> limits)
{
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);

    public int MaxPerKey => limits.Value.MaxEventStreamsPerKey;

    /// <summary>A slot for one stream of the caller's key, released when disposed; null when the key has no slot left.</summary>
    public IDisposable? TryOpen(ClaimsPrincipal user)
    {
        var key = user.Identity?.Name ?? "";
        lock (_open)
        {
            var open = _open.GetValueOrDefault(key);
            if (open >= MaxPerKey)
            {
                return null;
            }

            _open[key] = open + 1;
        }

        return new Slot(this, key);
    }

    private void Release(string key)
    {
        lock (_open)
        {
            if (_open.GetValueOrDefault(key) <= 1)
            {
                _open.Remove(key);
            }
            else
            {
                _open[key]--;
            }
        }
    }

    /// <summary>429 for a key that holds all its streams; not a matter of time, so no Retry-After.</summary>
    public IResult TooMany() =>
        Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many open event streams",
            detail: $"this API key already has {MaxPerKey} event streams open (Api:MaxEventStreamsPerKey); close one first",
            extensions: new Dictionary<string, object?> { ["maxEventStreamsPerKey"] = MaxPerKey });

    private sealed class Slot(EventStreamSlots slots, string key) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release(key);
            }
        }
    }
}
