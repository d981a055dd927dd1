using Orleans.Concurrency;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Ingest;
using Vpp.Domain.Assets;
using Vpp.Grains.Assets;

namespace Vpp.Grains.Ingest;

/// <summary>
/// Fans a gateway's batch out to the asset grains, all calls in flight at once, and collects one outcome per item.
/// Stateless and reentrant: it only forwards, so any number of batches may be in flight through each activation.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class TelemetryIngestGrain : Grain, ITelemetryIngestInternal
{
    public Task<TelemetryBatchResult> IngestAsync(AssetTelemetry[] batch) => IngestAsync(batch, null);

    public Task<TelemetryBatchResult> IngestForFleetsAsync(AssetTelemetry[] batch, string[] fleetIds)
    {
        ArgumentNullException.ThrowIfNull(fleetIds);
        return IngestAsync(batch, fleetIds);
    }

    private async Task<TelemetryBatchResult> IngestAsync(AssetTelemetry[] batch, string[]? fleetScope)
    {
        if (batch is not { Length: > 0 and <= ITelemetryIngestGrain.MaxBatchSize })
        {
            throw new InvalidInputException("batch", $"must hold 1 to {ITelemetryIngestGrain.MaxBatchSize} items");
        }

        var outcomes = new TelemetryOutcome[batch.Length];
        var pending = new ValueTask<TelemetryOutcome>[batch.Length];
        for (var i = 0; i < batch.Length; i++)
        {
            var item = batch[i];
            if (item?.Telemetry is null)
            {
                outcomes[i] = TelemetryOutcome.Refused(item?.AssetId ?? "", new FieldProblem($"batch[{i}]", "is missing its telemetry"));
            }
            else if (EntityId.Problem(item.AssetId) is { } problem)
            {
                outcomes[i] = TelemetryOutcome.Refused(item.AssetId ?? "", new FieldProblem("assetId", problem));
            }
            else
            {
                pending[i] = GrainFactory.AssetMember(item.AssetId).IngestTelemetryAsync(item.Telemetry, fleetScope);
            }
        }

        // Every call is issued before the first is awaited, so the whole batch is in flight at once.
        for (var i = 0; i < batch.Length; i++)
        {
            if (outcomes[i] is not null)
            {
                continue;
            }

            try
            {
                outcomes[i] = await pending[i];
            }
            catch (Exception ex)
            {
                // The asset's silo failed or timed out: this item is not delivered, the rest of the batch is.
                outcomes[i] = TelemetryOutcome.Refused(batch[i].AssetId, new FieldProblem("delivery", ex.GetBaseException().Message));
            }
        }

        return new TelemetryBatchResult(outcomes);
    }
}
