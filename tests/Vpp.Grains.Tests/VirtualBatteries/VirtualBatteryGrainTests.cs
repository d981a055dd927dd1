using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.VirtualBatteries;
using Vpp.Domain.Assets;
using Vpp.Domain.Schedules;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Tests.VirtualBatteries;

/// <summary>
/// Virtual batteries on a real fleet of two lossless 100 kW / 200 kWh batteries (registered 200 kW and 400 kWh; with
/// the default 10 % reserve 180 kW and 360 kWh can be sliced).
/// </summary>
[Collection(VppClusterCollection.Name)]
public sealed class VirtualBatteryGrainTests(VppClusterFixture fixture)
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task A_charging_and_a_discharging_slice_net_into_the_fleet_target_and_each_is_settled_for_its_own_request()
    {
        // Both batteries come online one minute before slot S.
        var slot = QuarterHour.Floor(fixture.Clock.GetUtcNow()) + TimeSpan.FromMinutes(30);
        var (fleetId, a, b) = await FleetAsync("vb-net", online: slot - TimeSpan.FromMinutes(1));
        var seller = await SliceAsync(fleetId, "trader-a", powerKw: 80, energyKwh: 80);
        var buyer = await SliceAsync(fleetId, "trader-b", powerKw: 60, energyKwh: 60);

        var sold = await seller.DispatchAsync(50);
        var bought = await buyer.DispatchAsync(-30);

        Assert.Equal(50, sold.SetpointKw, 6);
        Assert.Equal(-30, bought.SetpointKw, 6);
        var fleet = await fixture.FleetWhenAsync(fleetId, v => v.Services.BaseTargetKw is { } kw && Math.Abs(kw - 20) < 1e-6, "fleet base target = 50 - 30 kW");
        Assert.Equal(20, fleet.Dispatch.TargetKw!.Value, 6);

        // The assets deliver exactly the net (10 kW each) through slot S.
        await ReportUntilAsync(slot + QuarterHour.Length + Every, (a, 10), (b, 10));

        var settlement = await Eventually.Until(
            () => _grains.GetGrain<ISliceBookGrain>(fleetId).GetSettlementAsync(slot, slot + QuarterHour.Length, null),
            s => s.Rows.Length == 2 && s.Rows.All(r => r.DeliveredKwh is not null),
            "slot S settled for both slices");
        var sellerRow = Assert.Single(settlement.Rows, r => r.TraderId == "trader-a");
        var buyerRow = Assert.Single(settlement.Rows, r => r.TraderId == "trader-b");
        Assert.Equal(12.5, sellerRow.RequestedKwh, 6); // 50 kW for a quarter hour
        Assert.Equal(-7.5, buyerRow.RequestedKwh, 6);
        Assert.Equal(12.5, sellerRow.DeliveredKwh!.Value, 3);
        Assert.Equal(-7.5, buyerRow.DeliveredKwh!.Value, 3);
        Assert.Equal(0, sellerRow.CurtailedKwh, 6);
        Assert.Equal(["trader-a", "trader-b"], settlement.Totals.Select(t => t.TraderId));

        // Lossless, from 50 % one minute before S: the seller sold 50/60 + 12.5 kWh of 80 kWh, the buyer bought 30/60 + 7.5 kWh of 60 kWh.
        Assert.Equal(50 - ((50 / 60.0) + 12.5) / 80 * 100, sellerRow.SocEndPercent, 3);
        Assert.Equal(50 + ((30 / 60.0) + 7.5) / 60 * 100, buyerRow.SocEndPercent, 3);
        var fleetSettlement = await _grains.GetGrain<ISettlementQueryGrain>(fleetId).GetSettlementTotalsAsync(slot, slot + QuarterHour.Length);
        Assert.Equal(5, Assert.Single(fleetSettlement.Slots).RequestedKwh, 6); // the fleet was asked for the net only
    }

    [Fact]
    public async Task An_outage_before_a_slot_curtails_every_slice_by_the_same_share_with_an_event_per_trader()
    {
        // S is re-validated 7 min before it starts.
        var (slot, fleetId, a, b, first, second) = await TwoTradersAsync("vb-outage", energyKwh: 90);

        // Battery b fails: 100 kW of discharge left for 120 kW of slices, so each loses 1/6 of its request.
        await _grains.GetGrain<IAssetGrain>(b).ReportStatusAsync(AssetStatus.Offline, "inverter fault");
        await fixture.FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 1, "battery b offline");
        await ReportUntilAsync(slot - TimeSpan.FromMinutes(7) + Every, (a, 100));

        var curtailments = await CurtailmentEventsAsync(fleetId);
        Assert.Equal(["trader-a", "trader-b"], curtailments.Select(e => e.TraderId));
        Assert.Equal(80 * 5 / 6.0, curtailments[0].AllocatedKw, 3);
        Assert.Equal(40 * 5 / 6.0, curtailments[1].AllocatedKw, 3);
        Assert.All(curtailments, e => Assert.True(e.At < slot, "announced before delivery"));
        Assert.All(curtailments, e => Assert.Single(e.VirtualBatteryIds));

        // At S both slices get their curtailed share; the fleet is asked for what its online battery can deliver.
        await ReportUntilAsync(slot + Every, (a, 100));
        var firstView = await Eventually.Until(() => first.GetAsync(), v => v!.CurtailmentReason == CurtailmentReasons.FleetCapacity, "slice curtailed at S");
        var secondView = await Eventually.Until(() => second.GetAsync(), v => v!.CurtailmentReason == CurtailmentReasons.FleetCapacity, "slice curtailed at S");
        Assert.Equal(80, firstView!.RequestedKw, 6);
        Assert.Equal(80 * 5 / 6.0, firstView.SetpointKw, 3);
        Assert.Equal(40 * 5 / 6.0, secondView!.SetpointKw, 3);
        Assert.Equal(CurtailmentReasons.FleetCapacity, secondView.CurtailmentReason);
        await fixture.FleetWhenAsync(fleetId, v => v.Services.BaseTargetKw is { } kw && Math.Abs(kw - 100) < 1e-3, "fleet base target 100 kW");
    }

    [Fact]
    public async Task Batteries_low_on_charge_curtail_the_discharging_slices_by_energy_before_the_slot()
    {
        // Both batteries report 10 % SoC (40 kWh deliverable) before S's re-validation, 7 min ahead of it: the slices'
        // 120 kW until S leave 26–27 kWh, less than the 30 kWh their 120 kW would take over S.
        var (slot, fleetId, a, b, first, second) = await TwoTradersAsync("vb-energy", energyKwh: 90);
        await ReportAtSocPastRevalidationAsync(slot, fleetId, socPercent: 10, deliverableKwh: 40, (a, 60), (b, 60));

        var curtailments = await CurtailmentEventsAsync(fleetId);
        Assert.All(curtailments, e => Assert.Equal(CurtailmentReasons.Energy, e.Status));
        Assert.All(curtailments, e => Assert.True(e.At < slot, "announced before delivery"));
        var givenKw = curtailments[0].AllocatedKw + curtailments[1].AllocatedKw;
        Assert.InRange(givenKw, 100, 110); // what 26–27 kWh hold over a quarter hour
        // The same share each; events carry kW to 3 decimals, so twice the second may differ from the first by 1.5 W.
        Assert.Equal(80 / 40.0 * curtailments[1].AllocatedKw, curtailments[0].AllocatedKw, tolerance: 0.0015 + 1e-9);

        // At S both slices get their announced share, with the reason.
        await fixture.ReportUntilAsync(slot + Every, Every, (a, 50), (b, 50));
        var firstView = await Eventually.Until(() => first.GetAsync(), v => v!.CurtailmentReason == CurtailmentReasons.Energy, "first slice curtailed by energy at S");
        var secondView = await Eventually.Until(() => second.GetAsync(), v => v!.CurtailmentReason == CurtailmentReasons.Energy, "second slice curtailed by energy at S");
        Assert.Equal(curtailments[0].AllocatedKw, firstView!.SetpointKw, 3);
        Assert.Equal(curtailments[1].AllocatedKw, secondView!.SetpointKw, 3);
    }

    [Fact]
    public async Task A_planned_unavailability_lowers_the_slices_power_ahead_pro_rata_and_is_curtailed_for_before_the_slot()
    {
        // Battery b is planned out from 5 min into S, after S's re-validation 7 min before it.
        var (slot, fleetId, a, b, first, _) = await TwoTradersAsync("vb-planned", energyKwh: 180);
        await _grains.GetGrain<IAssetAvailabilityGrain>(b).AddUnavailabilityAsync(
            new UnavailabilityRequest(slot + TimeSpan.FromMinutes(5), slot + TimeSpan.FromHours(1), "planned", "inverter service"));

        // While b is out, 100 kW are left for 180 kW of slices: each may hold 100/180 of its power each way.
        var ahead = (await first.GetAsync())!.NextSlots;
        Assert.Equal(slot - QuarterHour.Length, ahead[0].Start);
        Assert.Equal(90, ahead[0].AvailableDischargeKw, 6);
        Assert.Equal(90 * 100 / 180.0, ahead[1].AvailableDischargeKw, 6);
        Assert.Equal(90 * 100 / 180.0, ahead[4].AvailableChargeKw, 6);
        Assert.Equal(90, ahead[5].AvailableChargeKw, 6); // b is back from S + 1 h

        // Re-validation sees b out in S: 100 kW for 120 kW of slices, each loses 1/6 of its request, told before S.
        await ReportUntilAsync(slot - TimeSpan.FromMinutes(7) + Every, (a, 60), (b, 60));
        var curtailments = await CurtailmentEventsAsync(fleetId);
        Assert.Equal(80 * 5 / 6.0, curtailments[0].AllocatedKw, 3);
        Assert.Equal(40 * 5 / 6.0, curtailments[1].AllocatedKw, 3);
        Assert.All(curtailments, e => Assert.True(e.At < slot, "announced before delivery"));
    }

    [Fact]
    public async Task A_battery_planned_out_in_a_slot_takes_its_energy_out_of_the_slot_and_the_discharging_slices_are_curtailed_by_energy()
    {
        // Both batteries hold 15 kWh each (7.5 % of 200 kWh) from before S's re-validation; b is planned out from 5 min into S.
        // The slices ask 60 + 20 kW in S only: 20 kWh over the quarter hour, which both batteries hold but a alone does not.
        var slot = QuarterHour.Floor(fixture.Clock.GetUtcNow()) + TimeSpan.FromMinutes(30);
        var (fleetId, a, b) = await FleetAsync("vb-out-energy", online: slot - TimeSpan.FromSeconds(510));
        var first = await SliceAsync(fleetId, "trader-a", powerKw: 90, energyKwh: 90);
        var second = await SliceAsync(fleetId, "trader-b", powerKw: 90, energyKwh: 90);
        await first.SubmitScheduleAsync(new Abstractions.Schedules.ScheduleRequest(slot, [new Abstractions.Schedules.ScheduleSlotRequest(60)]));
        await second.SubmitScheduleAsync(new Abstractions.Schedules.ScheduleRequest(slot, [new Abstractions.Schedules.ScheduleSlotRequest(20)]));
        await _grains.GetGrain<IAssetAvailabilityGrain>(b).AddUnavailabilityAsync(
            new UnavailabilityRequest(slot + TimeSpan.FromMinutes(5), slot + TimeSpan.FromHours(1), "planned", "inverter service"));

        await ReportAtSocPastRevalidationAsync(slot, fleetId, socPercent: 7.5, deliverableKwh: 30, (a, 0), (b, 0));

        // Power fits (a alone has 100 kW for 80 kW); energy does not: a's 15 kWh hold 60 kW over S, so each slice keeps 3/4.
        var curtailments = await CurtailmentEventsAsync(fleetId);
        Assert.All(curtailments, e => Assert.Equal(CurtailmentReasons.Energy, e.Status));
        Assert.All(curtailments, e => Assert.True(e.At < slot, "announced before delivery"));
        Assert.Equal(60 * 0.75, curtailments[0].AllocatedKw, 3);
        Assert.Equal(20 * 0.75, curtailments[1].AllocatedKw, 3);
        Assert.Equal(["trader-a", "trader-b"], curtailments.Select(e => e.TraderId));
    }

    [Fact]
    public async Task A_slices_power_ahead_comes_from_what_the_fleet_learnt_within_the_refresh_and_is_asked_anew_after_it()
    {
        var slot = QuarterHour.Floor(fixture.Clock.GetUtcNow()) + TimeSpan.FromMinutes(30);
        var (fleetId, a, b) = await FleetAsync("vb-ahead", online: fixture.Clock.GetUtcNow());
        var slice = await SliceAsync(fleetId, "trader-a", powerKw: 150, energyKwh: 100);
        var first = (await slice.GetAsync())!.NextSlots.Single(q => q.Start == slot);
        Assert.Equal(150, first.AvailableDischargeKw, 6);

        // Battery b is planned out in S: within Vpp:VirtualBatteries:AheadRefresh (30 s) the fleet answers from what its
        // partitions told it, without asking them again.
        await _grains.GetGrain<IAssetAvailabilityGrain>(b).AddUnavailabilityAsync(
            new UnavailabilityRequest(slot, slot + TimeSpan.FromHours(1), "planned", "inverter service"));
        Assert.Equal(150, (await slice.GetAsync())!.NextSlots.Single(q => q.Start == slot).AvailableDischargeKw, 6);

        await ReportUntilAsync(fixture.Clock.GetUtcNow() + TimeSpan.FromSeconds(30), (a, 0), (b, 0));
        Assert.Equal(100, (await slice.GetAsync())!.NextSlots.Single(q => q.Start == slot).AvailableDischargeKw, 6);
    }

    [Fact]
    public async Task A_scheduled_slot_replaces_the_standing_dispatch_and_the_slice_returns_to_zero_after_it()
    {
        var slot = QuarterHour.Floor(fixture.Clock.GetUtcNow()) + TimeSpan.FromMinutes(30);
        var (fleetId, a, b) = await FleetAsync("vb-release", online: slot - TimeSpan.FromMinutes(1));
        var slice = await SliceAsync(fleetId, "trader-a", powerKw: 50, energyKwh: 100);
        await slice.DispatchAsync(20);
        await slice.SubmitScheduleAsync(new Abstractions.Schedules.ScheduleRequest(slot, [new Abstractions.Schedules.ScheduleSlotRequest(-10)]));

        await ReportUntilAsync(slot + Every, (a, 0), (b, 0));
        await Eventually.Until(() => slice.GetAsync(), v => v!.RequestedKw == -10, "the slot's -10 kW at S");
        await fixture.FleetWhenAsync(fleetId, v => v.Services.BaseTargetKw is { } kw && Math.Abs(kw + 10) < 1e-6, "fleet base target -10 kW in S");
        await ReportUntilAsync(slot + QuarterHour.Length + Every, (a, 0), (b, 0));

        var after = await Eventually.Until(() => slice.GetAsync(), v => v!.RequestedKw == 0, "back to 0 kW after the last slot");
        Assert.Equal(0, after!.SetpointKw, 6);
        await fixture.FleetWhenAsync(fleetId, v => v.Services.BaseTargetKw is { } kw && Math.Abs(kw) < 1e-6, "fleet base target 0 kW after S");
    }

    [Fact]
    public async Task Two_slices_booked_at_once_cannot_overbook_the_fleet()
    {
        var (fleetId, _, _) = await FleetAsync("vb-book", online: fixture.Clock.GetUtcNow());

        var attempts = await Task.WhenAll(Enumerable.Range(0, 2).Select(async i =>
        {
            try
            {
                await SliceAsync(fleetId, $"trader-{i}", powerKw: 100, energyKwh: 100);
                return null;
            }
            catch (SliceOverbookedException refused)
            {
                return refused;
            }
        }));

        var refusal = Assert.Single(attempts, r => r is not null);
        Assert.Equal("powerKw", refusal!.Field);
        Assert.Equal(80, refusal.FreePowerKw, 6); // 180 kW sliceable, 100 kW taken
        var book = await _grains.GetGrain<ISliceBookGrain>(fleetId).GetAsync();
        Assert.Equal(100, book.Slices.Sum(s => s.Spec.PowerKw), 6);
    }

    [Fact]
    public async Task A_dispatch_the_slice_cannot_hold_is_refused_with_its_reason()
    {
        var (fleetId, _, _) = await FleetAsync("vb-refuse", online: fixture.Clock.GetUtcNow());
        var slice = await SliceAsync(fleetId, "trader-a", powerKw: 50, energyKwh: 50);

        var power = await Assert.ThrowsAsync<UndeliverableException>(() => slice.DispatchAsync(60));

        Assert.Equal("power", power.Reason);
        Assert.Equal("targetKw", power.Field);
        Assert.Equal(0, (await slice.GetAsync())!.RequestedKw);
    }

    [Fact]
    public async Task The_fleets_flexibility_holds_back_a_slice_in_its_window_power_or_energy_whichever_limits_the_product()
    {
        var (fleetId, _, _) = await FleetAsync("vb-flex", online: fixture.Clock.GetUtcNow());
        var market = _grains.GetGrain<IFleetQueryGrain>(fleetId);
        var window = QuarterHour.Floor(fixture.Clock.GetUtcNow()) + TimeSpan.FromHours(1);
        var (from, to) = (window - QuarterHour.Length, window + TimeSpan.FromMinutes(45));
        async Task<(double[] Quarter, double[] FourHours)> UpKwAsync() => (
            [.. (await market.GetFlexibilityAsync(from, to, QuarterHour.Length)).Slots.Select(s => s.UpKw)],
            [.. (await market.GetFlexibilityAsync(from, to, TimeSpan.FromHours(4))).Slots.Select(s => s.UpKw)]);

        // 200 kW and 200 kWh deliverable: power limits a quarter-hour product (200 kW), energy a 4-hour one (50 kW).
        var unsliced = await UpKwAsync();
        Assert.Equal([200.0, 200, 200, 200], unsliced.Quarter);
        Assert.Equal([50.0, 50, 50, 50], unsliced.FourHours);

        await _grains.GetGrain<IVirtualBatteryGrain>(VppClusterFixture.NewId("vb"))
            .ConfigureAsync(new VirtualBatteryConfig("trader-a", fleetId, 80, 80, 50, window, window + TimeSpan.FromMinutes(30)));
        var sliced = await UpKwAsync();

        // In the window the slice's 80 kW are held back, and for 4 hours its 80 kWh (20 kW); outside it nothing.
        Assert.Equal([200.0, 120, 120, 200], sliced.Quarter);
        Assert.Equal([50.0, 30, 30, 50], sliced.FourHours);
        var bids = await market.GetBidsAsync("intraday", window, window + QuarterHour.Length);
        Assert.All(bids.Bids, b => Assert.Equal(120, b.PooledKw, 6));
    }

    [Fact]
    public async Task A_deleted_slice_frees_its_capacity_leaves_the_fleets_base_target_and_keeps_its_ledger()
    {
        var (fleetId, a, b) = await FleetAsync("vb-delete", online: fixture.Clock.GetUtcNow());
        var kept = await SliceAsync(fleetId, "trader-a", powerKw: 60, energyKwh: 100);
        var deleted = await SliceAsync(fleetId, "trader-b", powerKw: 100, energyKwh: 100);
        await kept.DispatchAsync(20);
        var heldFrom = fixture.Clock.GetUtcNow();
        await deleted.DispatchAsync(50);
        await fixture.FleetWhenAsync(fleetId, v => v.Services.BaseTargetKw is { } kw && Math.Abs(kw - 70) < 1e-6, "fleet base target 20 + 50 kW");
        await ReportUntilAsync(heldFrom + TimeSpan.FromMinutes(3), (a, 35), (b, 35));
        var heldHours = (fixture.Clock.GetUtcNow() - heldFrom).TotalHours;
        var book = _grains.GetGrain<ISliceBookGrain>(fleetId);
        Assert.Equal(20, (await book.GetAsync()).FreePowerKw, 6);

        await deleted.DeleteAsync();

        await fixture.FleetWhenAsync(fleetId, v => v.Services.BaseTargetKw is { } kw && Math.Abs(kw - 20) < 1e-6, "fleet base target 20 kW without the deleted slice");
        var after = await book.GetAsync();
        Assert.Equal(120, after.FreePowerKw, 6); // 180 kW sliceable, 60 kW still booked
        Assert.Equal(deleted.GetPrimaryKeyString(), Assert.Single(after.Deleted!).VirtualBatteryId);
        Assert.Null(await deleted.GetAsync());
        Assert.Equal("trader-b", (await deleted.GetDeletedAsync())!.Spec.TraderId);
        var ledger = await deleted.AsReference<IVirtualBatteryDeliveryGrain>().GetLedgerAsync(fixture.Clock.GetUtcNow().AddHours(-1), fixture.Clock.GetUtcNow().AddHours(1));
        Assert.Equal(50 * heldHours, ledger.Sum(q => q.RequestedKwh), 6); // 50 kW for as long as it was held
        await Assert.ThrowsAsync<NotFoundException>(() => deleted.DispatchAsync(10));
        await Assert.ThrowsAsync<NotFoundException>(() => deleted.DeleteAsync());
        await Assert.ThrowsAsync<ConflictException>(() => deleted.ConfigureAsync(new VirtualBatteryConfig("trader-b", fleetId, 10, 10, 50)));
        await SliceAsync(fleetId, "trader-c", powerKw: 120, energyKwh: 100); // the freed capacity can be sold again
    }

    [Fact]
    public async Task An_fcr_award_that_would_overbook_the_slices_sold_in_its_period_is_refused()
    {
        var (fleetId, _, _) = await FleetAsync("vb-fcr", online: fixture.Clock.GetUtcNow());
        var from = QuarterHour.Floor(fixture.Clock.GetUtcNow()) + TimeSpan.FromHours(1);
        var services = _grains.GetGrain<Abstractions.GridServices.IFleetGridServicesGrain>(fleetId);
        await SliceAsync(fleetId, "trader-a", powerKw: 150, energyKwh: 100);

        // 180 kW sliceable, 150 kW sold: ±50 kW would overbook them, ±30 kW fits.
        var refused = await Assert.ThrowsAsync<ConflictException>(
            () => services.SetFcrContractAsync(new Abstractions.GridServices.FcrAwardInput(50, From: from, To: from.AddHours(1))));

        Assert.Equal("contractedKw", refused.Field);
        Assert.Contains("at most ±30 kW", refused.Message);
        var awarded = await services.SetFcrContractAsync(new Abstractions.GridServices.FcrAwardInput(30, From: from, To: from.AddHours(1)));
        Assert.Equal(30, Assert.Single(awarded.Awards!).ContractedKw, 6);
    }

    [Fact]
    public async Task An_fcr_award_and_a_slice_booked_at_the_same_instant_never_overbook_the_fleet()
    {
        var (fleetId, _, _) = await FleetAsync("vb-race", online: fixture.Clock.GetUtcNow());
        var from = QuarterHour.Floor(fixture.Clock.GetUtcNow()) + TimeSpan.FromHours(1);
        var services = _grains.GetGrain<Abstractions.GridServices.IFleetGridServicesGrain>(fleetId);

        // 180 kW sliceable: a 150 kW slice and a ±50 kW award each fit alone, not together; at most one may be booked.
        const int Rounds = 40;
        var both = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var slice = _grains.GetGrain<IVirtualBatteryGrain>(VppClusterFixture.NewId("vb-race"));
            var booking = slice.ConfigureAsync(new VirtualBatteryConfig("trader-a", fleetId, 150, 100, InitialSocPercent: 50));
            var award = services.SetFcrContractAsync(new Abstractions.GridServices.FcrAwardInput(50, From: from, To: from.AddHours(1)));
            var sliceBooked = await Booked(booking);
            var awardBooked = await Booked(award);
            Assert.True(sliceBooked || awardBooked, $"round {round}: one of the two fits alone, so one is booked");
            both += sliceBooked && awardBooked ? 1 : 0;

            if (sliceBooked)
            {
                await slice.DeleteAsync();
            }

            if (awardBooked)
            {
                await services.EndFcrContractsAsync();
            }
        }

        Assert.Equal(0, both);

        static async Task<bool> Booked(Task task)
        {
            try
            {
                await task;
                return true;
            }
            catch (Exception ex) when (ex is ConflictException or SliceOverbookedException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// A fleet online 8.5 min before slot S (30 min ahead), with two 90 kW slices of two traders discharging 80 and 40 kW.
    /// </summary>
    private async Task<(DateTimeOffset Slot, string FleetId, string A, string B, IVirtualBatteryGrain First, IVirtualBatteryGrain Second)> TwoTradersAsync(
        string prefix, double energyKwh)
    {
        var slot = QuarterHour.Floor(fixture.Clock.GetUtcNow()) + TimeSpan.FromMinutes(30);
        var (fleetId, a, b) = await FleetAsync(prefix, online: slot - TimeSpan.FromSeconds(510));
        var first = await SliceAsync(fleetId, "trader-a", powerKw: 90, energyKwh: energyKwh);
        var second = await SliceAsync(fleetId, "trader-b", powerKw: 90, energyKwh: energyKwh);
        await first.DispatchAsync(80);
        await second.DispatchAsync(40);
        await fixture.FleetWhenAsync(fleetId, v => v.Services.BaseTargetKw is { } kw && Math.Abs(kw - 120) < 1e-6, "fleet base target 120 kW");
        return (slot, fleetId, a, b, first, second);
    }

    /// <summary>The fleet's curtailment events once there is one for each of the two traders, by trader.</summary>
    private async Task<SliceCurtailmentEvent[]> CurtailmentEventsAsync(string fleetId)
    {
        var events = await Eventually.Until(
            () => _grains.GetGrain<IFleetGrain>(fleetId).GetEventsAsync(50),
            e => e.Count(x => x.Kind == FleetEventKinds.SliceCurtailment) == 2,
            "one curtailment event per trader before the slot");
        return [.. events.OfType<SliceCurtailmentEvent>().OrderBy(e => e.TraderId)];
    }

    /// <summary>A fleet of two lossless batteries, brought online (telemetry at 50 % SoC) at <paramref name="online"/>.</summary>
    private async Task<(string FleetId, string A, string B)> FleetAsync(string prefix, DateTimeOffset online)
    {
        var fleetId = VppClusterFixture.NewId(prefix);
        var a = VppClusterFixture.NewId("a");
        var b = VppClusterFixture.NewId("b");
        foreach (var assetId in new[] { a, b })
        {
            await _grains.GetGrain<IAssetGrain>(assetId).ConfigureAsync(TestSpecs.LosslessBattery(fleetId, maxKw: 100, capacityKwh: 200));
        }

        if (online > fixture.Clock.GetUtcNow())
        {
            fixture.Clock.Advance(online - fixture.Clock.GetUtcNow());
        }

        await MeasureAsync(a, 0);
        await MeasureAsync(b, 0);
        await Eventually.Until(
            () => _grains.GetGrain<IFleetSlicesGrain>(fleetId).GetSliceCapacityAsync(),
            c => c is { RegisteredBatteryPowerKw: 200, AvailableMaxKw: 200 },
            "both batteries registered and online");
        return (fleetId, a, b);
    }

    private async Task<IVirtualBatteryGrain> SliceAsync(string fleetId, string traderId, double powerKw, double energyKwh)
    {
        var slice = _grains.GetGrain<IVirtualBatteryGrain>(VppClusterFixture.NewId("vb"));
        await slice.ConfigureAsync(new VirtualBatteryConfig(traderId, fleetId, powerKw, energyKwh, InitialSocPercent: 50));
        return slice;
    }

    private Task MeasureAsync(string assetId, double kw) => fixture.MeasureAsync(assetId, kw);

    private Task ReportUntilAsync(DateTimeOffset until, params (string AssetId, double Kw)[] reports) => fixture.ReportUntilAsync(until, Every, reports);

    /// <summary>Every <see cref="Every"/> until <paramref name="until"/>, advancing the clock: each asset reports its power at <paramref name="socPercent"/>.</summary>
    /// <summary>
    /// Reports the batteries at <paramref name="socPercent"/> until just past slot <paramref name="slot"/>'s re-validation
    /// (7 min before it). The SoC reaches the fleet through the partitions' reports, asynchronously: the clock crosses the
    /// re-validation only once the fleet holds no more than <paramref name="deliverableKwh"/>.
    /// </summary>
    private async Task ReportAtSocPastRevalidationAsync(
        DateTimeOffset slot, string fleetId, double socPercent, double deliverableKwh, params (string AssetId, double Kw)[] reports)
    {
        var revalidation = slot - TimeSpan.FromMinutes(7);
        await ReportAtSocUntilAsync(revalidation - Every, socPercent, reports);
        await fixture.FleetWhenAsync(
            fleetId, v => v.Storage is { } storage && storage.DeliverableKwh <= deliverableKwh + 1e-6, $"the fleet to know its batteries at {socPercent} % SoC");
        await ReportAtSocUntilAsync(revalidation + Every, socPercent, reports);
    }

    private async Task ReportAtSocUntilAsync(DateTimeOffset until, double socPercent, params (string AssetId, double Kw)[] reports)
    {
        for (var guard = 0; fixture.Clock.GetUtcNow() < until && guard < 100; guard++)
        {
            fixture.Clock.Advance(Every);
            foreach (var (assetId, kw) in reports)
            {
                await fixture.MeasureAsync(assetId, kw, socPercent);
            }
        }
    }
}
