using System.Net;
using Vpp.Silo.Tests.Api;

namespace Vpp.Silo.Tests.Security;

/// <summary>A telemetry batch costs one permit of its key's rate limit per item, not one per request.</summary>
public sealed class TelemetryItemRateLimitTests
{
    private const string GatewayKey = "test-key-small-gateway-01";

    [Fact]
    public async Task Batches_count_their_items_in_the_keys_rate_limit()
    {
        await using var silo = await OwnSilo.StartAsync(new Dictionary<string, string>
        {
            ["Auth:ApiKeys:0:Name"] = "admin",
            ["Auth:ApiKeys:0:Key"] = TestKeys.Everything,
            ["Auth:ApiKeys:0:Roles:0"] = "admin",
            ["Auth:ApiKeys:1:Name"] = "small-gateway",
            ["Auth:ApiKeys:1:Key"] = GatewayKey,
            ["Auth:ApiKeys:1:Roles:0"] = "telemetry",
            ["Auth:ApiKeys:1:RateLimit:PermitLimit"] = "5",
            ["Auth:ApiKeys:1:RateLimit:Window"] = "01:00:00",
        });
        using var admin = silo.ClientWithKey(TestKeys.Everything);
        using var gateway = silo.ClientWithKey(GatewayKey);
        var assetId = VppApiFixture.NewId("bat");
        await admin.RegisterAsync(assetId, Specs.Battery(VppApiFixture.NewId("fleet")));
        var three = $$"""[{"assetId": "{{assetId}}", "activePowerKw": 1}, {"assetId": "{{assetId}}", "activePowerKw": 2}, {"assetId": "{{assetId}}", "activePowerKw": 3}]""";

        var first = await gateway.PostJsonAsync("/api/v1/telemetry", three);
        var second = await gateway.PostJsonAsync("/api/v1/telemetry", three);

        Assert.Equal(3, (await first.ExpectJsonAsync()).Number("acceptedCount"));
        await second.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.NotNull(second.Headers.RetryAfter);
    }
}
