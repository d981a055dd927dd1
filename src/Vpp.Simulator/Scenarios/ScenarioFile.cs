using System.Text.Json;
using Vpp.Domain.Assets;

namespace Vpp.Simulator.Scenarios;

/// <summary>
/// Reads a scenario file:
/// <c>{"fleetId": "sim", "assets": [{"kind": "battery", "count": 200, "maxPowerKw": 10, "energyCapacityKwh": 20}, …]}</c>.
/// Strict on purpose: an unknown property, a wrong type, a missing field or an asset spec the VPP would refuse is an
/// error naming its JSON path (e.g. <c>assets[1].maxPowerKw</c>), all of them at once, before anything is registered.
/// Comments and trailing commas are allowed, since people edit these files by hand.
/// </summary>
public static class ScenarioFile
{
    /// <summary>More assets than this in one file is almost certainly a typo (and more than one process should run).</summary>
    public const int MaxAssets = 1_000_000;

    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static readonly string[] TopLevelFields = ["fleetId", "assets"];

    private static readonly string[] CommonFields = ["kind", "count", "rampRateKwPerSecond", "marginalCostEurPerMwh", "sizeSpreadPercent"];

    private static readonly Dictionary<AssetKind, string[]> KindFields = new()
    {
        [AssetKind.Battery] = ["maxPowerKw", "minPowerKw", "energyCapacityKwh", "minSocPercent", "maxSocPercent", "roundTripEfficiencyPercent"],
        [AssetKind.Solar] = ["maxPowerKw"],
        [AssetKind.Wind] = ["maxPowerKw"],
        [AssetKind.Chp] = ["maxPowerKw", "minStablePowerKw", "minUpTimeSeconds", "minDownTimeSeconds", "startUpCostEur"],
        [AssetKind.FlexibleLoad] = ["baselineKw", "minConsumptionKw"],
    };

    /// <exception cref="ScenarioException">The file is missing, unreadable or invalid.</exception>
    public static async Task<Scenario> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        string json;
        try
        {
            json = await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException(path, [$"cannot be read: {ex.Message}"]);
        }

        return Parse(json, path);
    }

    /// <exception cref="ScenarioException">The text is not a valid scenario.</exception>
    public static Scenario Parse(string json, string source = "(text)")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException ex)
        {
            throw new ScenarioException(source, [$"is not valid JSON at line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1}: {FirstSentence(ex.Message)}"]);
        }

        using (document)
        {
            var problems = new List<string>();
            var scenario = Read(document.RootElement, problems);
            if (problems.Count > 0 || scenario is null)
            {
                throw new ScenarioException(source, problems);
            }

            return scenario;
        }
    }

    private static Scenario? Read(JsonElement root, List<string> problems)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"$: must be an object with \"fleetId\" and \"assets\", not {Describe(root.ValueKind)}");
            return null;
        }

        var fields = new FieldReader(root, "", problems);
        fields.RefuseUnknown(TopLevelFields);
        var fleetId = fields.String("fleetId", required: true);
        if (fleetId is not null && EntityId.Problem(fleetId) is { } idProblem)
        {
            problems.Add($"fleetId: {idProblem}");
        }

        if (!root.TryGetProperty("assets", out var assets))
        {
            problems.Add("assets: is required (an array of asset groups)");
            return null;
        }

        if (assets.ValueKind != JsonValueKind.Array || assets.GetArrayLength() == 0)
        {
            problems.Add($"assets: must be a non-empty array of asset groups, not {Describe(assets.ValueKind)}");
            return null;
        }

        var groups = new List<ScenarioGroup>();
        var index = 0;
        foreach (var element in assets.EnumerateArray())
        {
            if (ReadGroup(element, $"assets[{index}]", fleetId ?? "sim", problems) is { } group)
            {
                groups.Add(group);
            }

            index++;
        }

        var total = groups.Sum(g => (long)g.Count);
        if (total > MaxAssets)
        {
            problems.Add($"assets: {total} assets in all; at most {MaxAssets} per simulator process");
        }

        return fleetId is null ? null : new Scenario(fleetId, groups);
    }

    private static ScenarioGroup? ReadGroup(JsonElement element, string path, string fleetId, List<string> problems)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{path}: must be an object, not {Describe(element.ValueKind)}");
            return null;
        }

        var fields = new FieldReader(element, path + ".", problems);
        var kindText = fields.String("kind", required: true);
        if (kindText is null)
        {
            return null;
        }

        if (WireNames.ParseKind(kindText) is not { } kind)
        {
            problems.Add($"{path}.kind: '{kindText}' is not a known kind: {WireNames.OneOf(WireNames.Kinds)}");
            return null;
        }

        var before = problems.Count;
        fields.RefuseUnknown([.. CommonFields, .. KindFields[kind]], $"for a {kindText}");
        var sizeField = kind == AssetKind.FlexibleLoad ? "baselineKw" : "maxPowerKw";
        var group = new ScenarioGroup
        {
            Kind = kind,
            Count = fields.Count("count"),
            MaxPowerKw = fields.Number("maxPowerKw", required: sizeField == "maxPowerKw"),
            MinPowerKw = fields.Number("minPowerKw"),
            RampRateKwPerSecond = fields.Number("rampRateKwPerSecond"),
            MarginalCostEurPerMwh = fields.Number("marginalCostEurPerMwh"),
            SizeSpreadPercent = fields.Number("sizeSpreadPercent") ?? 0,
            EnergyCapacityKwh = fields.Number("energyCapacityKwh"),
            MinSocPercent = fields.Number("minSocPercent"),
            MaxSocPercent = fields.Number("maxSocPercent"),
            RoundTripEfficiencyPercent = fields.Number("roundTripEfficiencyPercent"),
            MinStablePowerKw = fields.Number("minStablePowerKw"),
            MinUpTimeSeconds = fields.Number("minUpTimeSeconds"),
            MinDownTimeSeconds = fields.Number("minDownTimeSeconds"),
            StartUpCostEur = fields.Number("startUpCostEur"),
            BaselineKw = fields.Number("baselineKw", required: sizeField == "baselineKw"),
            MinConsumptionKw = fields.Number("minConsumptionKw"),
        };

        if (group.SizeSpreadPercent is < 0 or > 90)
        {
            problems.Add($"{path}.sizeSpreadPercent: must be between 0 and 90");
        }

        if (problems.Count > before)
        {
            return null;
        }

        // The asset spec rules are the VPP's own: a group the VPP would refuse is refused here, before registering anything.
        foreach (var error in group.SpecFor(fleetId, 1).Validate())
        {
            problems.Add($"{path}.{SpecFieldToScenario(kind, error.Field)}: {error.Message}");
        }

        return problems.Count > before ? null : group;
    }

    /// <summary>A flexible load is sized by baseline and minimum consumption in the file; the spec says min/max power.</summary>
    private static string SpecFieldToScenario(AssetKind kind, string field) => (kind, field) switch
    {
        (AssetKind.FlexibleLoad, "minPowerKw") => "baselineKw",
        (AssetKind.FlexibleLoad, "maxPowerKw") => "minConsumptionKw",
        _ => field,
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    /// <summary>Reads typed fields of one JSON object, adding a problem (with the field's path) for each that is wrong.</summary>
    private sealed class FieldReader(JsonElement element, string prefix, List<string> problems)
    {
        public void RefuseUnknown(IReadOnlyCollection<string> known, string? context = null)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (!known.Contains(property.Name, StringComparer.Ordinal))
                {
                    var where = context is null ? "" : $" {context}";
                    problems.Add($"{prefix}{property.Name}: unknown field{where}; known fields: {string.Join(", ", known)}");
                }
            }
        }

        public string? String(string name, bool required = false)
        {
            if (!Present(name, required, out var value))
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                return value.GetString();
            }

            problems.Add($"{prefix}{name}: must be a string, not {Describe(value.ValueKind)}");
            return null;
        }

        public double? Number(string name, bool required = false)
        {
            if (!Present(name, required, out var value))
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
            {
                return number;
            }

            problems.Add($"{prefix}{name}: must be a finite number, not {Describe(value.ValueKind)}");
            return null;
        }

        public int Count(string name)
        {
            if (!Present(name, true, out var value))
            {
                return 0;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count is >= 1 and <= MaxAssets)
            {
                return count;
            }

            problems.Add($"{prefix}{name}: must be a whole number from 1 to {MaxAssets}");
            return 0;
        }

        private bool Present(string name, bool required, out JsonElement value)
        {
            if (element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
            {
                return true;
            }

            if (required)
            {
                problems.Add($"{prefix}{name}: is required");
            }

            return false;
        }
    }
}
