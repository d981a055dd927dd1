using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.VirtualBatteries;
using Vpp.Client.Errors;
using Vpp.Domain.Schedules;

namespace Vpp.Client.Tests;

/// <summary>Virtual batteries through the SDK against a real cluster (two 100 kW batteries: 180 kW can be sliced).</summary>
[Collection(SdkClusterCollection.Name)]
public sealed class VirtualBatteryOperationsTests(SdkClusterFixture fixture)
{
    private VppClient Vpp => fixture.Client;

    [Fact]
    public async Task Two_slices_traded_opposite_ways_net_into_the_fleet_and_each_is_settled_for_its_own_request()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 2, maxKw: 100);
        var seller = SdkClusterFixture.NewId("vb");
        var buyer = SdkClusterFixture.NewId("vb");
        await Vpp.PutVirtualBatteryAsync(seller, new VirtualBatteryConfig("trader-a", fleetId, 60, 100, 50));
        await Vpp.PutVirtualBatteryAsync(buyer, new VirtualBatteryConfig("trader-b", fleetId, 60, 100, 50));

        var sold = await Vpp.DispatchVirtualBatteryAsync(seller, 30);
        var bought = await Vpp.DispatchVirtualBatteryAsync(buyer, -20);

        Assert.Equal(30, sold.SetpointKw, 6);
        Assert.Equal(-20, bought.SetpointKw, 6);
        Assert.Equal(10, (await Vpp.GetSliceBookAsync(fleetId)).NetKw, 6);
        Assert.Equal(10, (await Vpp.GetFleetAsync(fleetId)).Services.BaseTargetKw!.Value, 6);
        var slot = QuarterHour.Floor(DateTimeOffset.UtcNow);
        var settlement = await Eventually.Until(
            () => Vpp.GetVirtualBatterySettlementAsync(seller, slot, slot + QuarterHour.Length),
            s => s.Rows.Length == 1 && s.Rows[0].RequestedKwh > 0,
            "the seller's slot accrues its own request");
        Assert.Equal("trader-a", Assert.Single(settlement.Totals).TraderId);
        Assert.Equal(settlement.Rows[0].RequestedKwh, settlement.Rows[0].SetpointKwh, 6);
    }

    [Fact]
    public async Task A_traders_settlement_holds_its_slices_in_every_fleet_and_its_total_and_not_another_traders()
    {
        var (first, _) = await fixture.OnlineFleetAsync(assets: 2, maxKw: 100);
        var (second, _) = await fixture.OnlineFleetAsync(assets: 2, maxKw: 100);
        var (alpha, beta) = (SdkClusterFixture.NewId("trader"), SdkClusterFixture.NewId("trader"));
        var (alphaFirst, alphaSecond, betaFirst) = (SdkClusterFixture.NewId("vb"), SdkClusterFixture.NewId("vb"), SdkClusterFixture.NewId("vb"));
        await Vpp.PutVirtualBatteryAsync(alphaFirst, new VirtualBatteryConfig(alpha, first, 60, 100, 50));
        await Vpp.PutVirtualBatteryAsync(alphaSecond, new VirtualBatteryConfig(alpha, second, 60, 100, 50));
        await Vpp.PutVirtualBatteryAsync(betaFirst, new VirtualBatteryConfig(beta, first, 60, 100, 50));
        await Vpp.DispatchVirtualBatteryAsync(alphaFirst, 30);
        await Vpp.DispatchVirtualBatteryAsync(alphaSecond, -20);
        await Vpp.DispatchVirtualBatteryAsync(betaFirst, -10);
        var slot = QuarterHour.Floor(DateTimeOffset.UtcNow);

        var settlement = await Eventually.Until(
            () => Vpp.GetTraderSettlementAsync(alpha, slot, slot + QuarterHour.Length),
            s => s.Rows.Length == 2 && s.Rows.All(r => r.RequestedKwh != 0),
            "both of the trader's slices accrue their requests");

        Assert.Equal(new[] { alphaFirst, alphaSecond }.Order(StringComparer.Ordinal), settlement.Rows.Select(r => r.VirtualBatteryId));
        Assert.All(settlement.Rows, r => Assert.Equal(alpha, r.TraderId));
        var total = Assert.Single(settlement.Totals);
        Assert.Equal(alpha, total.TraderId);
        Assert.Equal(settlement.Rows.Sum(r => r.RequestedKwh), total.RequestedKwh, tolerance: 1e-9); // two sums of the same figures: rounding both to n places can split them at a midpoint
        Assert.True(settlement.Rows.Single(r => r.VirtualBatteryId == alphaFirst).RequestedKwh > 0);
        Assert.True(settlement.Rows.Single(r => r.VirtualBatteryId == alphaSecond).RequestedKwh < 0);
        var all = await Vpp.GetVirtualBatteriesSettlementAsync(slot, slot + QuarterHour.Length);
        Assert.Contains(all.Rows, r => r.VirtualBatteryId == betaFirst && r.TraderId == beta);
        Assert.Contains(all.Totals, t => t.TraderId == beta);

        var unknown = await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.GetTraderSettlementAsync(SdkClusterFixture.NewId("trader"), slot, slot + QuarterHour.Length));
        Assert.Equal("trader", unknown.Entity);
        var backwards = await Assert.ThrowsAsync<VppValidationException>(() => Vpp.GetTraderSettlementAsync(alpha, slot, slot));
        var tooLong = await Assert.ThrowsAsync<VppValidationException>(() => Vpp.GetTraderSettlementAsync(alpha, slot, slot.AddDays(40)));
        Assert.Equal(["to"], backwards.Fields);
        Assert.Equal(["to"], tooLong.Fields);
    }

    [Fact]
    public async Task A_client_acting_for_a_trader_uses_only_its_slices_and_the_operator_sees_all()
    {
        var (fleetId, alpha, beta, mine, theirs) = await TwoTradersAsync();
        var desk = Vpp.ForTrader(alpha);
        var slot = QuarterHour.Floor(DateTimeOffset.UtcNow);
        var (from, to) = (slot, slot + QuarterHour.Length);

        Assert.Equal([mine], (await desk.ListVirtualBatteriesAsync()).Select(v => v.Id));
        Assert.Equal(alpha, (await desk.GetVirtualBatteryAsync(mine)).Spec.TraderId);
        Assert.Equal(10, (await desk.DispatchVirtualBatteryAsync(mine, 10)).SetpointKw, 6);
        await Assert.ThrowsAsync<VppNotFoundException>(() => desk.GetVirtualBatteryAsync(theirs));
        await Assert.ThrowsAsync<VppNotFoundException>(() => desk.DispatchVirtualBatteryAsync(theirs, 10));
        await Assert.ThrowsAsync<VppNotFoundException>(() => desk.PutVirtualBatteryScheduleAsync(theirs, slot + TimeSpan.FromMinutes(30), [5]));
        await Assert.ThrowsAsync<VppNotFoundException>(() => desk.GetVirtualBatterySettlementAsync(theirs, from, to));
        await Assert.ThrowsAsync<VppNotFoundException>(() => desk.GetTraderSettlementAsync(beta, from, to));
        await Assert.ThrowsAsync<VppNotFoundException>(() => desk.PutVirtualBatteryAsync(theirs, new VirtualBatteryConfig(alpha, fleetId, 40, 100, 50)));
        await Assert.ThrowsAsync<VppNotFoundException>(() => desk.PutVirtualBatteryAsync(SdkClusterFixture.NewId("vb"), new VirtualBatteryConfig(beta, fleetId, 1, 1, 50)));
        await Assert.ThrowsAsync<VppNotFoundException>(() => desk.GetSliceBookAsync(fleetId));
        await Assert.ThrowsAsync<VppNotFoundException>(() => desk.DeleteVirtualBatteryAsync(mine));
        var subscription = await Assert.ThrowsAsync<VppNotFoundException>(async () =>
        {
            await foreach (var _ in desk.SubscribeVirtualBatteryAsync(theirs))
            {
            }
        });
        Assert.Equal(theirs, subscription.Id);
        var own = await Eventually.Until(
            () => desk.GetVirtualBatteriesSettlementAsync(from, to), s => s.Rows.Any(r => r.VirtualBatteryId == mine), "the trader's slice accrues its slot");
        Assert.All(own.Rows, r => Assert.Equal(alpha, r.TraderId));
        Assert.Equal([alpha], own.Totals.Select(t => t.TraderId));

        // The silo applies the scope, whatever client sends it: a raw grain call carrying the trader is refused too.
        Orleans.Runtime.RequestContext.Set(TraderScope.Key, alpha);
        try
        {
            await Assert.ThrowsAsync<Vpp.Abstractions.Errors.NotFoundException>(() => Vpp.Grains.GetGrain<IVirtualBatteryGrain>(theirs).DispatchAsync(10));
            Assert.Null(await Vpp.Grains.GetGrain<IVirtualBatteryGrain>(theirs).GetAsync());
        }
        finally
        {
            Orleans.Runtime.RequestContext.Remove(TraderScope.Key);
        }

        // The operator's client (no trader) sees and settles both.
        Assert.Equal(beta, (await Vpp.GetVirtualBatteryAsync(theirs)).Spec.TraderId);
        Assert.Contains(theirs, (await Vpp.ListVirtualBatteriesAsync()).Select(v => v.Id));
        Assert.Equal(2, (await Vpp.GetSliceBookAsync(fleetId)).Slices.Count(s => s.Spec.TraderId == alpha || s.Spec.TraderId == beta));
    }

    [Fact]
    public async Task A_client_acting_for_a_trader_reaches_no_fleet_or_asset_which_the_operator_reaches()
    {
        var (fleetId, assetIds) = await fixture.OnlineFleetAsync(assets: 1);
        var desk = Vpp.ForTrader("trader-a");
        var slot = QuarterHour.Floor(DateTimeOffset.UtcNow);

        // The operator's client reaches both.
        Assert.Equal(1, (await Vpp.GetFleetAsync(fleetId)).Counts.AssetCount);
        Assert.Equal(fleetId, (await Vpp.GetAssetAsync(assetIds[0])).Spec.FleetId);

        // A trader's client gets 404 for the fleet's view, events, feed, dispatch, settlement and its assets, as a
        // trader's API key without fleets does over HTTP.
        var fleet = await Assert.ThrowsAsync<VppNotFoundException>(() => desk.GetFleetAsync(fleetId));
        Assert.Equal(("fleet", fleetId), (fleet.Entity, fleet.Id));
        await Assert.ThrowsAsync<VppNotFoundException>(() => desk.GetFleetEventsAsync(fleetId));
        await Assert.ThrowsAsync<VppNotFoundException>(() => desk.DispatchAsync(fleetId, 10));
        await Assert.ThrowsAsync<VppNotFoundException>(() => desk.GetSettlementAsync(fleetId, slot, slot + QuarterHour.Length));
        await Assert.ThrowsAsync<VppNotFoundException>(() => desk.SubscribeAsync(fleetId, _ => ValueTask.CompletedTask));
        await Assert.ThrowsAsync<VppNotFoundException>(async () =>
        {
            await foreach (var _ in desk.SubscribeAsync(fleetId))
            {
            }
        });
        var asset = await Assert.ThrowsAsync<VppNotFoundException>(() => desk.GetAssetAsync(assetIds[0]));
        Assert.Equal(("asset", assetIds[0]), (asset.Entity, asset.Id));
        Assert.Equal(1, (await Vpp.GetFleetAsync(fleetId)).Counts.AssetCount); // nothing changed
    }

    [Fact]
    public async Task A_client_connected_with_a_trader_id_acts_for_that_trader()
    {
        var (_, alpha, _, mine, theirs) = await TwoTradersAsync();
        var options = fixture.Options();
        options.TraderId = alpha;

        await using var desk = await VppClient.ConnectAsync(options);

        Assert.Equal(alpha, desk.TraderId);
        Assert.Equal([mine], (await desk.ListVirtualBatteriesAsync()).Select(v => v.Id));
        await Assert.ThrowsAsync<VppNotFoundException>(() => desk.GetVirtualBatteryAsync(theirs));
        Assert.Equal(["TraderId"], new VppClientOptions { TraderId = "42" }.Validate().Select(p => p.Field));
    }

    [Fact]
    public async Task Refusals_are_typed_overbooking_says_what_is_free_and_undeliverable_requests_give_the_reason()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 2, maxKw: 100);
        var slice = SdkClusterFixture.NewId("vb");
        await Vpp.PutVirtualBatteryAsync(slice, new VirtualBatteryConfig("trader-a", fleetId, 120, 100, 50));

        var overbooked = await Assert.ThrowsAsync<VppOverbookedException>(() =>
            Vpp.PutVirtualBatteryAsync(SdkClusterFixture.NewId("vb"), new VirtualBatteryConfig("trader-b", fleetId, 70, 10, 50)));
        var power = await Assert.ThrowsAsync<VppUndeliverableException>(() => Vpp.DispatchVirtualBatteryAsync(slice, 121));
        var soc = await Assert.ThrowsAsync<VppUndeliverableException>(() =>
            Vpp.PutVirtualBatteryScheduleAsync(slice, QuarterHour.Floor(DateTimeOffset.UtcNow) + TimeSpan.FromMinutes(30), [120, 120]));
        var invalid = await Assert.ThrowsAsync<VppValidationException>(() =>
            Vpp.PutVirtualBatteryAsync(SdkClusterFixture.NewId("vb"), new VirtualBatteryConfig("trader-a", fleetId, -1, 10, 50)));

        Assert.Equal("powerKw", overbooked.Field);
        Assert.Equal(60, overbooked.FreePowerKw, 3);
        Assert.Equal(("power", "targetKw"), (power.Reason, power.Field));
        Assert.Equal(("soc", "slots[1].targetKw"), (soc.Reason, soc.Field));
        Assert.Equal(["powerKw"], invalid.Fields);
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.GetVirtualBatteryAsync(SdkClusterFixture.NewId("novb")));
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.DispatchVirtualBatteryAsync(SdkClusterFixture.NewId("novb"), 1));
    }

    [Fact]
    public async Task A_slice_subscription_delivers_its_own_curtailments_and_not_another_slices()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 2, maxKw: 100);
        var (mine, theirs) = (SdkClusterFixture.NewId("vb"), SdkClusterFixture.NewId("vb"));
        await Vpp.PutVirtualBatteryAsync(mine, new VirtualBatteryConfig("trader-a", fleetId, 10, 10, 50));
        await Vpp.PutVirtualBatteryAsync(theirs, new VirtualBatteryConfig("trader-b", fleetId, 10, 10, 50));
        using var stop = new CancellationTokenSource();
        var last = (await Vpp.GetFleetEventsAsync(fleetId)).Select(e => e.Sequence).DefaultIfEmpty(0).Max();
        await using var events = new EventReader(Vpp.SubscribeVirtualBatteryAsync(mine, last, stop.Token).GetAsyncEnumerator(stop.Token), stop);
        var read = events.NextAsync(e => e.Kind == FleetEventKinds.SliceCurtailment, "this slice's curtailment");

        // The slice book records curtailments through the fleet, one event per trader: the other trader's first.
        var fleet = fixture.SiloGrains().GetGrain<Vpp.Grains.Contracts.IFleetSlicesGrain>(fleetId);
        static FleetEvent Curtailment(string traderId, string vbId) =>
            new SliceCurtailmentEvent(0, default, $"{vbId} curtailed", CurtailmentReasons.FleetCapacity, 10, 8, 2, traderId, [vbId]);
        await fleet.RecordSliceEventsAsync([Curtailment("trader-b", theirs), Curtailment("trader-a", mine)]);

        var received = await read;
        Assert.Equal([mine], Assert.IsType<SliceCurtailmentEvent>(received).VirtualBatteryIds);
        Assert.DoesNotContain(events.Seen, e => e is SliceCurtailmentEvent c && c.VirtualBatteryIds.Contains(theirs));
    }

    [Fact]
    public async Task A_deleted_virtual_battery_frees_its_capacity_keeps_its_settlement_and_cannot_be_subscribed_to()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 2, maxKw: 100);
        var slice = SdkClusterFixture.NewId("vb");
        await Vpp.PutVirtualBatteryAsync(slice, new VirtualBatteryConfig("trader-a", fleetId, 120, 100, 50));

        await Vpp.DeleteVirtualBatteryAsync(slice);

        Assert.Equal(180, (await Vpp.GetSliceBookAsync(fleetId)).FreePowerKw, 3);
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.GetVirtualBatteryAsync(slice));
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.DeleteVirtualBatteryAsync(slice));
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.DeleteVirtualBatteryAsync(SdkClusterFixture.NewId("novb")));
        foreach (var id in new[] { slice, SdkClusterFixture.NewId("novb") })
        {
            var notFound = await Assert.ThrowsAsync<VppNotFoundException>(async () =>
            {
                await foreach (var _ in Vpp.SubscribeVirtualBatteryAsync(id))
                {
                }
            });
            Assert.Equal(id, notFound.Id);
        }

        var settlement = await Vpp.GetVirtualBatterySettlementAsync(slice, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
        Assert.All(settlement.Rows, r => Assert.Equal(slice, r.VirtualBatteryId));
    }

    /// <summary>A fleet with a 40 kW slice of each of two new traders, created by the operator.</summary>
    private async Task<(string FleetId, string Alpha, string Beta, string Mine, string Theirs)> TwoTradersAsync()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 2, maxKw: 100);
        var (alpha, beta) = (SdkClusterFixture.NewId("trader"), SdkClusterFixture.NewId("trader"));
        var (mine, theirs) = (SdkClusterFixture.NewId("vb"), SdkClusterFixture.NewId("vb"));
        await Vpp.PutVirtualBatteryAsync(mine, new VirtualBatteryConfig(alpha, fleetId, 40, 100, 50));
        await Vpp.PutVirtualBatteryAsync(theirs, new VirtualBatteryConfig(beta, fleetId, 40, 100, 50));
        return (fleetId, alpha, beta, mine, theirs);
    }
}
