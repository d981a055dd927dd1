namespace Vpp.Abstractions.Ingest;

/// <summary>
/// Entry point for device gateways: one call carries many assets' measurements and fans them out to the asset
/// grains in parallel. A stateless worker, so every silo runs as many as it has cores and no single activation
/// becomes the bottleneck; address it with key 0.
/// </summary>
public interface ITelemetryIngestGrain : IGrainWithIntegerKey
{
    /// <summary>Most items one batch may carry; gateways split larger sets (the SDK does so itself).</summary>
    const int MaxBatchSize = 10_000;

    /// <summary>
    /// Delivers each item to its asset. Refusals (unknown asset, invalid values) are answered per item, never
    /// thrown, so one bad measurement does not cost the others.
    /// </summary>
    /// <exception cref="Errors.InvalidInputException">The batch is empty or larger than <see cref="MaxBatchSize"/>.</exception>
    Task<TelemetryBatchResult> IngestAsync(AssetTelemetry[] batch);
}
