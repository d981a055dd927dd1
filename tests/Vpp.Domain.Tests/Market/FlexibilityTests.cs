using Vpp.Domain.Assets;
using Vpp.Domain.Availability;
using Vpp.Domain.GridServices;
using Vpp.Domain.Market;
using Vpp.Domain.Schedules;
using Vpp.Domain.Tests.Assets;
using Vpp.Domain.Validation;
using static Vpp.Domain.Tests.Market.MarketCases;

namespace Vpp.Domain.Tests.Market;

public sealed class FlexibilityTests
{
    private static readonly DateTimeOffset T = BerlinMidnight;
    private static readonly TimeSpan Slot = QuarterHour.Length;
    private static readonly SlotRange FourSlots = new(T, T.AddHours(1));

    [Fact]
    public void Flexibility_adds_up_over_assets_per_direction()
    {
        var assets = new[] { Symmetric("a", 100), new FlexAsset("load", -300, -100, -300, null, null, UnavailabilityCalendar.Empty) };
        var slot = Flexibility.Of(assets, FourSlots, Slot)[0];
        Assert.Equal((300.0, 100.0), (slot.UpKw, slot.DownKw));
        Assert.Equal((75.0, 25.0), (slot.UpKwh, slot.DownKwh));
        Assert.Equal(4, Flexibility.Of(assets, FourSlots, Slot).Count);
    }

    [Fact]
    public void A_battery_offers_a_long_product_only_up_to_its_energy_over_the_duration()
    {
        // ±100 kW, 200 kWh at 50 % (10–90 %, η = √0.9): 80·η kWh deliverable, 80/η kWh absorbable.
        var eta = Math.Sqrt(0.9);
        var battery = FlexAsset.Of("bat", Specs.Battery(), Specs.Online() with { StateOfChargePercent = 50 }, UnavailabilityCalendar.Empty, T);

        var fourHours = Flexibility.Of([battery], FourSlots, TimeSpan.FromHours(4))[0];
        Assert.Equal(80 * eta / 4, fourHours.UpKw, 9);
        Assert.Equal(80 / eta / 4, fourHours.DownKw, 9);

        var quarterHour = Flexibility.Of([battery], FourSlots, Slot)[0];
        Assert.Equal((100.0, 100.0), (quarterHour.UpKw, quarterHour.DownKw)); // power, not energy, limits a 15-minute product
    }

    [Fact]
    public void A_planned_outage_takes_the_asset_out_of_every_slot_it_touches()
    {
        var window = new UnavailabilityWindow("w", T.AddMinutes(20), T.AddMinutes(25), UnavailabilityKind.Planned, "inspection");
        var assets = new[] { Symmetric("a", 100, UnavailabilityCalendar.Of([window])), Symmetric("b", 50) };

        var slots = Flexibility.Of(assets, FourSlots, Slot);

        Assert.Equal([150.0, 50.0, 150.0, 150.0], slots.Select(s => s.UpKw));
        Assert.Equal([0, 1, 0, 0], slots.Select(s => s.AssetsNotCounted));
    }

    [Fact]
    public void Committed_schedule_and_fcr_reserve_are_not_offered_again()
    {
        var assets = new[] { Symmetric("a", 1000) };
        var schedule = Schedule.Of([new ScheduledSlot(T, 600)]);

        var slots = Flexibility.Of(assets, FourSlots, Slot, new Commitments(schedule, new FcrAwardBook([new FcrAward(100, T, T.AddHours(1))])));

        Assert.Equal((300.0, 1500.0), (slots[0].UpKw, slots[0].DownKw));
        Assert.Equal((900.0, 900.0), (slots[1].UpKw, slots[1].DownKw));
    }

    [Fact]
    public void An_fcr_award_is_held_back_only_in_the_slots_of_its_period_and_overlapping_awards_add_up()
    {
        var assets = new[] { Symmetric("a", 1000) };
        var awards = new FcrAwardBook([new FcrAward(100, T.AddMinutes(15), T.AddMinutes(45)), new FcrAward(50, T.AddMinutes(30), T.AddHours(2))]);

        var slots = Flexibility.Of(assets, FourSlots, Slot, new Commitments(Schedule.Empty, awards));

        Assert.Equal([1000.0, 900.0, 850.0, 950.0], slots.Select(s => s.UpKw));
        Assert.Equal([1000.0, 900.0, 850.0, 950.0], slots.Select(s => s.DownKw));
    }

    [Fact]
    public void Afrr_capacity_sold_is_not_offered_again_in_its_direction()
    {
        var assets = new[] { Symmetric("a", 1000) };

        var slots = Flexibility.Of(assets, FourSlots, Slot, new Commitments(Schedule.Empty, FcrAwardBook.Empty, AfrrUpKw: 300, AfrrDownKw: 1200));

        Assert.All(slots, s => Assert.Equal((700.0, 0.0), (s.UpKw, s.DownKw)));
    }

    [Fact]
    public void Assets_offer_by_kind_and_state()
    {
        var online = Specs.Online();
        var empty = UnavailabilityCalendar.Empty;

        var unknownSoc = FlexAsset.Of("b", Specs.Battery(), online with { StateOfChargePercent = null }, empty, T);
        Assert.Equal((0.0, 0.0), (unknownSoc.UpKw, unknownSoc.DownKw));

        var offline = FlexAsset.Of("b", Specs.Battery(), online with { Status = AssetStatus.Offline, StateOfChargePercent = 50 }, empty, T);
        Assert.Equal((0.0, 0.0), (offline.UpKw, offline.DownKw));

        var load = FlexAsset.Of("l", Specs.FlexibleLoad(), online, empty, T);
        Assert.Equal(Specs.FlexibleLoad().MaxPowerKw - Specs.FlexibleLoad().MinPowerKw, load.UpKw);
        Assert.Equal(0, load.DownKw);

        var chp = FlexAsset.Of("c", Specs.Chp(), online with { SetpointKw = 60 }, empty, T);
        Assert.Equal((40.0, 60.0), (chp.UpKw, chp.DownKw));
    }

    [Fact]
    public void Solar_offers_curtailment_of_what_it_produces_now_and_only_for_the_current_slot()
    {
        var solar = FlexAsset.Of("s", Specs.Solar(), Specs.Online() with { AvailablePowerKw = 70, ActivePowerKw = 70 }, UnavailabilityCalendar.Empty, T.AddMinutes(5));
        Assert.Equal((0.0, 70.0), (solar.UpKw, solar.DownKw));

        var slots = Flexibility.Of([solar], FourSlots, Slot);
        Assert.Equal([70.0, 0, 0, 0], slots.Select(s => s.DownKw));
    }

    [Fact]
    public void Query_ranges_are_widened_to_whole_slots_and_checked()
    {
        Assert.Equal(new SlotRange(T, T.AddMinutes(30)), SlotRange.Parse(new FieldErrors(), T.AddMinutes(1), T.AddMinutes(16), maxSlots: 96));

        string[] Fields(DateTimeOffset? from, DateTimeOffset? to)
        {
            var errors = new FieldErrors();
            SlotRange.Parse(errors, from, to, maxSlots: 96);
            return errors.Errors.Select(e => e.Field).ToArray();
        }

        Assert.Equal(["from", "to"], Fields(null, null));
        Assert.Equal(["to"], Fields(T, T));
        Assert.Equal(["to"], Fields(T, T.AddDays(1).AddMinutes(1)));
        Assert.Empty(Fields(T, T.AddDays(1)));
    }
}
