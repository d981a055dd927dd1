using Orleans.Storage;

namespace Vpp.Silo.Storage;

/// <summary>
/// Puts writes to a single-writer database (SQLite) in an asynchronous queue, one at a time.
/// Microsoft.Data.Sqlite runs its "async" calls synchronously and SQLite admits one writer: without this gate,
/// concurrent grain writes block thread-pool threads in SQLite's busy handler and starve the silo.
/// Waiting on the gate is asynchronous, so no thread is held while a write waits its turn. Reads pass straight
/// through (WAL lets them run beside the writer).
/// </summary>
public sealed class SerializedWritesGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        SerializeAsync(() => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        SerializeAsync(() => inner.ClearStateAsync(stateName, grainId, grainState));

    private async Task SerializeAsync(Func<Task> write)
    {
        await _writeGate.WaitAsync();
        try
        {
            // Off the caller's scheduler: the synchronous SQLite work must not run on a grain's turn.
            await Task.Run(write);
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
