using System.Collections.Concurrent;
using Orleans;
using Orleans.Runtime;

namespace Vpp.Grains.Tests.Fleets;

/// <summary>
/// Makes chosen grain calls fail the way a silo handing its grains over fails them ("silo unavailable"), for as
/// long as a test holds the returned handle. Installed on every silo of the shared test cluster; a test names
/// the grain by its string key (fresh per test), so tests never see each other's faults.
/// </summary>
public sealed class CallFaults : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<(string GrainKey, string Method), int> Failing = new();
    private static readonly ConcurrentDictionary<string, CallCounter> Watched = new();

    /// <summary>Records the calls the grains keyed <paramref name="grainKey"/> receive until disposed.</summary>
    public static CallCounter Watch(string grainKey) => Watched.GetOrAdd(grainKey, key => new CallCounter(key));

    /// <summary>Calls to <paramref name="method"/> on the grain keyed <paramref name="grainKey"/> fail until disposed.</summary>
    public static IDisposable Fail(string grainKey, string method)
    {
        Failing.AddOrUpdate((grainKey, method), 1, (_, n) => n + 1);
        return new Release(grainKey, method);
    }

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (!Watched.IsEmpty && Watched.TryGetValue(context.TargetId.Key.ToString()!, out var counter))
        {
            counter.Add($"{context.TargetId.Type}.{context.MethodName} from {context.SourceId?.Type.ToString() ?? "a client"}");
        }

        if (!Failing.IsEmpty && Failing.ContainsKey((context.TargetId.Key.ToString()!, context.MethodName)))
        {
            throw new SiloUnavailableException($"test fault: {context.MethodName} on {context.TargetId} refused");
        }

        return context.Invoke();
    }

    private sealed class Release(string grainKey, string method) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Failing.AddOrUpdate((grainKey, method), 0, (_, n) => n - 1);
                Failing.TryRemove(new KeyValuePair<(string, string), int>((grainKey, method), 0));
            }
        }
    }

    public sealed class CallCounter(string grainKey) : IDisposable
    {
        private readonly ConcurrentQueue<string> _methods = new();

        /// <summary>The calls so far (to any grain type with that key), in arrival order: "type.method from caller's grain type".</summary>
        public IReadOnlyCollection<string> Methods => _methods;

        internal void Add(string method) => _methods.Enqueue(method);

        public void Dispose() => Watched.TryRemove(grainKey, out _);
    }
}
