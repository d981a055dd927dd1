using System.Globalization;
using Vpp.Simulator.Scenarios;

namespace Vpp.Simulator.Optimisation;

/// <summary>
/// A price series as CSV (<c>from,eurPerMwh</c>, one row per consecutive quarter hour, as the shipped series under
/// tests/Vpp.Domain.Tests/Optimisation/prices). The simulator follows the prices in order from its next quarter hour:
/// the file's own dates only fix the order and the 15-minute step.
/// </summary>
public static class PriceFile
{
    /// <summary>The longest horizon the VPP's optimiser takes: two days of quarter hours.</summary>
    public const int MaxSlots = 192;

    public static async Task<IReadOnlyList<double>> LoadAsync(string path, int? slots, CancellationToken cancellationToken = default)
    {
        string[] lines;
        try
        {
            lines = await File.ReadAllLinesAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException(path, [$"cannot be read: {ex.Message}"]);
        }

        return Parse(lines, path, slots);
    }

    public static IReadOnlyList<double> Parse(IReadOnlyList<string> lines, string source, int? slots)
    {
        var problems = new List<string>();
        var prices = new List<double>();
        DateTimeOffset? previous = null;
        if (lines.Count == 0 || lines[0].Trim() != "from,eurPerMwh")
        {
            problems.Add("line 1: the header must be 'from,eurPerMwh'");
        }

        for (var i = 1; i < lines.Count && problems.Count < 10; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var cells = lines[i].Split(',');
            if (cells.Length != 2
                || !DateTimeOffset.TryParse(cells[0], CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
                || !double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var price) || !double.IsFinite(price))
            {
                problems.Add($"line {i + 1}: expected '<UTC instant>,<EUR/MWh>', not '{lines[i]}'");
                continue;
            }

            if (previous is { } before && from != before.AddMinutes(15))
            {
                problems.Add($"line {i + 1}: {from:O} does not follow {before:O} by 15 minutes");
            }

            previous = from;
            prices.Add(price);
        }

        if (problems.Count == 0 && prices.Count == 0)
        {
            problems.Add("holds no prices");
        }

        if (slots is { } n && (n < 1 || n > Math.Min(prices.Count, MaxSlots)))
        {
            problems.Add($"--optimise-slots must be between 1 and {Math.Min(prices.Count, MaxSlots)} (the file's quarter hours, at most two days), not {n}");
        }
        else if (slots is null && prices.Count > MaxSlots)
        {
            problems.Add($"holds {prices.Count} quarter hours; the optimiser takes at most {MaxSlots} (use --optimise-slots)");
        }

        if (problems.Count > 0)
        {
            throw new ScenarioException(source, problems);
        }

        return [.. prices.Take(slots ?? prices.Count)];
    }
}
