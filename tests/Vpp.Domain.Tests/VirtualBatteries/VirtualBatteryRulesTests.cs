using Vpp.Domain.GridServices;
using Vpp.Domain.Market;
using Vpp.Domain.Schedules;
using Vpp.Domain.VirtualBatteries;

namespace Vpp.Domain.Tests.VirtualBatteries;

public sealed class VirtualBatteryRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Next = Now + QuarterHour.Length;

    // 100 kW, 100 kWh at 50 %; a round trip of 81 % loses 10 % each way.
    private static readonly VirtualBatterySpec Slice = new("trader-a", "fleet-a", 100, 100, 50);
    private const double Efficiency = 0.81;

    private static readonly SliceCapacity Fleet = new(RegisteredPowerKw: 1_000, RegisteredEnergyKwh: 2_000, FcrKw: 100, AfrrUpKw: 50, AfrrDownKw: 20);

    [Fact]
    public void Energy_for_slices_ahead_is_the_batteries_energy_less_the_fleet_plan_before_and_in_the_slot_and_the_commitments()
    {
        var storage = new StoragePool(DeliverableKwh: 100, AbsorbableKwh: 200, RoundTripEfficiency: 0.81, MaxDischargeKw: 500, MaxChargeKw: 500);

        // 7 min before the slot: the fleet-level 40 kW runs for 22 min, the slices' 20 kW for 7, a ±10 kW band is held for 15.
        var (deliverableKwh, absorbableKwh) = SliceEnergy.Headroom(storage, (0, 0), Next - TimeSpan.FromMinutes(7), Next, 40, 20, 10, 10);

        Assert.Equal(100 - (40 * 22 / 60.0) - (20 * 7 / 60.0) - 2.5, deliverableKwh, 9);
        Assert.Equal(200 - 2.5, absorbableKwh, 9);
    }

    [Fact]
    public void Discharging_slices_beyond_the_energy_left_lose_the_same_share_and_charging_ones_keep_theirs()
    {
        // 20 kWh deliverable in the quarter hour: 80 kW net out; 120 kW asked out, 20 kW in, so the sellers keep 100 of 120 kW.
        var result = SliceEnergy.Fit([80, 40, -20], deliverableKwh: 20, absorbableKwh: 1_000);

        Assert.Equal(+1, result.Direction);
        Assert.Equal(1 / 6.0, result.CurtailedShare, 9);
        Assert.Equal(80 * 5 / 6.0, result.SetpointsKw[0], 9);
        Assert.Equal(40 * 5 / 6.0, result.SetpointsKw[1], 9);
        Assert.Equal(-20, result.SetpointsKw[2]);
    }

    [Fact]
    public void Usable_capacity_is_the_registered_batteries_less_the_reserve_and_the_commitments()
    {
        var usable = SliceAllocation.Usable(Fleet, reservePercent: 10);

        Assert.Equal(900 - 100 - 50, usable.PowerKw, 6);
        Assert.Equal(1_800 - ((200 + 50 + 20) * 0.25), usable.EnergyKwh, 6);
    }

    [Fact]
    public void A_slice_beyond_what_is_free_beside_the_others_is_refused_with_what_is_free()
    {
        var others = new[] { Slice with { PowerKw = 500, EnergyKwh = 1_000 } };

        var refusal = SliceAllocation.Refusal(Slice with { PowerKw = 300 }, others, Fleet, reservePercent: 10);

        Assert.NotNull(refusal);
        Assert.Equal(250, refusal.Value.PowerKw, 6);
        Assert.Null(SliceAllocation.Refusal(Slice with { PowerKw = 250 }, others, Fleet, reservePercent: 10));
    }

    [Fact]
    public void Slices_whose_windows_do_not_overlap_do_not_compete()
    {
        var morning = Slice with { PowerKw = 700, From = Now, To = Now.AddHours(2) };
        var afternoon = Slice with { PowerKw = 700, From = Now.AddHours(2), To = Now.AddHours(4) };

        Assert.Null(SliceAllocation.Refusal(afternoon, [morning], Fleet, reservePercent: 10));
        Assert.NotNull(SliceAllocation.Refusal(afternoon with { From = Now.AddHours(1) }, [morning], Fleet, reservePercent: 10));
    }

    [Fact]
    public void A_future_fcr_award_holds_its_band_back_from_slices_in_its_period_only()
    {
        // Nothing due now; ±100 kW awarded for a block four hours ahead.
        var block = (From: Now.AddHours(4), To: Now.AddHours(8));
        var fleet = Fleet with { FcrKw = 0, FcrAwards = new FcrAwardBook([new FcrAward(100, block.From, block.To)]), At = Now };
        var before = Slice with { PowerKw = 850, From = Now, To = block.From };
        var during = before with { From = block.From.AddHours(1), To = block.From.AddHours(2) };

        Assert.Null(SliceAllocation.Refusal(before, [], fleet, reservePercent: 10)); // 900 − 50 kW aFRR
        var refusal = SliceAllocation.Refusal(during, [], fleet, reservePercent: 10);
        Assert.Equal(750, refusal!.Value.PowerKw, 6);
        Assert.Equal(1_800 - ((200 + 50 + 20) * 0.25), refusal.Value.EnergyKwh, 6);
        Assert.NotNull(SliceAllocation.Refusal(before with { To = null }, [], fleet, reservePercent: 10)); // no end: it reaches the block
        Assert.Null(SliceAllocation.Refusal(during with { From = block.To, To = null }, [], fleet, reservePercent: 10));
    }

    [Fact]
    public void An_fcr_award_that_would_overbook_the_slices_sold_in_its_period_is_refused_with_the_largest_that_fits()
    {
        // Without a band: 900 − 50 kW aFRR = 850 kW and 1,800 − 70 × 0.25 = 1,782.5 kWh usable.
        var period = new FcrAward(200, Now.AddHours(4), Now.AddHours(8));
        var sold = new[] { Slice with { PowerKw = 700, EnergyKwh = 1_000 } };

        var refusal = SliceAllocation.AwardRefusal(period, 200, sold, Fleet, reservePercent: 10);

        Assert.Equal((700.0, 1_000.0), (refusal!.Value.SoldPowerKw, refusal.Value.SoldEnergyKwh));
        Assert.Equal(150, refusal.Value.FreePowerKw, 6);
        Assert.Equal(782.5, refusal.Value.FreeEnergyKwh, 6);
        Assert.Equal(150, refusal.Value.LargestAwardKw, 6);
        Assert.Null(SliceAllocation.AwardRefusal(period with { ContractedKw = 150 }, 150, sold, Fleet, reservePercent: 10));

        // Another ±100 kW already awarded in the period leaves room for ±50 kW more.
        Assert.Equal(50, SliceAllocation.AwardRefusal(period with { ContractedKw = 100 }, 200, sold, Fleet, reservePercent: 10)!.Value.LargestAwardKw, 6);

        // The band holds its energy for 15 min each way: 32.5 kWh free beside a 1,750 kWh slice hold ±65 kW.
        var energyBound = SliceAllocation.AwardRefusal(period with { ContractedKw = 100 }, 100, [Slice with { EnergyKwh = 1_750 }], Fleet, reservePercent: 10);
        Assert.Equal(65, energyBound!.Value.LargestAwardKw, 6);

        // Slices whose windows end before the period do not compete with it.
        Assert.Null(SliceAllocation.AwardRefusal(period, 200, [sold[0] with { From = Now, To = period.From }], Fleet, reservePercent: 10));
    }

    [Fact]
    public void Flexibility_holds_back_the_slices_sold_in_their_windows_by_power_or_energy_whichever_limits_the_product()
    {
        // 1,000 kW of batteries each way holding 1,000 kWh each way; one 200 kW / 100 kWh slice in the second slot only.
        var batteries = new StoragePool(1_000, 1_000, 1, 1_000, 1_000);
        var sold = new SoldSlices([Slice with { PowerKw = 200, From = Next, To = Next + QuarterHour.Length }], batteries, NetNowKw: 0);
        FlexibilitySlot[] Offer(SoldSlices slices, TimeSpan product)
        {
            // What the batteries pool for the product: power, or their energy over its duration.
            var kw = Math.Min(1_000, 1_000 / product.TotalHours);
            return [.. Flexibility.Apply([new PooledSlot(Now, kw, kw, 0, 1, 0), new PooledSlot(Next, kw, kw, 0, 1, 0)], product, new Commitments(Domain.Schedules.Schedule.Empty, FcrAwardBook.Empty, Slices: slices))];
        }

        // A quarter hour: power limits, so the slice's 200 kW; 4 hours: energy limits (250 kW), so its 100 kWh / 4 h.
        Assert.Equal([(1_000.0, 1_000.0), (800.0, 800.0)], Offer(sold, QuarterHour.Length).Select(s => (s.UpKw, s.DownKw)));
        Assert.Equal([250.0, 225.0], Offer(sold, TimeSpan.FromHours(4)).Select(s => s.UpKw));

        // A slice discharging 50 kW now already sits in the baseline: it can rise by 150 kW and fall by 250 kW.
        var quarter = Offer(sold with { NetNowKw = 50 }, QuarterHour.Length)[1];
        Assert.Equal((850.0, 750.0), (quarter.UpKw, quarter.DownKw));
        Assert.Equal([(1_000.0, 1_000.0), (1_000.0, 1_000.0)], Offer(SoldSlices.None, QuarterHour.Length).Select(s => (s.UpKw, s.DownKw)));
    }

    [Fact]
    public void Discharging_loses_the_square_root_of_the_round_trip_efficiency_each_way()
    {
        var store = Slice.Store(Efficiency);

        // 25 kWh at the grid take 25 / 0.9 from the store; 25 kWh into it store 25 * 0.9.
        Assert.Equal(50 - (25 / 0.9), VirtualSoc.After(store, 50, 100, 0.25), 9);
        Assert.Equal(50 + (25 * 0.9), VirtualSoc.After(store, 50, -100, 0.25), 9);
    }

    [Theory]
    [InlineData(150, "power")]
    [InlineData(-150, "power")]
    public void A_slot_beyond_the_slices_power_is_refused_for_power(double targetKw, string reason)
    {
        var refusal = Check(Slice, Schedule((Next, targetKw)));

        Assert.Equal(reason, refusal?.ReasonName);
        Assert.Equal("slots[0].targetKw", refusal?.Field);
    }

    [Fact]
    public void A_slot_that_asks_more_energy_than_the_slice_holds_is_refused_for_energy()
    {
        var small = Slice with { EnergyKwh = 10 };

        Assert.Equal(UndeliverableReason.Energy, Check(small, Schedule((Next, 100)))?.Reason);
    }

    [Fact]
    public void Slots_that_empty_the_virtual_battery_are_refused_for_soc_naming_the_slot()
    {
        // From 50 %: each full-power quarter hour takes 27.8 points; the second one runs it empty.
        var refusal = Check(Slice, Schedule((Next, 100), (Next + QuarterHour.Length, 100)));

        Assert.Equal(UndeliverableReason.Soc, refusal?.Reason);
        Assert.Equal("slots[1].targetKw", refusal?.Field);
        Assert.Null(Check(Slice, Schedule((Next, 100), (Next + QuarterHour.Length, -100))));
    }

    [Fact]
    public void Power_outside_the_window_is_refused_for_window_but_zero_is_not()
    {
        var windowed = Slice with { From = Next + QuarterHour.Length };

        Assert.Equal(UndeliverableReason.Window, Check(windowed, Schedule((Next, 10)))?.Reason);
        Assert.Null(Check(windowed, Schedule((Next, 0), (Next + QuarterHour.Length, 10))));
    }

    [Fact]
    public void A_standing_dispatch_holds_until_a_slot_and_the_slice_returns_to_zero_after_the_last_slot()
    {
        var plan = new SlicePlan(CurrentKw: 20, StandingKw: 20, [new ScheduledSlot(Next + QuarterHour.Length, -30)]);

        var quarters = plan.Quarters(Now).Select(q => q.Kw).ToArray();

        Assert.Equal([20, 20, -30], quarters);
        Assert.Equal((0d, (int?)null), plan.KwFrom(Next + (2 * QuarterHour.Length)));
    }

    [Fact]
    public void A_standing_dispatch_that_would_empty_the_slice_before_a_later_slot_is_refused_for_soc()
    {
        // 60 kW from now for half an hour takes 33.3 points; the slot after it asks 80 kW (22.2 points) more: below empty.
        var plan = new SlicePlan(60, 60, [new ScheduledSlot(Next + QuarterHour.Length, 80)]);

        var refusal = Deliverability.Check(Slice, Efficiency, Slice.InitialSocPercent, plan, Now, q => q.SlotIndex is { } i ? $"slots[{i}].targetKw" : "targetKw");

        Assert.Equal(UndeliverableReason.Soc, refusal?.Reason);
    }

    [Fact]
    public void The_outlook_shows_the_soc_the_plan_leads_to_and_the_power_left_in_each_quarter_hour()
    {
        // Lossless 100 kW / 100 kWh at 50 %: 100 kW for a quarter hour takes 25 points; nothing before the window opens.
        var spec = Slice with { To = Next + (3 * QuarterHour.Length) };
        var plan = new SlicePlan(0, 0, [new ScheduledSlot(Next, 100), new ScheduledSlot(Next + QuarterHour.Length, 100)]);

        var outlook = SliceOutlook.Ahead(spec, roundTripEfficiency: 1, socNowPercent: 50, plan, Now, quarters: 5);

        Assert.Equal([50, 50, 25, 0, 0], outlook.Select(o => Math.Round(o.SocStartPercent, 9)));
        Assert.Equal([100, 100, 100, 0, 0], outlook.Select(o => Math.Round(o.AvailableKw.MaxKw, 9)));
        Assert.Equal([-100, -100, -100, -100, 0], outlook.Select(o => Math.Round(o.AvailableKw.MinKw, 9)));
    }

    [Fact]
    public void A_later_plan_starts_at_the_virtual_soc_the_slices_own_plan_leaves_until_then()
    {
        // 100 kW / 100 kWh at 50 %, 81 % round trip (90 % each way). Now is 5 minutes into a quarter hour at 30 kW
        // standing, then a scheduled 60 kW discharge; the slot after it is not scheduled, so the slice returns to 0 kW.
        var now = Now + TimeSpan.FromMinutes(5);
        var plan = new SlicePlan(30, 30, [new ScheduledSlot(Next, 60)]);

        var (quarters, socAt) = SliceOutlook.Until(Slice, Efficiency, 50, plan, now, Next + (3 * QuarterHour.Length), maxQuarters: 3_100);

        Assert.Equal([30.0, 60, 0, 0], quarters.Select(q => q.Kw));
        Assert.Equal([Now, Next, Next + QuarterHour.Length, Next + (2 * QuarterHour.Length)], quarters.Select(q => q.Start));
        // Delivered at the grid: 30 kW × 10 min = 5 kWh, 60 kW × 15 min = 15 kWh; taken from the store ÷ 0.9 each.
        Assert.Equal(50 - ((5 + 15) / 0.9), socAt, 9);
    }

    [Fact]
    public void A_standing_setpoint_is_held_until_then_only_as_far_as_the_virtual_soc_and_the_window_allow()
    {
        // 100 kW standing from now at 50 % (50 kWh in store, 90 % each way). The quarter hour in progress delivers
        // 25 kWh (27.778 kWh out of the store, 22.222 % left); at the next boundary the store sustains 22.222 × 0.9 =
        // 20 kWh, 80 kW for the quarter hour, and then nothing: the book curtails the standing setpoint there.
        var plan = new SlicePlan(100, 100, []);

        var (quarters, socAt) = SliceOutlook.Until(Slice, Efficiency, 50, plan, Now, Now.AddHours(1), maxQuarters: 3_100);

        Assert.Equal([100.0, 80, 0, 0], quarters.Select(q => Math.Round(q.Kw, 9)));
        Assert.Equal(0, socAt, 9);

        // A slice whose window ends after half an hour delivers nothing after it: 30 kW for two quarter hours, 15 kWh.
        var (windowed, socAtEnd) = SliceOutlook.Until(Slice with { To = Now.AddMinutes(30) }, Efficiency, 50, new SlicePlan(30, 30, []), Now, Now.AddHours(1), 3_100);
        Assert.Equal([30.0, 30, 0, 0], windowed.Select(q => q.Kw));
        Assert.Equal(50 - (15 / 0.9), socAtEnd, 9);
    }

    [Fact]
    public void A_plan_that_starts_in_the_current_quarter_hour_or_before_starts_at_the_virtual_soc_now()
    {
        var plan = new SlicePlan(30, 30, []);

        var (quarters, socAt) = SliceOutlook.Until(Slice, Efficiency, 42, plan, Now + TimeSpan.FromMinutes(5), Now, maxQuarters: 3_100);

        Assert.Empty(quarters);
        Assert.Equal(42, socAt);
    }

    [Fact]
    public void Batteries_planned_out_ahead_lower_what_each_slice_may_hold_then_pro_rata_to_its_power()
    {
        // 400 kW each way for slices now; one of two 200 kW battery groups is half out in the second quarter hour.
        Domain.Optimisation.GroupTotals Batteries(double[] unavailableKw) =>
            new("battery@0~100%", Domain.Assets.AssetKind.Battery, 0, 2, 200, -200, 200, null, 1, 400, 0, 400, 200, 0, 0, unavailableKw);
        var groups = Domain.Optimisation.GroupTotals.Fold([Batteries([0, 100]), Batteries([])]);
        var nowKw = new PowerRange(-400, 400);

        var ranges = Enumerable.Range(0, 2).Select(t => SliceAvailability.Out(groups, t)).Select(o => SliceAvailability.Ahead(nowKw, o.DischargeKw, o.ChargeKw)).ToArray();
        Assert.Equal([new PowerRange(-400, 400), new PowerRange(-300, 300)], ranges);

        // 600 kW of slices sold: a 100 kW slice may hold its power while they fit, 100 × 300 / 600 kW when they do not.
        Assert.Equal(new PowerRange(-100, 100), SliceAvailability.Share(new PowerRange(-600, 700), 100, 600));
        Assert.Equal(new PowerRange(-50, 50), SliceAvailability.Share(ranges[1], 100, 600));

        // The outlook holds the slice within its share: 100 kW / 100 kWh at 50 % could hold 100 kW itself.
        var outlook = SliceOutlook.Ahead(Slice, 1, 50, new SlicePlan(0, 0, []), Now, 2, new Dictionary<DateTimeOffset, PowerRange> { [Next] = new(-50, 50) });
        Assert.Equal([100.0, 50.0], outlook.Select(o => o.AvailableKw.MaxKw));
        Assert.Equal([-100.0, -50.0], outlook.Select(o => o.AvailableKw.MinKw));
    }

    [Fact]
    public void Curtailment_cuts_every_slice_by_the_same_share_when_the_net_does_not_fit()
    {
        var result = SliceNetting.ProRata([300, -100, 50], new PowerRange(-500, 125));

        Assert.Equal(0.5, result.CurtailedShare, 9);
        Assert.Equal([150, -50, 25], result.SetpointsKw);
    }

    [Fact]
    public void Opposite_slices_that_net_within_the_fleet_are_not_curtailed()
    {
        var result = SliceNetting.ProRata([300, -250], new PowerRange(-100, 100));

        Assert.False(result.Curtailed);
        Assert.Equal(50, result.NetKw, 9);
    }

    [Fact]
    public void A_spec_names_each_field_it_gets_wrong()
    {
        var errors = new VirtualBatterySpec("123", "fleet a", 0, -1, 101, Now.AddMinutes(1), Now).Validate();

        Assert.Equal(["traderId", "fleetId", "powerKw", "energyKwh", "initialSocPercent", "from", "to"], errors.Select(e => e.Field).Distinct());
    }

    [Fact]
    public void The_fleets_deviation_is_shared_by_the_size_of_each_request()
    {
        // Asked: other 100, slices +200 and -100 (net 200); delivered 160: -40 over weights 100, 200, 100.
        var delivered = SliceSettlement.DeliveredKwh(160, 100, [200, -100]);

        Assert.Equal([180, -110], delivered);
    }

    private static SlicePlan Schedule(params (DateTimeOffset Start, double Kw)[] slots) =>
        new(0, 0, [.. slots.Select(s => new ScheduledSlot(s.Start, s.Kw))]);

    private static Undeliverable? Check(VirtualBatterySpec spec, SlicePlan plan) =>
        Deliverability.Check(spec, Efficiency, spec.InitialSocPercent, plan, Now, q => q.SlotIndex is { } i ? $"slots[{i}].targetKw" : "targetKw");
}
