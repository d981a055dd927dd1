using System.Text.RegularExpressions;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Forecasts;

/// <summary>
/// A named forecast of a fleet: one power per quarter hour from <see cref="From"/> (kW; <c>pv</c> and <c>wind</c>:
/// available generation, <c>load</c>: consumption of the flexible loads, both as positive numbers), and the sentence
/// that says how it was made (<see cref="Method"/>).
/// </summary>
public sealed partial record ForecastSeries(string Name, DateTimeOffset From, IReadOnlyList<double> Kw, string Method)
{
    public const string Pv = "pv";
    public const string Wind = "wind";
    public const string Load = "load";

    /// <summary>Seven days of quarter hours: the longest series stored.</summary>
    public const int MaxSlots = 7 * 24 * 4;

    /// <summary>What a trader's own forecast says of itself.</summary>
    public const string StoredMethod = "stored: the series last put through PUT /fleets/{id}/forecasts/{name}";

    /// <summary>The forecasts the optimiser reads and the VPP makes up when none is stored.</summary>
    public static readonly IReadOnlyList<string> Known = [Pv, Wind, Load];

    public DateTimeOffset Until => From + (QuarterHour.Length * Kw.Count);

    /// <summary>The power of the quarter hour starting at <paramref name="slotStart"/>, or null outside the series.</summary>
    public double? KwAt(DateTimeOffset slotStart)
    {
        var slot = (slotStart - From).Ticks / QuarterHour.Length.Ticks;
        return slotStart >= From && slot < Kw.Count ? Kw[(int)slot] : null;
    }

    /// <summary><paramref name="slots"/> quarter hours from <paramref name="from"/>: this series where it covers a slot, <paramref name="fallback"/> elsewhere.</summary>
    public double[] Over(DateTimeOffset from, int slots, IReadOnlyList<double> fallback) =>
        [.. Enumerable.Range(0, slots).Select(t => KwAt(from + (QuarterHour.Length * t)) ?? fallback[t])];

    /// <summary>A forecast name: 1–64 lower-case letters, digits, '-', '_' or '.', starting with a letter (it is a URL segment).</summary>
    public static bool ValidName(FieldErrors errors, string? name)
    {
        if (name is null || !NamePattern().IsMatch(name))
        {
            errors.Add("name", "must be 1–64 lower-case letters, digits, '-', '_' or '.', starting with a letter (e.g. pv, wind, load, pv-trader)");
            return false;
        }

        return true;
    }

    /// <summary>
    /// A submitted series, or null with errors naming the field: at least one point and at most <see cref="MaxSlots"/>,
    /// each a UTC quarter hour 15 minutes after the one before (no gap, no other step), a finite power, not negative
    /// for <c>pv</c>, <c>wind</c> and <c>load</c>.
    /// </summary>
    public static ForecastSeries? Parse(FieldErrors errors, string? name, IReadOnlyList<(DateTimeOffset? From, double? Kw)?>? points)
    {
        var before = errors.Errors.Count;
        if (!ValidName(errors, name))
        {
            return null;
        }

        if (points is null || points.Count == 0)
        {
            errors.Add("points", "are required: one {from, kw} per quarter hour");
            return null;
        }

        if (points.Count > MaxSlots)
        {
            errors.Add("points", $"must cover at most 7 days ({MaxSlots} quarter hours), not {points.Count}");
            return null;
        }

        var kw = new double[points.Count];
        DateTimeOffset? first = null;
        for (var i = 0; i < points.Count; i++)
        {
            var field = $"points[{i}]";
            if (points[i] is not { } point)
            {
                errors.Add(field, "must be an object {from, kw}");
                continue;
            }

            if (OptimisationRequestRules.Instant(errors, field + ".from", point.From))
            {
                first ??= point.From!.Value - (QuarterHour.Length * i);
                var expected = first.Value + (QuarterHour.Length * i);
                if (point.From != expected)
                {
                    errors.Add(field + ".from", $"must be {expected:O}, 15 minutes after the point before: a series has one point per quarter hour, in order, without gaps");
                }
            }

            if (point.Kw is not { } value)
            {
                errors.Add(field + ".kw", "is required");
            }
            else if (errors.Finite(field + ".kw", value) && errors.Magnitude(field + ".kw", value, 1e9))
            {
                if (value < 0 && Known.Contains(name!))
                {
                    errors.Add(field + ".kw", $"must not be negative: a {name} forecast is a power in kW as a positive number");
                }

                kw[i] = value;
            }
        }

        return errors.Errors.Count > before ? null : new ForecastSeries(name!, first!.Value, kw, StoredMethod);
    }

    [GeneratedRegex("^[a-z][a-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}
