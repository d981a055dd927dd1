namespace Vpp.Silo.Tests.Security;

/// <summary>Every HTTP API endpoint with the role it needs and a request it accepts — the role table of docs/security.md.</summary>
public static class ApiEndpointTable
{
    public sealed record Endpoint(string Method, string Template, string Role, string? Body)
    {
        /// <summary>The URL with fresh ids, and the body with a fresh fleet id where it names one.</summary>
        public (string Url, string? Body) Fresh()
        {
            var assetId = VppApiFixture.NewId("auth");
            var fleetId = VppApiFixture.NewId("fleet");
            return (
                Template.Replace("{assetId}", assetId, StringComparison.Ordinal).Replace("{fleetId}", fleetId, StringComparison.Ordinal)
                    .Replace("{unavailabilityId}", "u1", StringComparison.Ordinal).Replace("{vbId}", VppApiFixture.NewId("vb"), StringComparison.Ordinal)
                    .Replace("{name}", "pv", StringComparison.Ordinal),
                Body?.Replace("{fleetId}", fleetId, StringComparison.Ordinal));
        }

        /// <summary>The roles any one of which lets a key through ("telemetry|admin": either).</summary>
        public string[] Roles => Role.Split('|');

        public override string ToString() => $"{Method} {Template}";
    }

    public static IReadOnlyList<Endpoint> All { get; } =
    [
        new("PUT", "/api/v1/assets/{assetId}", "admin", """{"fleetId": "{fleetId}", "kind": "solar", "minPowerKw": 0, "maxPowerKw": 10}"""),
        new("GET", "/api/v1/assets/{assetId}", "read", null),
        new("POST", "/api/v1/assets/{assetId}/telemetry", "telemetry", """{"activePowerKw": 1}"""),
        new("POST", "/api/v1/assets/{assetId}/status", "telemetry|admin", """{"status": "online"}"""),
        new("GET", "/api/v1/fleets/{fleetId}", "read", null),
        new("POST", "/api/v1/fleets/{fleetId}/dispatch", "dispatch", """{"targetKw": 1}"""),
        new("POST", "/api/v1/fleets/{fleetId}/optimise", "read",
            """{"from": "2030-01-01T00:00:00Z", "to": "2030-01-01T00:15:00Z", "prices": [{"from": "2030-01-01T00:00:00Z", "eurPerMwh": 50}]}"""),
        new("GET", "/api/v1/fleets/{fleetId}/forecasts", "read", null),
        new("GET", "/api/v1/fleets/{fleetId}/forecasts/{name}", "read", null),
        new("PUT", "/api/v1/fleets/{fleetId}/forecasts/{name}", "dispatch", """{"points": [{"from": "2030-01-01T00:00:00Z", "kw": 1}]}"""),
        new("GET", "/api/v1/fleets/{fleetId}/events", "read", null),
        new("DELETE", "/api/v1/assets/{assetId}", "admin", null),
        new("GET", "/api/v1/fleets/{fleetId}/events/stream", "read", null),
        new("POST", "/api/v1/telemetry", "telemetry", """[{"assetId": "{fleetId}-a1", "activePowerKw": 1}]"""),
        new("PUT", "/api/v1/fleets/{fleetId}/assets", "admin", """[{"assetId": "{fleetId}-a2", "kind": "solar", "minPowerKw": 0, "maxPowerKw": 10}]"""),
        new("PUT", "/api/v1/fleets/{fleetId}/fcr", "dispatch", """{"contractedKw": 0, "from": "2030-01-01T00:00:00Z", "to": "2030-01-01T04:00:00Z"}"""),
        new("DELETE", "/api/v1/fleets/{fleetId}/fcr", "dispatch", null),
        new("POST", "/api/v1/fleets/{fleetId}/afrr", "dispatch", """{"setpointKw": 0}"""),
        new("GET", "/api/v1/fleets/{fleetId}/afrr", "read", null),
        new("PUT", "/api/v1/fleets/{fleetId}/afrr/capacity", "dispatch", """{"upKw": 0, "downKw": 0}"""),
        new("POST", "/api/v1/grid/frequency", "dispatch", """{"frequencyHz": 50}"""),
        new("GET", "/api/v1/grid/events", "read", null),
        new("PUT", "/api/v1/fleets/{fleetId}/schedule", "dispatch", """{"start": "2030-01-01T00:00:00Z", "slots": [{"targetKw": 1}]}"""),
        new("GET", "/api/v1/fleets/{fleetId}/schedule", "read", null),
        new("DELETE", "/api/v1/fleets/{fleetId}/schedule", "dispatch", null),
        new("POST", "/api/v1/assets/{assetId}/unavailabilities", "admin", """{"from": "2030-01-01T00:00:00Z", "until": "2030-01-02T00:00:00Z", "kind": "planned"}"""),
        new("GET", "/api/v1/assets/{assetId}/unavailabilities", "read", null),
        new("DELETE", "/api/v1/assets/{assetId}/unavailabilities/{unavailabilityId}", "admin", null),
        new("GET", "/api/v1/fleets/{fleetId}/output", "read", null),
        new("GET", "/api/v1/fleets/{fleetId}/output/stream", "read", null),
        new("GET", "/api/v1/fleets/{fleetId}/flexibility", "read", null),
        new("GET", "/api/v1/fleets/{fleetId}/bids", "read", null),
        new("GET", "/api/v1/fleets/{fleetId}/settlement", "read", null),
        new("GET", "/api/v1/fleets/{fleetId}/settlement.csv", "read", null),
        new("GET", "/api/v1/me", "read", null),
        new("GET", "/api/v1/fleets", "read", null),
        new("GET", "/api/v1/fleets/{fleetId}/assets", "read", null),
        new("GET", "/api/v1/audit", "admin", null),
        new("GET", "/api/v1/virtual-batteries", "read", null),
        new("GET", "/api/v1/virtual-batteries/settlement", "read", null),
        new("GET", "/api/v1/virtual-batteries/settlement.csv", "read", null),
        new("GET", "/api/v1/virtual-batteries/books", "read", null),
        new("PUT", "/api/v1/virtual-batteries/{vbId}", "admin", """{"traderId": "trader-a", "fleetId": "{fleetId}", "powerKw": 1, "energyKwh": 1, "initialSocPercent": 50}"""),
        new("GET", "/api/v1/virtual-batteries/{vbId}", "read", null),
        new("DELETE", "/api/v1/virtual-batteries/{vbId}", "admin", null),
        new("POST", "/api/v1/virtual-batteries/{vbId}/dispatch", "dispatch", """{"targetKw": 1}"""),
        new("PUT", "/api/v1/virtual-batteries/{vbId}/schedule", "dispatch", """{"start": "2030-01-01T00:00:00Z", "slots": [{"targetKw": 1}]}"""),
        new("GET", "/api/v1/virtual-batteries/{vbId}/settlement", "read", null),
        new("GET", "/api/v1/virtual-batteries/{vbId}/settlement.csv", "read", null),
        new("GET", "/api/v1/virtual-batteries/{vbId}/events", "read", null),
        new("GET", "/api/v1/virtual-batteries/{vbId}/events/stream", "read", null),
    ];

    public static TheoryData<string, string> Rows()
    {
        var data = new TheoryData<string, string>();
        foreach (var e in All)
        {
            data.Add(e.Method, e.Template);
        }

        return data;
    }

    public static Endpoint Find(string method, string template) => All.Single(e => e.Method == method && e.Template == template);
}
