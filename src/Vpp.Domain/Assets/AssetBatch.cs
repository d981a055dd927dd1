using Vpp.Domain.Validation;

namespace Vpp.Domain.Assets;

/// <summary>
/// A batch of asset registrations for one fleet, checked whole before any asset is touched: a typo in one item of an
/// operator's import must not leave the fleet half registered. Fields are named <c>[i].field</c> after the item's
/// position in the batch.
/// </summary>
public static class AssetBatch
{
    /// <summary>Most registrations one batch may carry; larger imports are split (the SDK does so itself).</summary>
    public const int MaxSize = 10_000;

    /// <summary>One batch as the silo takes it: 1 to <see cref="MaxSize"/> items, each valid.</summary>
    public static IReadOnlyList<FieldError> Validate(string fleetId, IReadOnlyList<(string AssetId, AssetSpec Spec)> items)
    {
        if (items.Count is 0 or > MaxSize)
        {
            return [new FieldError("body", $"must hold 1 to {MaxSize} assets")];
        }

        return ValidateItems(fleetId, items);
    }

    /// <summary>Every item of a set of any size (the SDK checks a whole import before it sends the first batch).</summary>
    public static IReadOnlyList<FieldError> ValidateItems(string fleetId, IReadOnlyList<(string AssetId, AssetSpec Spec)> items)
    {
        var errors = new FieldErrors();
        EntityId.Check(errors, "fleetId", fleetId);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var (assetId, spec) = items[i];
            EntityId.Check(errors, $"[{i}].assetId", assetId);
            if (assetId is not null && !seen.TryAdd(assetId, i))
            {
                errors.Add($"[{i}].assetId", $"'{assetId}' is already item {seen[assetId]} of this batch");
            }

            if (spec.FleetId != fleetId)
            {
                errors.Add($"[{i}].fleetId", $"must be the batch's fleet '{fleetId}' (or left out), not '{spec.FleetId}'");
                continue;
            }

            foreach (var error in spec.Validate())
            {
                errors.Add($"[{i}].{error.Field}", error.Message);
            }
        }

        return errors.Errors;
    }
}
