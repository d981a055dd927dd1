using Orleans.Storage;

namespace Vpp.Grains.Storage;

/// <summary>
/// One stored state of a grain whose name is chosen at run time: <c>[PersistentState]</c> states are fixed per grain
/// class, and a state written whole on every write must stay small. Behaves like an injected persistent state (so
/// <see cref="RecoveringWrites"/> applies), over the same named grain storage.
/// </summary>
public sealed class StoredCell<T>(IGrainStorage storage, string stateName, GrainId grainId) : IPersistentState<T>
    where T : new()
{
    private readonly GrainState<T> _state = new(new T());

    public string StateName => stateName;

    public T State
    {
        get => _state.State ??= new T(); // a read of a missing row may leave it unset
        set => _state.State = value;
    }

    public string? Etag => _state.ETag;

    public bool RecordExists => _state.RecordExists;

    public Task ReadStateAsync() => storage.ReadStateAsync(stateName, grainId, _state);

    public Task WriteStateAsync() => storage.WriteStateAsync(stateName, grainId, _state);

    public Task ClearStateAsync() => storage.ClearStateAsync(stateName, grainId, _state);

    public Task ReadStateAsync(CancellationToken cancellationToken) => ReadStateAsync();

    public Task WriteStateAsync(CancellationToken cancellationToken) => WriteStateAsync();

    public Task ClearStateAsync(CancellationToken cancellationToken) => ClearStateAsync();
}
