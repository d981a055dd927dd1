using Vpp.Abstractions.Ingest;

namespace Vpp.Client;

public sealed partial class VppClient
{
    /// <summary>
    /// Reports many assets' measurements at once, as a device gateway does. The set is split into batches of
    /// <see cref="VppClientOptions.TelemetryBatchSize"/>, sent in parallel; on the silos each batch fans out to the
    /// assets at once. The answer has one outcome per item, in the order given: accepted, or refused with the
    /// reason (unknown asset, invalid value) — one bad item does not fail the others — and the asset's status and
    /// current setpoint, so the gateway learns its setpoints without further calls.
    /// </summary>
    /// <exception cref="Errors.VppUnavailableException">The cluster could not be reached (no outcome is returned then).</exception>
    public async Task<TelemetryBatchResult> ReportTelemetryBatchAsync(IReadOnlyList<AssetTelemetry> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return new TelemetryBatchResult([]);
        }

        var chunks = items.Chunk(_options.TelemetryBatchSize).ToArray();
        var results = new TelemetryBatchResult[chunks.Length];
        var ingest = _cluster.GetGrain<ITelemetryIngestGrain>(0);
        await Parallel.ForAsync(
            0,
            chunks.Length,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentTelemetryBatches, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await Errors.ErrorTranslation.CallAsync(() => ingest.IngestAsync(chunks[i]), ct));
        return results.Length == 1 ? results[0] : new TelemetryBatchResult([.. results.SelectMany(r => r.Outcomes)]);
    }
}
