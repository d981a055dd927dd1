using System.Globalization;
using System.Net;
using System.Text;
using Vpp.Abstractions.Ingest;

namespace Vpp.Silo.Tests.Api;

/// <summary>POST /api/v1/telemetry takes the documented maximum batch under its own body limit (Api:MaxTelemetryBatchBodyBytes).</summary>
[Collection(VppApiCollection.Name)]
public sealed class TelemetryBatchLimitTests(VppApiFixture fixture)
{
    private const int DefaultBatchLimitBytes = 4 * 1024 * 1024;

    /// <summary>
    /// A gateway's batch with long (64-character) asset ids and every field set: the realistic worst case the limit
    /// must hold. 10,000 such items measure about 2.0 MB.
    /// </summary>
    private static string Batch(IReadOnlyList<string> assetIds, int items)
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var body = new StringBuilder("[");
        for (var i = 0; i < items; i++)
        {
            body.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $$"""{"assetId":"{{assetIds[i % assetIds.Count]}}","timestamp":"{{at}}","activePowerKw":-12345.678,"availablePowerKw":23456.789,"stateOfChargePercent":55.55}""");
        }

        return body.Append(']').ToString();
    }

    private static string LongId(string prefix) => (prefix + "-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"))[..64];

    [Fact]
    public async Task The_documented_maximum_batch_is_accepted_and_one_item_more_is_refused_400_naming_body()
    {
        var fleetId = VppApiFixture.NewId("fleet");
        var assetIds = Enumerable.Range(0, 20).Select(_ => LongId("gateway-site-battery")).ToArray();
        foreach (var id in assetIds)
        {
            await fixture.Client.RegisterAsync(id, Specs.Battery(fleetId));
        }

        var largest = Batch(assetIds, ITelemetryIngestGrain.MaxBatchSize);
        var bytes = Encoding.UTF8.GetByteCount(largest);
        Assert.InRange(bytes, 1024 * 1024 + 1, DefaultBatchLimitBytes); // over the general 1 MiB limit, under its own

        var body = await (await fixture.Client.PostJsonAsync("/api/v1/telemetry", largest)).ExpectJsonAsync();
        Assert.Equal(ITelemetryIngestGrain.MaxBatchSize, body.Number("acceptedCount"));

        var oneMore = await fixture.Client.PostJsonAsync("/api/v1/telemetry", Batch(assetIds, ITelemetryIngestGrain.MaxBatchSize + 1));
        await oneMore.ExpectProblemAsync(HttpStatusCode.BadRequest, "body");
    }

    [Fact]
    public async Task A_batch_body_over_its_own_limit_is_refused_413()
    {
        var oversized = "[" + new string(' ', DefaultBatchLimitBytes) + "]";

        var response = await fixture.Client.PostJsonAsync("/api/v1/telemetry", oversized);

        var problem = await response.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(DefaultBatchLimitBytes, problem["limitBytes"]!.GetValue<long>());
    }
}
