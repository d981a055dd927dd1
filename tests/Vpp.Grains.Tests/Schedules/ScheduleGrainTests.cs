using Orleans.Runtime;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Schedules;
using Vpp.Domain.Assets;
using Vpp.Domain.Schedules;

namespace Vpp.Grains.Tests.Schedules;

[Collection(VppClusterCollection.Name)]
public sealed class ScheduleGrainTests(VppClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private IFleetScheduleGrain Schedule(string fleetId) => _grains.GetGrain<IFleetScheduleGrain>(fleetId);

    private static ScheduleRequest Utc(DateTimeOffset start, params double[] targetsKw) =>
        new(start, [.. targetsKw.Select(t => new ScheduleSlotRequest(t))]);

    /// <summary>A fleet of two 100 kW batteries with plenty of energy, and the next quarter hour after now.</summary>
    private async Task<(ScheduleFleet Fleet, DateTimeOffset NextQuarter)> TwoBatteriesAsync(string prefix)
    {
        var fleet = new ScheduleFleet(fixture, prefix);
        await fleet.AddBatteryAsync("bat-a", 100, 10, 1000);
        await fleet.AddBatteryAsync("bat-b", 100, 20, 1000);
        await fleet.WhenAsync(v => v.Counts.OnlineCount == 2, "two batteries online");
        return (fleet, QuarterHour.Floor(fixture.Clock.GetUtcNow()) + QuarterHour.Length);
    }

    [Fact]
    public async Task Each_slot_is_dispatched_at_its_boundary_and_the_fleet_returns_to_zero_when_the_schedule_ends()
    {
        var (fleet, start) = await TwoBatteriesAsync("sched");
        var stored = await Schedule(fleet.FleetId).SubmitAsync(Utc(start, 60, 120, 120));
        Assert.Equal([60, 120, 120], stored.Slots.Select(s => s.TargetKw));
        Assert.Empty(stored.Warnings);
        Assert.Null((await fleet.Fleet.GetAsync())!.Dispatch.TargetKw);

        fleet.MoveClockTo(start);
        await fleet.ReportAllAsync();
        // The view shows a target being dispatched before that dispatch has answered: wait for both.
        await fleet.WhenAsync(v => v.Dispatch.TargetKw == 60 && v.Dispatch.LastDispatchAt == start, "the first slot's target dispatched at its boundary");

        fleet.MoveClockTo(start + QuarterHour.Length);
        await fleet.ReportAllAsync();
        await fleet.WhenAsync(
            v => v.Dispatch.TargetKw == 120 && v.Dispatch.LastDispatchAt == start + QuarterHour.Length, "the second slot's target dispatched at its boundary");

        // Same target in the third slot: dispatched again at its boundary, but no new schedule event.
        fleet.MoveClockTo(start + (2 * QuarterHour.Length));
        await fleet.ReportAllAsync();
        await fleet.WhenAsync(v => v.Dispatch.LastDispatchAt == start + (2 * QuarterHour.Length), "the third slot dispatched");

        fleet.MoveClockTo(start + (3 * QuarterHour.Length));
        await fleet.ReportAllAsync();
        await fleet.WhenAsync(
            v => v.Dispatch.TargetKw == 0 && v.Dispatch.LastDispatchAt == start + (3 * QuarterHour.Length), "back to 0 kW at the end of the last slot");

        // The schedule records its event after the dispatch it made has answered: wait for the third.
        var events = await Eventually.Until(
            () => fleet.Fleet.GetEventsAsync(100), es => es.Count(e => e.Kind == FleetEventKinds.Schedule) >= 3, "three schedule events");
        var scheduleEvents = events.OfType<ScheduleEvent>().Reverse().ToList();
        Assert.Equal([60d, 120d, 0d], scheduleEvents.Select(e => e.TargetKw));
        Assert.Contains("ran out", scheduleEvents[^1].Message);
        Assert.All(scheduleEvents, e => Assert.Contains(events, d => d is DispatchEvent dispatch && dispatch.DispatchId == e.DispatchId));
    }

    [Fact]
    public async Task A_slot_dispatched_late_is_requested_over_the_whole_slot_for_settlement()
    {
        var (fleet, start) = await TwoBatteriesAsync("late");
        await Schedule(fleet.FleetId).SubmitAsync(Utc(start, 60));

        // The boundary alarm runs a minute late (a busy silo, a restart): the slot's profile still starts at its start.
        fleet.MoveClockTo(start + TimeSpan.FromMinutes(1));
        await fleet.ReportAllAsync();
        await fleet.WhenAsync(v => v.Dispatch.TargetKw == 60 && v.Dispatch.LastDispatchAt == start + TimeSpan.FromMinutes(1), "the slot dispatched late");

        // Settlement reads the stored target steps beside the fleet: wait until the dispatch's step is stored.
        var settlement = await Eventually.Until(
            () => fixture.Grains.GetGrain<ISettlementQueryGrain>(fleet.FleetId).GetSettlementTotalsAsync(start, start + QuarterHour.Length),
            s => s.Slots.Length == 1 && s.Slots[0].RequestedKwh > 0,
            "the slot's requested energy");

        Assert.Equal(60 * 0.25, Assert.Single(settlement.Slots).RequestedKwh, 6);
    }

    [Fact]
    public async Task A_later_schedule_replaces_the_slots_it_names_and_leaves_the_others_and_a_range_can_be_deleted()
    {
        var (fleet, start) = await TwoBatteriesAsync("replace");
        var schedule = Schedule(fleet.FleetId);
        await schedule.SubmitAsync(Utc(start, 10, 20, 30));
        var replaced = await schedule.SubmitAsync(Utc(start + QuarterHour.Length, 50));
        Assert.Equal([10, 50, 30], replaced.Slots.Select(s => s.TargetKw));

        var read = await schedule.GetAsync(start, start + TimeSpan.FromHours(1));
        Assert.Equal([start, start + QuarterHour.Length, start + (2 * QuarterHour.Length)], read.Slots.Select(s => s.Start));
        Assert.Equal([10, 50, 30], read.Slots.Select(s => s.TargetKw));

        // A range that only touches the third slot's middle still removes that whole slot.
        Assert.Equal(1, await schedule.DeleteAsync(start + TimeSpan.FromMinutes(35), start + TimeSpan.FromMinutes(40)));
        Assert.Equal([10, 50], (await schedule.GetAsync(start, start + TimeSpan.FromHours(1))).Slots.Select(s => s.TargetKw));
        Assert.Equal(0, await schedule.DeleteAsync(start + TimeSpan.FromHours(5), start + TimeSpan.FromHours(6)));
    }

    [Fact]
    public async Task Replacing_the_slot_in_force_dispatches_at_once_and_deleting_it_returns_the_fleet_to_zero()
    {
        var (fleet, start) = await TwoBatteriesAsync("inforce");
        var schedule = Schedule(fleet.FleetId);
        await schedule.SubmitAsync(Utc(start, 40, 40));
        fleet.MoveClockTo(start + TimeSpan.FromMinutes(5));
        await fleet.ReportAllAsync();
        await fleet.WhenAsync(v => v.Dispatch.TargetKw == 40, "the slot in force");

        await schedule.SubmitAsync(Utc(start, 75));
        await fleet.WhenAsync(v => v.Dispatch.TargetKw == 75, "the replaced slot dispatched at once");

        Assert.Equal(1, await schedule.DeleteAsync(start, start + QuarterHour.Length));
        await fleet.WhenAsync(v => v.Dispatch.TargetKw == 0, "back to 0 kW when the slot in force is deleted");

        // The next slot still starts at its boundary.
        fleet.MoveClockTo(start + QuarterHour.Length);
        await fleet.ReportAllAsync();
        await fleet.WhenAsync(v => v.Dispatch.TargetKw == 40, "the next slot at its boundary");
    }

    [Fact]
    public async Task Misaligned_overlapping_empty_infeasible_and_past_slots_are_refused_naming_the_slot_and_nothing_is_stored()
    {
        var (fleet, start) = await TwoBatteriesAsync("refuse");
        var schedule = Schedule(fleet.FleetId);

        await AssertRefusedAsync(Utc(start + TimeSpan.FromMinutes(7), 10), "start");
        await AssertRefusedAsync(new ScheduleRequest(start, []), "slots");
        await AssertRefusedAsync(new ScheduleRequest(start, null), "slots");
        await AssertRefusedAsync(Utc(start, 10, 250), "slots[1].targetKw");
        await AssertRefusedAsync(Utc(start, double.NaN), "slots[0].targetKw");
        await AssertRefusedAsync(Utc(start - TimeSpan.FromHours(1), 10), "slots[0]");
        await AssertRefusedAsync(
            new ScheduleRequest(start, [new ScheduleSlotRequest(10, start + QuarterHour.Length), new ScheduleSlotRequest(20, start)]),
            "slots[1].start");
        await AssertRefusedAsync(
            new ScheduleRequest(start, [new ScheduleSlotRequest(10), new ScheduleSlotRequest(20, start + TimeSpan.FromMinutes(20))]),
            "slots[1].start");
        await AssertRefusedAsync(new ScheduleRequest(start, [new ScheduleSlotRequest(10)], new DateOnly(2027, 3, 28), "Europe/Berlin"), "start");
        await AssertRefusedAsync(new ScheduleRequest(null, [new ScheduleSlotRequest(10)], new DateOnly(2027, 3, 28), "Mars/Olympus"), "timeZone");

        Assert.Empty((await schedule.GetAsync(start - TimeSpan.FromDays(1), start + TimeSpan.FromDays(1))).Slots);
        await Assert.ThrowsAsync<NotFoundException>(() => Schedule(VppClusterFixture.NewId("nofleet")).SubmitAsync(Utc(start, 10)));

        async Task AssertRefusedAsync(ScheduleRequest request, string field)
        {
            var refused = await Assert.ThrowsAsync<InvalidInputException>(() => schedule.SubmitAsync(request));
            Assert.Contains(refused.Problems, p => p.Field == field);
        }
    }

    [Fact]
    public async Task A_local_day_has_92_or_100_quarter_hours_across_the_daylight_saving_changes_and_slots_follow_utc()
    {
        var (fleet, _) = await TwoBatteriesAsync("dst");
        var schedule = Schedule(fleet.FleetId);
        static ScheduleRequest Local(DateOnly day, int count) =>
            new(null, [.. Enumerable.Range(0, count).Select(i => new ScheduleSlotRequest(i))], day, "Europe/Berlin");

        var spring = new DateOnly(2027, 3, 28);
        var autumn = new DateOnly(2027, 10, 31);
        var wrongCount = await Assert.ThrowsAsync<InvalidInputException>(() => schedule.SubmitAsync(Local(spring, 96)));
        Assert.Contains(wrongCount.Problems, p => p.Field == "slots" && p.Message.Contains("92", StringComparison.Ordinal));

        var springStored = await schedule.SubmitAsync(Local(spring, 92));
        Assert.Equal(92, springStored.Slots.Length);
        Assert.Equal(new DateTimeOffset(2027, 3, 27, 23, 0, 0, TimeSpan.Zero), springStored.Slots[0].Start);
        Assert.Equal(new DateTimeOffset(2027, 3, 28, 1, 0, 0, TimeSpan.Zero), springStored.Slots[8].Start); // 03:00 CEST follows 01:45 CET
        Assert.Equal(new DateTimeOffset(2027, 3, 28, 22, 0, 0, TimeSpan.Zero), springStored.Slots[^1].End);

        var autumnStored = await schedule.SubmitAsync(Local(autumn, 100));
        var autumnSlots = autumnStored.Slots.Where(s => s.Start >= new DateTimeOffset(2027, 10, 30, 22, 0, 0, TimeSpan.Zero)).ToList();
        Assert.Equal(100, autumnSlots.Count);
        Assert.Equal(new DateTimeOffset(2027, 10, 31, 23, 0, 0, TimeSpan.Zero), autumnSlots[^1].End);

        // Through the repeated hour: 02:45 CEST is slot 11, the second 02:00 (CET) is slot 12, each at its own UTC instant.
        fleet.MoveClockTo(new DateTimeOffset(2027, 10, 31, 0, 45, 0, TimeSpan.Zero));
        await fleet.WhenAsync(v => v.Dispatch.TargetKw == 11, "slot 11 (02:45 CEST)");
        fleet.MoveClockTo(new DateTimeOffset(2027, 10, 31, 1, 0, 0, TimeSpan.Zero));
        await fleet.WhenAsync(v => v.Dispatch.TargetKw == 12, "slot 12 (02:00 CET, the repeated hour)");
        await schedule.DeleteAsync(new DateTimeOffset(2027, 10, 31, 1, 15, 0, TimeSpan.Zero), new DateTimeOffset(2027, 11, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task After_a_deactivation_in_the_middle_of_a_schedule_the_current_slot_is_still_dispatched()
    {
        var (fleet, start) = await TwoBatteriesAsync("restart");
        var schedule = Schedule(fleet.FleetId);
        await schedule.SubmitAsync(Utc(start, 30, 70));
        fleet.MoveClockTo(start);
        await fleet.WhenAsync(v => v.Dispatch.TargetKw == 30, "the first slot");

        // Deactivate every idle grain (the schedule's timer dies with its activation) and make sure it is gone.
        var management = _grains.GetGrain<IManagementGrain>(0);
        await Eventually.Until(
            async () =>
            {
                await management.ForceActivationCollection(TimeSpan.Zero);
                return await management.GetGrainActivationCount((GrainReference)schedule);
            },
            n => n == 0,
            "the schedule grain deactivated");

        fleet.MoveClockTo(start + QuarterHour.Length);
        await fleet.ReportAllAsync();

        // Any call (in production the boundary reminder) reactivates it; it dispatches the slot it missed.
        var view = await schedule.GetAsync(start, start + TimeSpan.FromHours(1));
        Assert.Equal(2, view.Slots.Length);
        await fleet.WhenAsync(v => v.Dispatch.TargetKw == 70, "the second slot after reactivation");
        await Eventually.Until(
            () => schedule.GetAsync(start, start + TimeSpan.FromHours(1)),
            v => v.AppliedSlotStart == start + QuarterHour.Length,
            "the second slot recorded as applied");
    }

    [Fact]
    public async Task A_schedule_the_batteries_cannot_sustain_is_stored_with_a_warning_naming_the_slot_and_the_shortfall()
    {
        var fleet = new ScheduleFleet(fixture, "energy");
        await fleet.AddBatteryAsync("small", 100, 10, capacityKwh: 100, socPercent: 50);
        var view = await fleet.WhenAsync(v => v.Counts.OnlineCount == 1 && v.Storage is not null, "the battery's energy reported");
        var start = QuarterHour.Floor(fixture.Clock.GetUtcNow()) + QuarterHour.Length;

        // Four slots of 100 kW need 100 kWh; the battery holds about half of that above its minimum.
        var stored = await Schedule(fleet.FleetId).SubmitAsync(Utc(start, 100, 100, 100, 100));

        Assert.Equal(4, stored.Slots.Length);
        Assert.NotEmpty(stored.Warnings);
        Assert.All(stored.Warnings, w => Assert.True(w.Discharging));
        Assert.Equal("slots[3]", stored.Warnings[^1].Field);
        Assert.Equal(start + (3 * QuarterHour.Length), stored.Warnings[^1].SlotStart);
        Assert.Equal(100 - view.Storage!.Value.DeliverableKwh, stored.Warnings.Sum(w => w.ShortfallKwh), 2);

        // Within the energy: no warning.
        var fine = await Schedule(fleet.FleetId).SubmitAsync(Utc(start, 20, 20, 20, 20));
        Assert.Empty(fine.Warnings);
    }
}
