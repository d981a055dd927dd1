using Vpp.Abstractions.Ingest;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;

namespace Vpp.Client.Tests;

[Collection(SdkClusterCollection.Name)]
public sealed class TelemetryBatchTests(SdkClusterFixture fixture)
{
    private VppClient Vpp => fixture.Client;

    [Fact]
    public async Task A_batch_answers_each_item_in_order_with_refusals_and_current_setpoints()
    {
        var (fleetId, ids) = await fixture.OnlineFleetAsync(assets: 2, maxKw: 100);
        await Vpp.DispatchAsync(fleetId, 120, DispatchStrategy.ProRata);
        var solarId = SdkClusterFixture.NewId("pv");
        await Vpp.RegisterAssetAsync(solarId, new AssetSpec { FleetId = fleetId, Kind = AssetKind.Solar, MinPowerKw = 0, MaxPowerKw = 40 });
        var unknownId = SdkClusterFixture.NewId("ghost");

        var result = await Vpp.ReportTelemetryBatchAsync(
        [
            new AssetTelemetry(ids[0], new Telemetry(null, 60, StateOfChargePercent: 49)),
            new AssetTelemetry(unknownId, new Telemetry(null, 1)),
            new AssetTelemetry(solarId, new Telemetry(null, 10, AvailablePowerKw: 20, StateOfChargePercent: 10)),
            new AssetTelemetry("123", new Telemetry(null, 1)),
            new AssetTelemetry(ids[1], new Telemetry(null, 60, StateOfChargePercent: 51)),
        ]);

        Assert.Equal([ids[0], unknownId, solarId, "123", ids[1]], result.Outcomes.Select(o => o.AssetId));
        Assert.Equal([true, false, false, false, true], result.Outcomes.Select(o => o.Accepted));
        Assert.Equal((2, 3), (result.AcceptedCount, result.RefusedCount));
        Assert.Equal(["assetId"], result.Outcomes[1].Problems.Select(p => p.Field));
        Assert.Equal(["stateOfChargePercent"], result.Outcomes[2].Problems.Select(p => p.Field));
        Assert.Equal(["assetId"], result.Outcomes[3].Problems.Select(p => p.Field));
        Assert.All([result.Outcomes[0], result.Outcomes[4]], o =>
        {
            Assert.Equal(AssetStatus.Online, o.Status);
            Assert.Equal(60, o.SetpointKw!.Value, 3);
        });
        Assert.Equal(60, (await Vpp.GetAssetAsync(ids[0])).Live.ActivePowerKw);
        Assert.Null((await Vpp.GetAssetAsync(solarId)).Live.ActivePowerKw); // the refused item changed nothing
    }

    [Fact]
    public async Task A_large_set_is_split_into_batches_and_answered_in_the_order_given()
    {
        var options = fixture.Options();
        options.TelemetryBatchSize = 3;
        options.MaxConcurrentTelemetryBatches = 2;
        await using var gateway = await VppClient.ConnectAsync(options);
        var (_, ids) = await fixture.OnlineFleetAsync(assets: 4);
        var items = ids.Concat(ids).Select((id, i) => new AssetTelemetry(id, new Telemetry(null, i, StateOfChargePercent: 50))).ToArray();

        var result = await gateway.ReportTelemetryBatchAsync(items);

        Assert.Equal(items.Select(i => i.AssetId), result.Outcomes.Select(o => o.AssetId));
        Assert.Equal(8, result.AcceptedCount);
    }
}
