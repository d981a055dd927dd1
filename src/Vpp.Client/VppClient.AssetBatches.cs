using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Client.Errors;
using Vpp.Domain.Assets;

namespace Vpp.Client;

public sealed partial class VppClient
{
    /// <summary>
    /// Registers (or updates) many assets of one fleet, as an operator importing a fleet does: the whole set is checked
    /// first and nothing is sent when an item is invalid; then it goes in batches of up to
    /// <see cref="AssetBatch.MaxSize"/>, one after the other, each fanned out to its assets on the silos at once. The
    /// answer has one outcome per item in the order given: registered, or refused with the fields at fault (an asset
    /// whose kind would change), <see cref="AssetRegistrationOutcome.Retryable"/> when sending it again may work.
    /// </summary>
    /// <exception cref="VppValidationException">An item is invalid (fields <c>[i].field</c>, i the index in <paramref name="assets"/>).</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached (batches already sent stay registered).</exception>
    public async Task<AssetRegistrationResult> RegisterAssetsAsync(
        string fleetId, IReadOnlyList<AssetRegistration> assets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assets);
        if (assets.Any(a => a?.Spec is null))
        {
            throw new VppValidationException([new FieldProblem("assets", "every item needs an asset id and a spec")]);
        }

        if (AssetBatch.ValidateItems(fleetId, [.. assets.Select(a => (a.AssetId, a.Spec))]) is { Count: > 0 } errors)
        {
            throw new VppValidationException([.. errors.Select(e => new FieldProblem(e.Field, e.Message))]);
        }

        CheckOperatorId("fleetId", fleetId);

        var registration = _cluster.GetGrain<IAssetRegistrationGrain>(0);
        var outcomes = new List<AssetRegistrationOutcome>(assets.Count);
        foreach (var batch in assets.Chunk(AssetBatch.MaxSize))
        {
            var result = await ErrorTranslation.CallAsync(() => registration.RegisterAsync(fleetId, batch), cancellationToken);
            outcomes.AddRange(result.Outcomes);
        }

        return new AssetRegistrationResult([.. outcomes]);
    }
}
