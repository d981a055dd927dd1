using System.Collections.Concurrent;
using System.Data.Common;
using Orleans.Storage;
using Vpp.Abstractions.Errors;
using Vpp.Grains.Storage;
using Vpp.Silo.Metrics;

namespace Vpp.Silo.Storage;

/// <summary>
/// Turns a grain state that cannot be read (garbage bytes in its row, a payload from an incompatible version) into a
/// typed <see cref="StateUnavailableException"/> naming the state and the grain, logged once per grain rather than
/// on every retried call. The activation fails, so that grain answers the error on each call until its row is
/// repaired; every other grain of the silo is untouched.
/// </summary>
public sealed partial class UnreadableStateGuard(IGrainStorage inner, ILogger<UnreadableStateGuard> logger) : IGrainStorage, IInsertOnlyGrainStorage
{
    private readonly ConcurrentDictionary<(string, GrainId), bool> _reported = new();

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        try
        {
            await inner.ReadStateAsync(stateName, grainId, grainState);
            _reported.TryRemove((stateName, grainId), out _); // readable again: a new failure is news
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var reason = ex is DbException || ex.InnerException is DbException
                ? $"storage failed ({ex.GetBaseException().Message})"
                : $"the payload is corrupt or unreadable ({ex.GetBaseException().GetType().Name})";
            if (_reported.TryAdd((stateName, grainId), true))
            {
                LogUnreadable(grainId.ToString(), grainId.Type.ToString(), stateName, reason, ex);
            }

            throw new StateUnavailableException(stateName, grainId.ToString(), reason);
        }
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        StorageWriteMetrics.MeasureAsync(inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);

    public Task<bool[]> InsertNewAsync<T>(string stateName, IReadOnlyList<(GrainId GrainId, T State)> rows) =>
        InsertOnlyStorage.InsertNewAsync(inner, stateName, rows);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Stored {StateName} state of grain {GrainId} (type {GrainType}) cannot be read: {Reason}. The grain refuses calls until the row is repaired or removed; other grains are unaffected.")]
    private partial void LogUnreadable(string grainId, string grainType, string stateName, string reason, Exception exception);
}
