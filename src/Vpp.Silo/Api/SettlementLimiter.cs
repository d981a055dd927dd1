using System.Collections.Concurrent;

namespace Vpp.Silo.Api;

/// <summary>
/// Bounds the settlements one API key computes at once for one fleet (a settlement can mean a million asset rows):
/// a client that asks again before its answers came back gets 429 instead of stacking work on the silo. Per silo.
/// </summary>
public sealed class SettlementLimiter
{
    public const string ConfigKey = "Vpp:Api:MaxConcurrentSettlementsPerKey";
    public const int DefaultMaxConcurrent = 2;

    private readonly ConcurrentDictionary<(string Key, string FleetId), int> _running = new();

    /// <summary>A slot to compute in, or null when <paramref name="max"/> are already running for this key and fleet.</summary>
    public IDisposable? TryEnter(string key, string fleetId, int max)
    {
        var id = (key, fleetId);
        while (true)
        {
            var running = _running.GetOrAdd(id, 0);
            if (running >= max)
            {
                return null;
            }

            if (_running.TryUpdate(id, running + 1, running))
            {
                return new Slot(this, id);
            }
        }
    }

    private void Leave((string, string) id)
    {
        while (true)
        {
            var running = _running[id];
            if (running <= 1 ? _running.TryRemove(new KeyValuePair<(string, string), int>(id, running)) : _running.TryUpdate(id, running - 1, running))
            {
                return;
            }
        }
    }

    private sealed class Slot(SettlementLimiter limiter, (string, string) id) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                limiter.Leave(id);
            }
        }
    }
}
