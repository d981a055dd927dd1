using System.Diagnostics;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Domain.Assets;
using Vpp.Domain.Fleets;
using Vpp.Grains.Diagnostics;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Assets;

/// <summary>
/// An operator's bulk registration, after the whole batch passed <see cref="AssetBatch.Validate"/>: one call per
/// partition the batch touches (after the fleet stored the list of those partitions in one write,
/// <see cref="IFleetInternal.AddPartitionsAsync"/>), each storing its new assets' rows and joining them without activating them
/// (<see cref="Fleets.FleetPartitionGrain.RegisterNewAsync"/>); the assets that have a row already (registered before,
/// perhaps in another fleet) go through their own grain's <see cref="IAssetGrain.ConfigureAsync"/>, which decides
/// kind changes and fleet moves (and, for a fleet-scoped caller, whether the asset's fleet is one it may use).
/// Stateless and reentrant: it only forwards.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class AssetRegistrationGrain(IOptions<VppOptions> options) : Grain, IAssetRegistrationInternal
{
    public Task<AssetRegistrationResult> RegisterAsync(string fleetId, AssetRegistration[] batch) =>
        RegisterAsync(fleetId, batch, fleetScope: null);

    public Task<AssetRegistrationResult> RegisterInScopeAsync(string fleetId, AssetRegistration[] batch, string[] fleetScope) =>
        RegisterAsync(fleetId, batch, fleetScope ?? throw new ArgumentNullException(nameof(fleetScope)));

    private async Task<AssetRegistrationResult> RegisterAsync(string fleetId, AssetRegistration[] batch, string[]? fleetScope)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var started = Stopwatch.GetTimestamp();
        if (batch.Any(item => item?.Spec is null))
        {
            throw new InvalidInputException("body", "every item needs an asset id and a spec");
        }

        InvalidInputException.ThrowIfAny(AssetBatch.Validate(fleetId, [.. batch.Select(item => (item.AssetId, item.Spec))]));
        VppMetrics.BulkStep("validation", started);

        // Every partition's call is issued before the first is awaited, so the whole batch is in flight at once.
        var partitionsPerFleet = options.Value.PartitionsPerFleet;
        started = Stopwatch.GetTimestamp();
        var groups = batch
            .GroupBy(item => FleetPartitioning.PartitionKeyFor(fleetId, item.AssetId, partitionsPerFleet), StringComparer.Ordinal)
            .ToList();
        try
        {
            await GrainFactory.GetGrain<IFleetInternal>(fleetId).AddPartitionsAsync([.. groups.Select(group => group.Key)]);
            VppMetrics.BulkStep("fleet", started);
        }
        catch (Exception ex)
        {
            var retry = Retryable(ex);
            return new AssetRegistrationResult([.. batch.Select(item => retry with { AssetId = item.AssetId })]);
        }

        started = Stopwatch.GetTimestamp();
        var byPartition = groups
            .Select(group => (Items: group.ToArray(), Joined: GrainFactory.GetGrain<IFleetPartitionGrain>(group.Key).RegisterNewAsync([.. group])))
            .ToList();

        var outcomes = new Dictionary<string, Task<AssetRegistrationOutcome>>(batch.Length, StringComparer.Ordinal);
        foreach (var (items, joined) in byPartition)
        {
            BulkJoinResult result;
            try
            {
                result = await joined;
            }
            catch (Exception ex)
            {
                var retry = Retryable(ex);
                foreach (var item in items)
                {
                    outcomes[item.AssetId] = Task.FromResult(retry with { AssetId = item.AssetId });
                }

                continue;
            }

            var existing = result.Existing.ToHashSet(StringComparer.Ordinal);
            var failed = result.Failed.ToHashSet(StringComparer.Ordinal);
            foreach (var item in items)
            {
                outcomes[item.AssetId] =
                    existing.Contains(item.AssetId) ? OutcomeAsync(item.AssetId, Reconfigure(item, fleetScope))
                    : failed.Contains(item.AssetId) ? Task.FromResult(Retryable(item.AssetId, result.FailureMessage))
                    : Task.FromResult(new AssetRegistrationOutcome(item.AssetId, true, []));
            }
        }

        VppMetrics.BulkStep("partitions", started);
        var answered = new AssetRegistrationOutcome[batch.Length];
        for (var i = 0; i < batch.Length; i++)
        {
            answered[i] = await outcomes[batch[i].AssetId];
        }

        return new AssetRegistrationResult(answered);
    }

    /// <summary>An asset that has a row already decides for itself, in one turn, whether the caller may change it.</summary>
    private Task<AssetView> Reconfigure(AssetRegistration item, string[]? fleetScope) => fleetScope is null
        ? GrainFactory.GetGrain<IAssetGrain>(item.AssetId).ConfigureAsync(item.Spec)
        : GrainFactory.AssetMember(item.AssetId).ConfigureInScopeAsync(item.Spec, fleetScope);

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
        catch (NotFoundException)
        {
            // Registered in a fleet the caller may not use: the same words an asset that does not exist would get.
            return new AssetRegistrationOutcome(assetId, false, [new FieldProblem("assetId", $"asset '{assetId}' does not exist")]);
        }
        catch (Exception ex)
        {
            return Retryable(ex) with { AssetId = assetId };
        }
    }

    /// <summary>Storage or a silo failed: this item was not registered, the rest of the batch may have been.</summary>
    private static AssetRegistrationOutcome Retryable(Exception ex) =>
        Retryable(string.Empty, ex is StorageUnavailableException ? ex.Message : null);

    private static AssetRegistrationOutcome Retryable(string assetId, string? message) =>
        new(assetId, false, [new FieldProblem("delivery", message ?? "the asset could not be reached; send it again")], Retryable: true);
}
