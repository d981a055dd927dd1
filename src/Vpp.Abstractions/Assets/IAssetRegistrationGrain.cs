using Vpp.Abstractions.Errors;
using Vpp.Domain.Assets;

namespace Vpp.Abstractions.Assets;

/// <summary>
/// Bulk registration for operators importing a fleet: one call carries up to <see cref="AssetBatch.MaxSize"/> assets
/// of one fleet. Assets never registered are stored and joined by their partitions, one call per partition and no
/// activation per asset; assets registered before go through their own grain. A stateless worker (every silo runs as
/// many as it has cores); address it with key 0.
/// </summary>
public interface IAssetRegistrationGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Checks the whole batch first (<see cref="AssetBatch.Validate"/>) and registers nothing when an item is invalid;
    /// then registers every asset as <see cref="IAssetGrain.ConfigureAsync"/> does. What only an asset can refuse (its
    /// kind would change) or what storage could not take is answered per item, in the order sent.
    /// </summary>
    /// <exception cref="InvalidInputException">An item is invalid (fields <c>[i].field</c>), or the batch is empty or too large.</exception>
    Task<AssetRegistrationResult> RegisterAsync(string fleetId, AssetRegistration[] batch);
}

/// <summary>One asset of a bulk registration.</summary>
[GenerateSerializer, Immutable]
public sealed record AssetRegistration(
    [property: Id(0)] string AssetId,
    [property: Id(1)] AssetSpec Spec);

/// <summary>
/// What became of one asset: registered, or refused with the fields at fault (<c>kind</c> for a kind change) —
/// <see cref="Retryable"/> when storage or the asset's silo failed and the same item may be sent again.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AssetRegistrationOutcome(
    [property: Id(0)] string AssetId,
    [property: Id(1)] bool Registered,
    [property: Id(2)] FieldProblem[] Problems,
    [property: Id(3)] bool Retryable = false);

/// <summary>The answer to a bulk registration, one outcome per item in the order sent.</summary>
[GenerateSerializer, Immutable]
public sealed record AssetRegistrationResult(
    [property: Id(0)] AssetRegistrationOutcome[] Outcomes)
{
    public int RegisteredCount => Outcomes.Count(o => o.Registered);

    public int RefusedCount => Outcomes.Length - RegisteredCount;
}
