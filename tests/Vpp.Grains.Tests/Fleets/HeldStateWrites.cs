using System.Collections.Concurrent;
using Orleans.Runtime;
using Orleans.Storage;

namespace Vpp.Grains.Tests.Fleets;

/// <summary>
/// Grain storage of the shared test cluster that holds a chosen grain's state writes until the test releases them,
/// as a loaded silo's storage queue holds them. Every other grain writes straight through; grains are fresh per test,
/// so tests never hold each other's writes.
/// </summary>
public sealed class HeldStateWrites(IGrainStorage inner) : IGrainStorage
{
    private static readonly ConcurrentDictionary<GrainId, Hold> Holds = new();

    /// <summary>Writes of <paramref name="grainId"/> wait until the handle is disposed.</summary>
    public static Hold HoldFor(GrainId grainId) => Holds.GetOrAdd(grainId, id => new Hold(id));

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (Holds.TryGetValue(grainId, out var hold))
        {
            hold.Reached.TrySetResult();
            await hold.Released.Task;
        }

        await inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);

    public sealed class Hold(GrainId grainId) : IDisposable
    {
        /// <summary>Completes when a write of the grain is being held.</summary>
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Dispose()
        {
            Holds.TryRemove(grainId, out _);
            Released.TrySetResult();
        }
    }
}
