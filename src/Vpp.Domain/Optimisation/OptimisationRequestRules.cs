using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Optimisation;

/// <summary>The rules for an optimisation request's horizon, prices and objective; errors name the wire fields.</summary>
public static class OptimisationRequestRules
{
    /// <summary>Maximise revenue less operating cost at the prices.</summary>
    public const string Arbitrage = "arbitrage";

    /// <summary>Import the least energy from the grid; among schedules that do, the most profitable at the prices.</summary>
    public const string SelfConsumption = "selfConsumption";

    public static readonly IReadOnlyList<string> Objectives = [Arbitrage, SelfConsumption];

    /// <summary>
    /// The price of every quarter hour of [from, to) in order, or null with errors: from and to UTC quarter hours at
    /// most two days apart, and exactly one price per slot, each starting on a slot of the horizon.
    /// </summary>
    public static double[]? Prices(FieldErrors errors, DateTimeOffset? from, DateTimeOffset? to, IReadOnlyList<(DateTimeOffset? From, double? EurPerMwh)?>? prices)
    {
        var before = errors.Errors.Count;
        Instant(errors, "from", from);
        Instant(errors, "to", to);
        if (errors.Errors.Count > before)
        {
            return null;
        }

        var slots = (int)Math.Min(int.MaxValue, (to!.Value - from!.Value).Ticks / QuarterHour.Length.Ticks);
        if (to <= from)
        {
            errors.Add("to", "must be after from");
            return null;
        }

        if (slots > OptimisationProblem.MaxSlots)
        {
            errors.Add("to", $"must be at most 2 days ({OptimisationProblem.MaxSlots} quarter hours) after from");
            return null;
        }

        if (prices is null || prices.Count == 0)
        {
            errors.Add("prices", $"are required: one price per quarter hour from {from:O} to {to:O} ({slots})");
            return null;
        }

        var result = new double?[slots];
        for (var i = 0; i < prices.Count; i++)
        {
            var field = $"prices[{i}]";
            if (prices[i] is not { } price)
            {
                errors.Add(field, "must be an object {from, eurPerMwh}");
                continue;
            }

            if (!Instant(errors, field + ".from", price.From))
            {
                continue;
            }

            var slot = (int)((price.From!.Value - from.Value).Ticks / QuarterHour.Length.Ticks);
            if (price.From < from || slot >= slots)
            {
                errors.Add(field + ".from", $"{price.From:O} is outside [from, to)");
            }
            else if (result[slot] is not null)
            {
                errors.Add(field + ".from", $"{price.From:O} has a price already");
            }
            else if (price.EurPerMwh is not { } eur)
            {
                errors.Add(field + ".eurPerMwh", "is required");
            }
            else if (errors.Finite(field + ".eurPerMwh", eur) && errors.Magnitude(field + ".eurPerMwh", eur, 1e5))
            {
                result[slot] = eur;
            }
        }

        var missing = Enumerable.Range(0, slots).Where(t => result[t] is null).ToList();
        if (missing.Count > 0 && errors.Errors.Count == before)
        {
            errors.Add("prices", $"must cover every quarter hour of [from, to): {missing.Count} missing, the first at {from.Value + (QuarterHour.Length * missing[0]):O}");
        }

        return errors.Errors.Count > before ? null : [.. result.Select(p => p!.Value)];
    }

    public static void Objective(FieldErrors errors, string? objective)
    {
        if (objective is not null && !Objectives.Contains(objective))
        {
            errors.Add("objective", Assets.WireNames.OneOf(Objectives));
        }
    }

    /// <summary>A required UTC instant on a quarter hour; false (with an error naming <paramref name="field"/>) otherwise.</summary>
    public static bool Instant(FieldErrors errors, string field, DateTimeOffset? instant)
    {
        if (instant is not { } value)
        {
            errors.Add(field, "is required (a UTC instant on a quarter hour, e.g. 2026-11-25T12:00:00Z)");
            return false;
        }

        if (value.Offset != TimeSpan.Zero || !QuarterHour.IsAligned(value))
        {
            errors.Add(field, $"must be a UTC instant on a quarter hour (:00, :15, :30, :45), not {value:O}");
            return false;
        }

        return true;
    }
}
