using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Vpp.Grains.Storage;

/// <summary>
/// Optimistic concurrency, the recovering way. The storage providers refuse a write whose version (ETag) is not the
/// stored one: someone else wrote this grain's row since we read it (a duplicate activation after a network
/// partition, an operator's repair). Overwriting would silently lose their change, and giving up would lose ours:
/// re-read what is stored, apply our change to it again, and write once more. A second refusal is not retried —
/// something keeps writing behind the grain's back, and the caller must hear about it.
/// </summary>
public static partial class RecoveringWrites
{
    /// <param name="state">The grain's persistent state, already changed in memory.</param>
    /// <param name="reapply">Applies this call's change again, to the freshly read <c>state.State</c>.</param>
    /// <param name="grainId">For the log: which grain met the conflict.</param>
    public static async Task WriteRecoveringAsync<T>(
        this IPersistentState<T> state, Action reapply, GrainId grainId, ILogger logger, CancellationToken cancellationToken = default)
    {
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch (InconsistentStateException ex)
        {
            LogStaleWrite(logger, grainId.ToString(), typeof(T).Name, ex.StoredEtag, ex.CurrentEtag);
            await state.ReadStateAsync(cancellationToken);
            reapply();
            await state.WriteStateAsync(cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Grain {GrainId}: stored {StateType} changed behind this activation (stored version {StoredEtag}, ours {CurrentEtag}); re-read it and re-applied the change")]
    private static partial void LogStaleWrite(ILogger logger, string grainId, string stateType, string? storedEtag, string? currentEtag);
}
