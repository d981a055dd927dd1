using Orleans.Concurrency;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Domain.Assets;

namespace Vpp.Grains.Assets;

/// <summary>
/// Fans an operator's bulk registration out to the asset grains, all calls in flight at once, after the whole batch
/// passed <see cref="AssetBatch.Validate"/>. Stateless and reentrant: it only forwards.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class AssetRegistrationGrain : Grain, IAssetRegistrationGrain
{
    public async Task<AssetRegistrationResult> RegisterAsync(string fleetId, AssetRegistration[] batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Any(item => item?.Spec is null))
        {
            throw new InvalidInputException("body", "every item needs an asset id and a spec");
        }

        InvalidInputException.ThrowIfAny(AssetBatch.Validate(fleetId, [.. batch.Select(item => (item.AssetId, item.Spec))]));

        // Every call is issued before the first is awaited, so the whole batch is in flight at once.
        var pending = batch.Select(item => GrainFactory.GetGrain<IAssetGrain>(item.AssetId).ConfigureAsync(item.Spec)).ToArray();
        var outcomes = new AssetRegistrationOutcome[batch.Length];
        for (var i = 0; i < batch.Length; i++)
        {
            outcomes[i] = await OutcomeAsync(batch[i].AssetId, pending[i]);
        }

        return new AssetRegistrationResult(outcomes);
    }

    private static async Task<AssetRegistrationOutcome> OutcomeAsync(string assetId, Task<AssetView> registration)
    {
        try
        {
            await registration;
            return new AssetRegistrationOutcome(assetId, true, []);
        }
        catch (ConflictException conflict)
        {
            return new AssetRegistrationOutcome(assetId, false, [new FieldProblem(conflict.Field, conflict.Message)]);
        }
        catch (InvalidInputException invalid)
        {
            return new AssetRegistrationOutcome(assetId, false, invalid.Problems);
        }
        catch (Exception ex)
        {
            // Storage or the asset's silo failed: this item was not registered, the rest of the batch may have been.
            var message = ex is StorageUnavailableException ? ex.Message : "the asset could not be reached; send it again";
            return new AssetRegistrationOutcome(assetId, false, [new FieldProblem("delivery", message)], Retryable: true);
        }
    }
}
