using Vpp.Abstractions.Ingest;

namespace Vpp.Grains.Contracts;

/// <summary>The telemetry ingest as the silo sees it: <see cref="ITelemetryIngestGrain"/> and the HTTP API's fleet-scoped batch.</summary>
public interface ITelemetryIngestInternal : ITelemetryIngestGrain
{
    /// <summary>
    /// As <see cref="ITelemetryIngestGrain.IngestAsync"/> for a caller limited to <paramref name="fleetIds"/> (an API key
    /// scoped to fleets): an item for an asset of any other fleet is refused exactly like one for an asset that does not exist.
    /// </summary>
    Task<TelemetryBatchResult> IngestForFleetsAsync(AssetTelemetry[] batch, string[] fleetIds);
}
