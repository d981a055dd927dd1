using System.Collections.Concurrent;
using Orleans.Storage;

namespace Vpp.Grains.Tests;

/// <summary>
/// What the grains read from and write to the cluster's grain storage, in order: the real memory storage underneath,
/// so tests can count how many states an activation reads and what one write carries.
/// </summary>
public sealed class StorageCalls
{
    public enum Kind { Read, Write, Clear }

    /// <summary>One call; <see cref="State"/> is the state read back or written (the grains replace it, never change it in place).</summary>
    public sealed record Call(Kind Kind, string StateName, GrainId GrainId, object? State);

    private readonly ConcurrentQueue<Call> _calls = new();

    public IReadOnlyList<Call> Of(GrainId grainId) => [.. _calls.Where(c => c.GrainId == grainId)];

    /// <summary>The storage the grains see: every call goes to <paramref name="inner"/> and is recorded once it succeeded.</summary>
    public IGrainStorage Recording(IGrainStorage inner) => new RecordingStorage(this, inner);

    private sealed class RecordingStorage(StorageCalls calls, IGrainStorage inner) : IGrainStorage
    {
        public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            await inner.ReadStateAsync(stateName, grainId, grainState);
            calls._calls.Enqueue(new Call(Kind.Read, stateName, grainId, grainState.State));
        }

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            await inner.WriteStateAsync(stateName, grainId, grainState);
            calls._calls.Enqueue(new Call(Kind.Write, stateName, grainId, grainState.State));
        }

        public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            await inner.ClearStateAsync(stateName, grainId, grainState);
            calls._calls.Enqueue(new Call(Kind.Clear, stateName, grainId, null));
        }
    }
}
