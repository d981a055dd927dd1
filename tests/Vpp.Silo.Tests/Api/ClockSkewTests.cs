using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Vpp.Silo.Tests.Security;

namespace Vpp.Silo.Tests.Api;

/// <summary>Telemetry ahead of the silo's clock by more than Vpp:MaxClockSkew (default 5 s) is refused, on a silo with default settings.</summary>
public sealed class ClockSkewTests
{
    private static string At(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Telemetry_more_than_five_seconds_ahead_is_refused_400_naming_timestamp_singly_and_in_a_batch()
    {
        await using var silo = await OwnSilo.StartAsync(TestKeys.Settings());
        using var client = silo.ClientWithKey(TestKeys.Everything);
        var assetId = VppApiFixture.NewId("bat");
        await client.RegisterAsync(assetId, Specs.Battery(VppApiFixture.NewId("fleet")));
        var ahead = DateTimeOffset.UtcNow.AddSeconds(60);

        var single = await client.PostJsonAsync($"/api/v1/assets/{assetId}/telemetry", $$"""{"timestamp": "{{At(ahead)}}", "activePowerKw": 7}""");
        var batch = await (await client.PostJsonAsync("/api/v1/telemetry", $$"""
            [
              {"assetId": "{{assetId}}", "timestamp": "{{At(ahead)}}", "activePowerKw": 8},
              {"assetId": "{{assetId}}", "timestamp": "{{At(DateTimeOffset.UtcNow.AddSeconds(2))}}", "activePowerKw": 9}
            ]
            """)).ExpectJsonAsync();

        await single.ExpectProblemAsync(HttpStatusCode.BadRequest, "timestamp");
        var results = Assert.IsType<JsonArray>(batch["results"]);
        Assert.Equal(["refused", "accepted"], results.Select(r => r.Text("outcome")));
        Assert.True(results[0]!["errors"]!.AsObject().ContainsKey("timestamp"));
        Assert.Equal(9, (await client.GetAssetAsync(assetId)).Number("activePowerKw"));
    }
}
