using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vpp.Domain.Schedules;

namespace Vpp.Domain.Tests.Schedules;

public sealed class ScheduleTests
{
    private static readonly DateTimeOffset T = new(2026, 10, 25, 0, 0, 0, TimeSpan.Zero);

    private static IEnumerable<ScheduledSlot> Run(DateTimeOffset start, params double[] targetsKw) =>
        targetsKw.Select((kw, i) => new ScheduledSlot(start.AddMinutes(15 * i), kw));

    [Fact]
    public void A_later_submission_replaces_only_the_slots_it_names()
    {
        var schedule = Schedule.Of(Run(T, 10, 20, 30, 40)).With(Run(T.AddMinutes(30), 300, 400, 500));
        Assert.Equal([10, 20, 300, 400, 500], schedule.Slots.Select(s => s.TargetKw));
    }

    [Fact]
    public void The_target_holds_from_the_slot_start_inclusive_to_its_end_exclusive()
    {
        var schedule = Schedule.Of(Run(T, 10, 20));
        Assert.Null(schedule.TargetAt(T.AddTicks(-1)));
        Assert.Equal(10, schedule.TargetAt(T));
        Assert.Equal(10, schedule.TargetAt(T.AddMinutes(15).AddTicks(-1)));
        Assert.Equal(20, schedule.TargetAt(T.AddMinutes(15)));
        Assert.Null(schedule.TargetAt(T.AddMinutes(30)));
    }

    [Fact]
    public void The_target_at_an_instant_does_not_depend_on_the_offset_it_is_expressed_in()
    {
        var schedule = Schedule.Of(Run(T, 10, 20));
        Assert.Equal(20, schedule.TargetAt(new DateTimeOffset(2026, 10, 25, 2, 20, 0, TimeSpan.FromHours(2))));
    }

    [Fact]
    public void Next_change_skips_equal_neighbours_and_stops_at_the_end_of_a_run()
    {
        var schedule = Schedule.Of(Run(T, 10, 10, 30)).With(Run(T.AddHours(2), 50));
        Assert.Equal(T, schedule.NextChange(T.AddMinutes(-5)));
        Assert.Equal(T.AddMinutes(30), schedule.NextChange(T));
        Assert.Equal(T.AddMinutes(30), schedule.NextChange(T.AddMinutes(20)));
        Assert.Equal(T.AddMinutes(45), schedule.NextChange(T.AddMinutes(30)));
        Assert.Equal(T.AddHours(2), schedule.NextChange(T.AddMinutes(45)));
        Assert.Equal(T.AddHours(2).AddMinutes(15), schedule.NextChange(T.AddHours(2)));
        Assert.Null(schedule.NextChange(T.AddHours(2).AddMinutes(15)));
        Assert.Null(Schedule.Empty.NextChange(T));
    }

    [Fact]
    public void Ended_slots_can_be_dropped()
    {
        var schedule = Schedule.Of(Run(T, 10, 20, 30)).EndedBefore(T.AddMinutes(20));
        Assert.Equal([20, 30], schedule.Slots.Select(s => s.TargetKw));
        Assert.Equal([20.0], schedule.Between(T.AddMinutes(15), T.AddMinutes(30)).Select(s => s.TargetKw));
    }

    [Fact]
    public void A_misaligned_slot_cannot_enter_a_schedule()
    {
        Assert.Throws<ArgumentException>(() => Schedule.Of([new ScheduledSlot(T.AddMinutes(1), 5)]));
    }

    private static Arbitrary<ScheduledSlot[]> Submissions =>
        Gen.ListOf(Gen.Choose(0, 40).SelectMany(q => Gen.Choose(-100, 100).Select(kw => new ScheduledSlot(T.AddMinutes(15 * q), kw))))
            .Select(l => l.DistinctBy(s => s.Start).ToArray())
            .ToArbitrary();

    [Property]
    public Property The_latest_submission_wins_for_its_slots_and_the_rest_is_kept() =>
        Prop.ForAll(Submissions, Submissions, (first, second) =>
        {
            var schedule = Schedule.Of(first).With(second);
            var fromSecond = second.All(s => schedule.TargetAt(s.Start) == s.TargetKw);
            var keptFromFirst = first.Where(f => second.All(s => s.Start != f.Start)).All(f => schedule.TargetAt(f.Start) == f.TargetKw);
            var count = schedule.Count == first.Select(s => s.Start).Union(second.Select(s => s.Start)).Count();
            return fromSecond && keptFromFirst && count;
        });

    [Property]
    public Property The_target_only_changes_at_the_instants_next_change_announces() =>
        Prop.ForAll(Submissions, Gen.Choose(-10, 700).ToArbitrary(), (slots, minute) =>
        {
            var schedule = Schedule.Of(slots);
            var now = T.AddMinutes(minute);
            var next = schedule.NextChange(now);
            var horizon = next ?? T.AddHours(12);
            var unchanged = QuarterHour.Starts(now, horizon).Skip(1).All(q => schedule.TargetAt(q) == schedule.TargetAt(now));
            var changes = next is not { } n || schedule.TargetAt(n) != schedule.TargetAt(now);
            return unchanged && changes;
        });
}
