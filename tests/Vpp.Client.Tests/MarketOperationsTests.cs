using Vpp.Client.Errors;
using Vpp.Domain.Schedules;

namespace Vpp.Client.Tests;

/// <summary>The SDK's metering, market and settlement calls against a real silo.</summary>
[Collection(SdkClusterCollection.Name)]
public sealed class MarketOperationsTests(SdkClusterFixture fixture)
{
    private VppClient Vpp => fixture.Client;

    [Fact]
    public async Task Output_flexibility_bids_and_settlement_are_read_through_the_sdk()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 2, maxKw: 100);
        await Vpp.DispatchAsync(fleetId, 60);

        var output = await Eventually.Until(
            () => Vpp.GetOutputAsync(fleetId, minutes: 5), o => o.Samples.Any(s => s.TargetKw == 60), "a sample with the new target");
        Assert.Equal(fleetId, output.FleetId);
        Assert.Equal(60, output.Samples[^1].AllocatedKw, 3);

        var from = QuarterHour.Floor(DateTimeOffset.UtcNow);
        var flexibility = await Vpp.GetFlexibilityAsync(fleetId, from, from.AddHours(1));
        Assert.Equal(4, flexibility.Slots.Length);
        Assert.All(flexibility.Slots, s => Assert.Equal(2, s.AssetsCounted));

        var bids = await Vpp.GetBidsAsync(fleetId, "fcr", from, from.AddHours(1));
        Assert.All(bids.Bids, b => Assert.Equal(0, b.QuantityKw)); // 200 kW is far below 1 MW
        Assert.All(bids.Bids, b => Assert.NotNull(b.Problem));

        var settlement = await Vpp.GetSettlementAsync(fleetId, from.AddMinutes(-15), from.AddMinutes(15));
        Assert.Equal(fleetId, settlement.FleetId);
        Assert.NotEmpty(settlement.Slots);
    }

    [Fact]
    public async Task Bad_market_queries_are_refused_with_the_field_named()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 1);
        var now = DateTimeOffset.UtcNow;

        Assert.Equal(["minutes"], (await Assert.ThrowsAsync<VppValidationException>(() => Vpp.GetOutputAsync(fleetId, minutes: 61))).Fields);
        Assert.Equal(["product"], (await Assert.ThrowsAsync<VppValidationException>(() => Vpp.GetBidsAsync(fleetId, "mfrr", now, now.AddHours(1)))).Fields);
        Assert.Equal(["to"], (await Assert.ThrowsAsync<VppValidationException>(() => Vpp.GetSettlementAsync(fleetId, now, now.AddHours(-1)))).Fields);
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.GetFlexibilityAsync(SdkClusterFixture.NewId("nofleet"), now, now.AddHours(1)));
    }
}
