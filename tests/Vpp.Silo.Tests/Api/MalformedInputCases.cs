using System.Text.Json.Nodes;

namespace Vpp.Silo.Tests.Api;

/// <summary>
/// The catalogue of malformed requests for every endpoint: malformed JSON, wrong types, missing required fields,
/// huge numbers (1e308, 1e400), NaN/Infinity as literals and strings, negative capacities, unknown enum values,
/// over-long ids, ids with bad characters, all-digit ids, bad query values. Each names the field it expects blamed
/// (null: any field, for JSON that is broken before a field is reached).
/// </summary>
public static class MalformedInputCases
{
    public sealed record Case(string Name, string Method, string Path, string? Body, string? Field)
    {
        /// <summary>The endpoint's route template ("/api/v1/fleets/{fleetId}/events"), whatever the case did to the path.</summary>
        public string Template { get; init; } = Path;
    }

    private const string AssetPath = "/api/v1/assets/{assetId}";
    private const string TelemetryPath = "/api/v1/assets/{assetId}/telemetry";
    private const string StatusPath = "/api/v1/assets/{assetId}/status";
    private const string FleetPath = "/api/v1/fleets/{fleetId}";
    private const string DispatchPath = "/api/v1/fleets/{fleetId}/dispatch";
    private const string EventsPath = "/api/v1/fleets/{fleetId}/events";
    private const string EventStreamPath = "/api/v1/fleets/{fleetId}/events/stream";
    private const string TelemetryBatchPath = "/api/v1/telemetry";
    private const string MePath = "/api/v1/me";
    private const string FleetsPath = "/api/v1/fleets";
    private const string FleetAssetsPath = "/api/v1/fleets/{fleetId}/assets";
    private const string FcrPath = "/api/v1/fleets/{fleetId}/fcr";
    private const string AfrrCapacityPath = "/api/v1/fleets/{fleetId}/afrr/capacity";
    private const string AfrrPath = "/api/v1/fleets/{fleetId}/afrr";
    private const string FrequencyPath = "/api/v1/grid/frequency";
    private const string GridEventsPath = "/api/v1/grid/events";
    private const string SchedulePath = "/api/v1/fleets/{fleetId}/schedule";
    private const string OptimisePath = "/api/v1/fleets/{fleetId}/optimise";
    private const string ForecastsPath = "/api/v1/fleets/{fleetId}/forecasts";
    private const string ForecastPath = "/api/v1/fleets/{fleetId}/forecasts/{name}";
    private const string UnavailabilitiesPath = "/api/v1/assets/{assetId}/unavailabilities";
    private const string UnavailabilityPath = "/api/v1/assets/{assetId}/unavailabilities/{unavailabilityId}";

    /// <summary>Tomorrow midnight UTC: a quarter hour that is ahead whenever the cases run.</summary>
    private static readonly string Tomorrow = DateTimeOffset.UtcNow.Date.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly string TomorrowQuarterPast = DateTimeOffset.UtcNow.Date.AddDays(1).AddMinutes(15).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly string TomorrowNoon = DateTimeOffset.UtcNow.Date.AddDays(1).AddHours(12).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
    private const string OutputPath = "/api/v1/fleets/{fleetId}/output";
    private const string OutputStreamPath = "/api/v1/fleets/{fleetId}/output/stream";
    private const string FlexibilityPath = "/api/v1/fleets/{fleetId}/flexibility";
    private const string BidsPath = "/api/v1/fleets/{fleetId}/bids";
    private const string SettlementPath = "/api/v1/fleets/{fleetId}/settlement";
    private const string SettlementCsvPath = "/api/v1/fleets/{fleetId}/settlement.csv";
    private const string AuditPath = "/api/v1/audit";
    private const string VirtualBatteriesPath = "/api/v1/virtual-batteries";
    private const string VirtualBatteriesSettlementPath = "/api/v1/virtual-batteries/settlement";
    private const string VirtualBatteriesBooksPath = "/api/v1/virtual-batteries/books";
    private const string VirtualBatteryPath = "/api/v1/virtual-batteries/{vbId}";

    /// <summary>The endpoints of one virtual battery, each refusing malformed ids by the name vbId.</summary>
    private static readonly (string Method, string Path, string? Body)[] VirtualBatteryEndpoints =
    [
        ("PUT", VirtualBatteryPath, """{"traderId": "trader-a", "fleetId": "{fleetId}", "powerKw": 1, "energyKwh": 1, "initialSocPercent": 50}"""),
        ("GET", VirtualBatteryPath, null),
        ("DELETE", VirtualBatteryPath, null),
        ("POST", VirtualBatteryPath + "/dispatch", """{"targetKw": 1}"""),
        ("PUT", VirtualBatteryPath + "/schedule", """{"start": "2030-01-01T00:00:00Z", "slots": [{"targetKw": 1}]}"""),
        ("GET", VirtualBatteryPath + "/settlement", null),
        ("GET", VirtualBatteryPath + "/settlement.csv", null),
        ("GET", VirtualBatteryPath + "/events", null),
        ("GET", VirtualBatteryPath + "/events/stream", null),
    ];

    /// <summary>A valid body per endpoint; {fleetId} is the fleet of the test's asset.</summary>
    private static readonly (string Method, string Path, Func<JsonObject> Body, string[] Numbers, string[] Strings, string[] Required)[] BodyEndpoints =
    [
        ("PUT", AssetPath, () => Specs.Battery("{fleetId}"),
            ["minPowerKw", "maxPowerKw", "rampRateKwPerSecond", "marginalCostEurPerMwh", "energyCapacityKwh", "minSocPercent", "maxSocPercent", "roundTripEfficiencyPercent"],
            ["fleetId", "kind"],
            ["fleetId", "kind", "minPowerKw", "maxPowerKw", "energyCapacityKwh"]),
        ("POST", TelemetryPath, () => new JsonObject { ["activePowerKw"] = 5, ["stateOfChargePercent"] = 50 },
            ["activePowerKw", "availablePowerKw", "stateOfChargePercent"],
            ["timestamp"],
            ["activePowerKw"]),
        ("POST", StatusPath, () => new JsonObject { ["status"] = "maintenance", ["reason"] = "service" },
            [],
            ["status", "reason"],
            ["status"]),
        ("POST", DispatchPath, () => new JsonObject { ["targetKw"] = 40, ["strategy"] = "proRata" },
            ["targetKw"],
            ["strategy"],
            ["targetKw"]),
        ("PUT", FcrPath, () => new JsonObject { ["contractedKw"] = 0, ["from"] = Tomorrow, ["to"] = TomorrowNoon },
            ["contractedKw", "block"],
            ["from", "to", "date"],
            ["contractedKw"]),
        ("PUT", AfrrCapacityPath, () => new JsonObject { ["upKw"] = 0, ["downKw"] = 0 },
            ["upKw", "downKw"],
            [],
            ["upKw", "downKw"]),
        ("POST", AfrrPath, () => new JsonObject { ["setpointKw"] = 0 },
            ["setpointKw"],
            ["timestamp"],
            ["setpointKw"]),
        ("POST", FrequencyPath, () => new JsonObject { ["frequencyHz"] = 50 },
            ["frequencyHz"],
            ["timestamp"],
            ["frequencyHz"]),
        ("PUT", SchedulePath, () => new JsonObject { ["start"] = Tomorrow, ["slots"] = new JsonArray(new JsonObject { ["targetKw"] = 40 }) },
            [],
            ["start", "timeZone", "localDate"],
            ["slots"]),
        ("POST", OptimisePath, () => new JsonObject
            {
                ["from"] = Tomorrow, ["to"] = TomorrowQuarterPast, ["prices"] = new JsonArray(new JsonObject { ["from"] = Tomorrow, ["eurPerMwh"] = 50 }),
            },
            ["endSocPercent"],
            ["from", "to", "objective"],
            ["from", "to", "prices"]),
        ("POST", UnavailabilitiesPath, () => new JsonObject { ["from"] = Tomorrow, ["until"] = TomorrowNoon, ["kind"] = "planned", ["reason"] = "service" },
            [],
            ["from", "until", "kind", "reason"],
            ["from", "until", "kind"]),
    ];

    /// <summary>Schedule slots wrong inside the array: the problem names the slot (<c>slots[1].targetKw</c>).</summary>
    private static readonly (string Name, string Slots, string Field)[] BadSlots =
    [
        ("empty slots", "[]", "slots"),
        ("a null slot", "[{\"targetKw\": 1}, null]", "slots[1]"),
        ("a target beyond the fleet", "[{\"targetKw\": 1}, {\"targetKw\": 100000}]", "slots[1].targetKw"),
        ("a target below the fleet", "[{\"targetKw\": -100000}]", "slots[0].targetKw"),
        ("a slot without a target", "[{\"targetKw\": 1}, {}]", "slots[1].targetKw"),
        ("a NaN target", "[{\"targetKw\": \"NaN\"}]", "slots[0].targetKw"),
        ("a huge target", "[{\"targetKw\": 1e400}]", "slots[0].targetKw"),
        ("an unknown slot field", "[{\"targetKw\": 1, \"colour\": 1}]", "slots[0].colour"),
        ("overlapping slots", "[{\"targetKw\": 1}, {\"targetKw\": 2, \"start\": \"" + Tomorrow + "\"}]", "slots[1].start"),
        ("a misaligned slot start", "[{\"targetKw\": 1, \"start\": \"2030-01-01T00:07:00Z\"}]", "slots[0].start"),
        ("slots as an object", "{\"targetKw\": 1}", "slots"),
    ];

    private static readonly string[] NumberMutations =
    [
        "\"ten\"", "true", "{}", "[1]", "1e308", "-1e308", "1.7976931348623157e308", "1e400", "-1e400",
        "NaN", "Infinity", "-Infinity", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e400\"", "0x10", "1_000", "01",
    ];

    private static readonly string[] StringMutations = ["42", "true", "{}", "[\"a\"]", "1e400", "NaN"];

    /// <summary>Values that are numbers but below what the field allows (a capacity, a percentage, an available power).</summary>
    private static readonly (string Path, string Field, string Value)[] NegativeValues =
    [
        (AssetPath, "energyCapacityKwh", "-200"),
        (AssetPath, "rampRateKwPerSecond", "-5"),
        (AssetPath, "roundTripEfficiencyPercent", "-90"),
        (AssetPath, "minSocPercent", "-10"),
        (AssetPath, "maxSocPercent", "-90"),
        (AssetPath, "maxPowerKw", "-100"),
        (AssetPath, "energyCapacityKwh", "0"),
        (TelemetryPath, "availablePowerKw", "-1"),
        (TelemetryPath, "stateOfChargePercent", "-0.1"),
        (FcrPath, "contractedKw", "-1"),
        (FcrPath, "contractedKw", "1000000"), // beyond what the fleet can hold both ways
        (AfrrCapacityPath, "upKw", "-1"),
        (AfrrCapacityPath, "downKw", "1000000"), // beyond what the fleet can lower its output
        (FrequencyPath, "frequencyHz", "47.4"),
        (FrequencyPath, "frequencyHz", "52.6"),
        (FrequencyPath, "frequencyHz", "0"),
        (AfrrPath, "setpointKw", "1000000"), // beyond anything the fleet could move
        (OptimisePath, "endSocPercent", "-1"),
        (OptimisePath, "endSocPercent", "101"),
    ];

    private static readonly (string Path, string Field, string Value)[] BadStrings =
    [
        (AssetPath, "kind", "\"nuclear\""),
        (AssetPath, "kind", "\"BATTERY\""),
        (AssetPath, "kind", "\"\""),
        (AssetPath, "fleetId", "\"" + new string('f', 65) + "\""),
        (AssetPath, "fleetId", "\"12345\""),
        (AssetPath, "fleetId", "\"bad fleet\""),
        (AssetPath, "fleetId", "\"fleet/one\""),
        (AssetPath, "fleetId", "\"caf\u00e9\""),
        (AssetPath, "fleetId", "\"a\\u0000b\""),
        (AssetPath, "fleetId", "\"\""),
        (AssetPath, "fleetId", "\".\""),
        (AssetPath, "fleetId", "\"..\""),
        (StatusPath, "status", "\"broken\""),
        (StatusPath, "status", "\"Online\""),
        (StatusPath, "status", "\"\""),
        (StatusPath, "reason", "\"" + new string('r', 501) + "\""),
        (DispatchPath, "strategy", "\"cheapest\""),
        (DispatchPath, "strategy", "\"MERITORDER\""),
        (DispatchPath, "strategy", "\"\""),
        (TelemetryPath, "timestamp", "\"not a time\""),
        (TelemetryPath, "timestamp", "\"2026-13-45T00:00:00Z\""),
        (TelemetryPath, "timestamp", "\"2026-11-25T12:00:00\""),
        (TelemetryPath, "timestamp", "\"0001-01-01T00:00:00+14:00\""),
        (TelemetryPath, "timestamp", "\"9999-12-31T23:59:59Z\""),
        (TelemetryPath, "timestamp", "1764072000"),
        (SchedulePath, "start", "\"2030-01-01T00:07:00Z\""),
        (SchedulePath, "start", "\"2030-01-01T00:00:00\""),
        (SchedulePath, "localDate", "\"2030-13-01\""),
        (OptimisePath, "from", "\"2030-01-01T00:07:00Z\""),
        (OptimisePath, "to", "\"2030-01-01T00:00:00\""),
        (OptimisePath, "objective", "\"selfconsumption\""),
        (OptimisePath, "prices", "[]"),
        (UnavailabilitiesPath, "until", "\"2020-01-01T00:00:00Z\""),
        (UnavailabilitiesPath, "until", "\"" + Tomorrow + "\""),
        (UnavailabilitiesPath, "kind", "\"maybe\""),
        (UnavailabilitiesPath, "kind", "\"Planned\""),
        (UnavailabilitiesPath, "from", "\"tomorrow\""),
        (UnavailabilitiesPath, "reason", "\"" + new string('r', 501) + "\""),
        (FrequencyPath, "timestamp", "\"2026-11-25T12:00:00\""),
        (FrequencyPath, "timestamp", "\"9999-12-31T23:59:59Z\""),
        (AfrrPath, "timestamp", "\"2026-11-25T12:00:00\""),
        (AfrrPath, "timestamp", "\"9999-12-31T23:59:59Z\""),
    ];

    private static readonly (string Query, string Field)[] AfrrQueries =
    [
        ("from=abc", "from"),
        ("to=abc", "to"),
        ("from=2026-11-25T12:00:00", "from"),
        ("from=" + Uri.EscapeDataString("2026-11-25T12:00:00+25:00"), "from"),
        ("to=1764072000", "to"),
        ("from=2026-11-25T12:00:00Z&to=2026-11-25T11:00:00Z", "to"),
        ("from=2026-11-25T12:00:00Z&to=2026-11-25T12:00:00Z", "to"),
        ("from=2026-11-20T12:00:00Z&to=2026-11-25T12:00:00Z", "to"),
        ("from=", "from"),
        ("to=" + new string('9', 40), "to"),
    ];

    private static readonly string[] BrokenJson =
    [
        "", "{", "}", "not json", "{'targetKw': 1}", "{\"a\" 1}", "{\"a\": 1,}", "[]", "null", "42", "\"text\"",
        "{\"a\": 1} {\"b\": 2}", "{\"a\": " + new string('[', 200) + new string(']', 200) + "}", "\u00ff\u00fe",
    ];

    /// <summary>Ids as they appear in the URL (percent-encoded where needed).</summary>
    private static readonly string[] BadIds =
    [
        "12345", "0", "a" + new string('7', 64), new string('x', 200), "a%20b", "a%2Fb", "a%3Ab", "caf%C3%A9", "a~b", "a*b", "a%2Eb%2F",
    ];

    private static readonly (string Method, string Path, string? Body)[] AllEndpoints =
    [
        ("PUT", AssetPath, """{"fleetId": "{fleetId}", "kind": "solar", "minPowerKw": 0, "maxPowerKw": 10}"""),
        ("GET", AssetPath, null),
        ("POST", TelemetryPath, """{"activePowerKw": 1}"""),
        ("POST", StatusPath, """{"status": "online"}"""),
        ("GET", FleetPath, null),
        ("POST", DispatchPath, """{"targetKw": 1}"""),
        ("GET", EventsPath, null),
        ("DELETE", AssetPath, null),
        ("GET", EventStreamPath, null),
        ("PUT", FcrPath, """{"contractedKw": 0}"""),
        ("DELETE", FcrPath, null),
        ("POST", AfrrPath, """{"setpointKw": 0}"""),
        ("GET", AfrrPath, null),
        ("PUT", AfrrCapacityPath, """{"upKw": 0, "downKw": 0}"""),
        ("PUT", SchedulePath, """{"start": "2030-01-01T00:00:00Z", "slots": [{"targetKw": 1}]}"""),
        ("GET", SchedulePath, null),
        ("DELETE", SchedulePath, null),
        ("POST", UnavailabilitiesPath, """{"from": "2030-01-01T00:00:00Z", "until": "2030-01-02T00:00:00Z", "kind": "planned"}"""),
        ("GET", UnavailabilitiesPath, null),
        ("DELETE", UnavailabilityPath, null),
        ("GET", OutputPath, null),
        ("GET", OutputStreamPath, null),
        ("GET", FlexibilityPath, null),
        ("GET", BidsPath, null),
        ("GET", SettlementPath, null),
        ("GET", SettlementCsvPath, null),
        ("GET", FleetAssetsPath, null),
        ("PUT", FleetAssetsPath, """[{"assetId": "{fleetId}-imp", "kind": "solar", "minPowerKw": 0, "maxPowerKw": 10}]"""),
        ("GET", ForecastsPath, null),
        ("GET", ForecastPath, null),
        ("PUT", ForecastPath, """{"points": [{"from": "2030-01-01T00:00:00Z", "kw": 1}]}"""),
    ];

    private const string ValidRange = "?from=2026-11-25T12:00:00Z&to=2026-11-25T13:00:00Z";

    /// <summary>Bad ?from=&amp;to= ranges (shared by flexibility, bids and settlement) and the field each must blame.</summary>
    private static readonly (string Name, string Query, string Field)[] RangeCases =
    [
        ("without from", "?to=2026-11-25T13:00:00Z", "from"),
        ("without to", "?from=2026-11-25T12:00:00Z", "to"),
        ("without from and to", "", "from"),
        ("to before from", "?from=2026-11-25T13:00:00Z&to=2026-11-25T12:00:00Z", "to"),
        ("to equal to from", "?from=2026-11-25T12:00:00Z&to=2026-11-25T12:00:00Z", "to"),
        ("range too long", "?from=2026-11-25T12:00:00Z&to=2027-11-25T12:00:00Z", "to"),
        ("from without offset", "?from=2026-11-25T12:00:00&to=2026-11-25T13:00:00Z", "from"),
        ("from not a time", "?from=yesterday&to=2026-11-25T13:00:00Z", "from"),
        ("to not a time", "?from=2026-11-25T12:00:00Z&to=13", "to"),
        ("from twice", "?from=2026-11-25T12:00:00Z&from=2026-11-25T12:15:00Z&to=2026-11-25T13:00:00Z", "from"),
    ];

    /// <summary>Query values the asset table refuses, each naming its parameter.</summary>
    private static readonly (string Parameter, string Value)[] BadAssetQueries =
    [
        ("page", "0"), ("page", "-1"), ("page", "abc"), ("page", "1.5"), ("page", "99999999999999999999"), ("page", ""), ("page", "2002"),
        ("pageSize", "0"), ("pageSize", "201"), ("pageSize", "ten"), ("pageSize", "1e3"),
        ("sort", "colour"), ("sort", "AssetId"), ("sort", ""),
        ("desc", "maybe"), ("desc", "1"),
        ("kind", "nuclear"), ("kind", "Battery"), ("kind", ""),
        ("status", "broken"), ("status", "ONLINE"),
        ("q", new string('q', 65)), ("q", "a%00b"),
        ("pagesize", "10"), ("filter", "x"),
    ];

    /// <summary>Endpoints without parameters refuse any, by name (a misspelt filter must not be ignored silently).</summary>
    private static readonly string[] UnknownParameters = ["x", "limit", "page", "fleetId", "q", "kind", "status", "sort", "desc", "pageSize"];

    public static IReadOnlyDictionary<string, Case> All { get; } = Build();

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in All.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    private static Dictionary<string, Case> Build()
    {
        var cases = new List<Case>();
        foreach (var (method, path, body, numbers, strings, required) in BodyEndpoints)
        {
            var label = $"{method} {path}";
            cases.AddRange(BrokenJson.Select(json => new Case($"{label} broken JSON {Show(json)}", method, path, json, null)));
            cases.AddRange(numbers.SelectMany(f => NumberMutations.Select(v => new Case($"{label} {f}={Show(v)}", method, path, With(body(), f, v), f))));
            cases.AddRange(strings.SelectMany(f => StringMutations.Select(v => new Case($"{label} {f}={Show(v)}", method, path, With(body(), f, v), f))));
            cases.AddRange(required.Select(f => new Case($"{label} without {f}", method, path, Without(body(), f), f)));
            cases.AddRange(required.Select(f => new Case($"{label} {f}=null", method, path, With(body(), f, "null"), f)));
            cases.Add(new Case($"{label} empty object", method, path, "{}", required[0]));
            cases.Add(new Case($"{label} unknown field", method, path, With(body(), "colour", "\"red\""), "colour"));
            cases.Add(new Case($"{label} duplicate field", method, path, DuplicateFirst(body()), null));
        }

        // The batch body is an array; per-item problems are answered per item (200), so only a body that is not a
        // readable array of 1..10,000 items is refused as a whole.
        cases.AddRange(BrokenJson.Select(json => new Case($"POST {TelemetryBatchPath} broken JSON {Show(json)}", "POST", TelemetryBatchPath, json, null)));
        cases.Add(new Case($"POST {TelemetryBatchPath} an object, not an array", "POST", TelemetryBatchPath, """{"assetId": "a1", "activePowerKw": 1}""", null));

        // The asset import is an array checked whole: each malformation of its item is blamed as [0].field.
        var single = BodyEndpoints[0];
        JsonObject ImportItem()
        {
            var item = single.Body();
            item.Remove("fleetId");
            item["assetId"] = "{fleetId}-imp";
            return item;
        }

        static string AsBatch(string item) => "[" + item + "]";
        var import = $"PUT {FleetAssetsPath}";
        cases.AddRange(BrokenJson.Select(json => new Case($"{import} broken JSON {Show(json)}", "PUT", FleetAssetsPath, json, null)));
        cases.Add(new Case($"{import} an object, not an array", "PUT", FleetAssetsPath, ImportItem().ToJsonString(), null));
        cases.Add(new Case($"{import} an empty array", "PUT", FleetAssetsPath, "[]", "body"));
        cases.AddRange(single.Numbers.SelectMany(f => NumberMutations.Select(v =>
            new Case($"{import} {f}={Show(v)}", "PUT", FleetAssetsPath, AsBatch(With(ImportItem(), f, v)), "[0]." + f))));
        cases.AddRange(new[] { "assetId", "fleetId", "kind" }.SelectMany(f => StringMutations.Select(v =>
            new Case($"{import} {f}={Show(v)}", "PUT", FleetAssetsPath, AsBatch(With(ImportItem(), f, v)), "[0]." + f))));
        cases.AddRange(single.Required.Where(f => f != "fleetId").Append("assetId").Select(f =>
            new Case($"{import} without {f}", "PUT", FleetAssetsPath, AsBatch(Without(ImportItem(), f)), "[0]." + f)));
        cases.Add(new Case($"{import} unknown field", "PUT", FleetAssetsPath, AsBatch(With(ImportItem(), "colour", "\"red\"")), "[0].colour"));

        cases.AddRange(NegativeValues.Select(n => CaseFor(n.Path, n.Field, n.Value)));
        cases.AddRange(BadStrings.Select(s => CaseFor(s.Path, s.Field, s.Value)));

        foreach (var (method, path, body) in AllEndpoints)
        {
            var field = path.Contains("{assetId}", StringComparison.Ordinal) ? "assetId" : "fleetId";
            cases.AddRange(BadIds.Select(id => new Case(
                $"{method} {path} with {field} {Show(id)}",
                method,
                path.Replace("{" + field + "}", id, StringComparison.Ordinal),
                body,
                field) { Template = path }));
        }

        foreach (var limit in new[] { "abc", "0", "501", "-1", "1e308", "NaN", "1.5", "", "99999999999999999999", "1,2" })
        {
            cases.Add(new Case($"GET events limit={Show(limit)}", "GET", EventsPath + "?limit=" + Uri.EscapeDataString(limit), null, "limit") { Template = EventsPath });
        }

        foreach (var (parameter, value) in BadAssetQueries)
        {
            var encoded = value.Contains('%', StringComparison.Ordinal) ? value : Uri.EscapeDataString(value);
            cases.Add(new Case($"GET assets {parameter}={Show(value)}", "GET", $"{FleetAssetsPath}?{parameter}={encoded}", null, parameter) { Template = FleetAssetsPath });
        }

        foreach (var (method, path, body) in VirtualBatteryEndpoints)
        {
            cases.AddRange(BadIds.Select(id => new Case(
                $"{method} {path} with vbId {Show(id)}", method, path.Replace("{vbId}", id, StringComparison.Ordinal), body, "vbId") { Template = path }));
        }

        foreach (var path in new[] { VirtualBatteriesSettlementPath, VirtualBatteriesSettlementPath + ".csv" })
        {
            cases.AddRange(RangeCases.Select(r => new Case($"GET {path} {r.Name}", "GET", path + r.Query, null, r.Field) { Template = path }));
        }

        foreach (var path in new[] { MePath, FleetsPath, GridEventsPath, VirtualBatteriesPath, VirtualBatteriesBooksPath })
        {
            cases.AddRange(UnknownParameters.Select(p => new Case($"GET {path} with parameter {p}", "GET", $"{path}?{p}=1", null, p) { Template = path }));
        }

        foreach (var minutes in new[] { "abc", "0", "61", "-1", "1.5", "", "1e3", "NaN", "99999999999999999999", "+5", " 5" })
        {
            cases.Add(new Case($"GET output minutes={Show(minutes)}", "GET", OutputPath + "?minutes=" + Uri.EscapeDataString(minutes), null, "minutes") { Template = OutputPath });
        }

        foreach (var (name, query, field) in RangeCases)
        {
            cases.Add(new Case($"GET flexibility {name}", "GET", FlexibilityPath + query, null, field) { Template = FlexibilityPath });
            cases.Add(new Case($"GET bids {name}", "GET", BidsPath + "?product=fcr&" + query.TrimStart('?'), null, field) { Template = BidsPath });
            cases.Add(new Case($"GET settlement {name}", "GET", SettlementPath + query, null, field) { Template = SettlementPath });
            cases.Add(new Case($"GET settlement.csv {name}", "GET", SettlementCsvPath + query, null, field) { Template = SettlementCsvPath });
        }

        foreach (var duration in new[] { "0", "14", "1441", "abc", "1.5", "-15", "" })
        {
            cases.Add(new Case($"GET flexibility durationMinutes={Show(duration)}", "GET", FlexibilityPath + ValidRange + "&durationMinutes=" + duration, null, "durationMinutes") { Template = FlexibilityPath });
        }

        foreach (var (query, field) in new[]
                 {
                     ("from=yesterday", "from"), ("to=2026-11-25", "to"), ("from=2026-11-25T13:00:00Z&to=2026-11-25T12:00:00Z", "to"),
                     ("limit=0", "limit"), ("limit=1001", "limit"), ("limit=abc", "limit"), ("limit=1.5", "limit"),
                     ("after=-1", "after"), ("after=abc", "after"), ("entity=a~b", "entity"), ("entity=12345", "entity"),
                     ("actor=", "actor"), ("format=xml", "format"), ("limit=1&limit=2", "limit"), ("x=1", "x"),
                 })
        {
            cases.Add(new Case($"GET audit {query}", "GET", AuditPath + "?" + query, null, field) { Template = AuditPath });
        }

        foreach (var product in new[] { "mfrr", "FCR", "", "fcr%20", "dayahead" })
        {
            cases.Add(new Case($"GET bids product={Show(product)}", "GET", BidsPath + ValidRange + "&product=" + product, null, "product") { Template = BidsPath });
        }

        cases.Add(new Case("GET bids without product", "GET", BidsPath + ValidRange, null, "product") { Template = BidsPath });

        foreach (var setpoints in new[] { "maybe", "1", "", "yes" })
        {
            cases.Add(new Case($"POST dispatch setpoints={Show(setpoints)}", "POST", DispatchPath + "?setpoints=" + setpoints, """{"targetKw": 1}""", "setpoints") { Template = DispatchPath });
        }

        foreach (var (name, slots, field) in BadSlots)
        {
            cases.Add(new Case($"PUT {SchedulePath} {name}", "PUT", SchedulePath, $"{{\"start\": \"{Tomorrow}\", \"slots\": {slots}}}", field));
        }

        cases.Add(new Case($"PUT {SchedulePath} start and localDate", "PUT", SchedulePath,
            $"{{\"start\": \"{Tomorrow}\", \"localDate\": \"2030-01-01\", \"timeZone\": \"Europe/Berlin\", \"slots\": [{{\"targetKw\": 1}}]}}", "start"));
        cases.Add(new Case($"PUT {SchedulePath} a local day with too few slots", "PUT", SchedulePath,
            """{"localDate": "2030-03-31", "timeZone": "Europe/Berlin", "slots": [{"targetKw": 1}]}""", "slots"));
        cases.Add(new Case($"PUT {SchedulePath} an unknown time zone", "PUT", SchedulePath,
            """{"localDate": "2030-03-31", "timeZone": "Mars/Olympus", "slots": [{"targetKw": 1}]}""", "timeZone"));
        cases.Add(new Case($"PUT {SchedulePath} a start that has passed", "PUT", SchedulePath,
            """{"start": "2020-01-01T00:00:00Z", "slots": [{"targetKw": 1}]}""", "slots[0]"));
        cases.Add(new Case($"PUT {SchedulePath} a time zone without a date", "PUT", SchedulePath,
            $"{{\"timeZone\": \"Europe/Berlin\", \"slots\": [{{\"targetKw\": 1}}]}}", "localDate"));

        foreach (var (query, field) in new[]
        {
            ("from=yesterday&to=" + Tomorrow, "from"), ("from=" + Tomorrow + "&to=2026-11-25T12:00:00", "to"),
            ("from=" + Tomorrow + "&to=2020-01-01T00:00:00Z", "to"), ("from=" + Tomorrow + "&to=2040-01-01T00:00:00Z", "to"),
            ("from=" + Tomorrow, "to"), ("to=" + Tomorrow, "from"), ("from=1764072000&to=" + Tomorrow, "from"),
            ("from=" + Tomorrow + "&from=" + Tomorrow + "&to=" + TomorrowNoon, "from"),
        })
        {
            cases.Add(new Case($"GET schedule ?{query}", "GET", SchedulePath + "?" + query, null, field) { Template = SchedulePath });
            cases.Add(new Case($"DELETE schedule ?{query}", "DELETE", SchedulePath + "?" + query, null, field) { Template = SchedulePath });
        }

        cases.Add(new Case("DELETE schedule without a range", "DELETE", SchedulePath, null, "from") { Template = SchedulePath });
        foreach (var id in new[] { "12345", "a~b", "a%20b", new string('u', 65) })
        {
            cases.Add(new Case($"DELETE unavailability id {Show(id)}", "DELETE", UnavailabilityPath.Replace("{unavailabilityId}", id, StringComparison.Ordinal), null, "unavailabilityId") { Template = UnavailabilityPath });
        }

        foreach (var (query, field) in AfrrQueries)
        {
            cases.Add(new Case($"GET afrr {Show(query)}", "GET", AfrrPath + "?" + query, null, field) { Template = AfrrPath });
        }

        var pv = ForecastPath.Replace("{name}", "pv", StringComparison.Ordinal);
        foreach (var (name, points, field) in new[]
        {
            ("no points", "[]", "points"),
            ("a time without offset", $"[{{\"from\": \"{Tomorrow.TrimEnd('Z')}\", \"kw\": 1}}]", "points[0].from"),
            ("a gap", $"[{{\"from\": \"{Tomorrow}\", \"kw\": 1}}, {{\"from\": \"{TomorrowNoon}\", \"kw\": 1}}]", "points[1].from"),
            ("a negative power", $"[{{\"from\": \"{Tomorrow}\", \"kw\": -1}}]", "points[0].kw"),
        })
        {
            cases.Add(new Case($"PUT forecast pv {name}", "PUT", pv, $"{{\"points\": {points}}}", field) { Template = ForecastPath });
        }

        cases.Add(new Case("PUT forecast named in capitals", "PUT", ForecastPath.Replace("{name}", "PV", StringComparison.Ordinal), """{"points": [{"from": "2030-01-01T00:00:00Z", "kw": 1}]}""", "name") { Template = ForecastPath });

        return cases.GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First());
    }

    private static Case CaseFor(string path, string field, string value)
    {
        var endpoint = BodyEndpoints.Single(e => e.Path == path);
        return new Case($"{endpoint.Method} {path} {field}={Show(value)}", endpoint.Method, path, With(endpoint.Body(), field, value), field);
    }

    /// <summary>The body with one member's raw JSON replaced (or added); raw, because most mutations are not valid JSON values.</summary>
    private static string With(JsonObject body, string field, string rawJson)
    {
        body[field] = "\u0001placeholder\u0001";
        return body.ToJsonString().Replace("\"\\u0001placeholder\\u0001\"", rawJson, StringComparison.Ordinal);
    }

    private static string Without(JsonObject body, string field)
    {
        body.Remove(field);
        return body.ToJsonString();
    }

    private static string DuplicateFirst(JsonObject body)
    {
        var (name, value) = body.First();
        var json = body.ToJsonString();
        return json[..^1] + $",\"{name}\":{value!.ToJsonString()}}}";
    }

    private static string Show(string value) => value.Length > 24 ? $"{value[..12]}…({value.Length})" : value == "" ? "(empty)" : value;
}
