using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Tests.Schedules;

public sealed class ScheduleSubmissionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 29, 0, 20, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Start = new(2026, 3, 29, 1, 0, 0, TimeSpan.Zero);
    private static readonly PowerRange Fleet = new(-500, 1000);

    private static ScheduleSubmission Dense(DateTimeOffset? start, params double?[] targetsKw) =>
        new(start, targetsKw.Select(kw => (ScheduleSlotInput?)new ScheduleSlotInput(kw)).ToList());

    private static string[] Fields(ScheduleSubmission submission) =>
        submission.Validate(Fleet, Now).Select(e => e.Field).ToArray();

    /// <summary>What the schedule grain stores: the slots of a submission that validates.</summary>
    private static IReadOnlyList<ScheduledSlot> Accepted(ScheduleSubmission submission)
    {
        Assert.Empty(submission.Validate(Fleet, Now));
        return submission.ToSlots();
    }

    [Fact]
    public void A_dense_submission_becomes_consecutive_quarter_hour_slots()
    {
        var slots = Accepted(Dense(Start, 100, -200, 0));
        Assert.Equal(
            [new(Start, 100), new(Start.AddMinutes(15), -200), new(Start.AddMinutes(30), 0)],
            slots);
    }

    [Fact]
    public void A_start_given_with_an_offset_is_the_same_instant_in_utc()
    {
        var slots = Accepted(Dense(new DateTimeOffset(2026, 3, 29, 2, 0, 0, TimeSpan.FromHours(1)), 100));
        Assert.Equal(Start, slots[0].Start);
        Assert.Equal(TimeSpan.Zero, slots[0].Start.Offset);
    }

    [Fact]
    public void Start_is_required_and_must_be_on_a_quarter_hour()
    {
        Assert.Equal(["start"], Fields(Dense(null, 100)));
        Assert.Equal(["start"], Fields(Dense(Start.AddMinutes(7), 100)));
        Assert.Equal(["start"], Fields(Dense(Start.AddSeconds(1), 100)));
    }

    [Fact]
    public void An_empty_or_missing_slot_list_is_refused()
    {
        Assert.Equal(["slots"], Fields(new ScheduleSubmission(Start, [])));
        Assert.Equal(["slots"], Fields(new ScheduleSubmission(Start, null)));
    }

    [Fact]
    public void An_empty_slot_is_refused_naming_the_slot()
    {
        Assert.Equal(["slots[1]"], Fields(new ScheduleSubmission(Start, [new(100), null, new(50)])));
        Assert.Equal(["slots[2].targetKw"], Fields(Dense(Start, 100, 50, null)));
        Assert.Equal(["slots[0].targetKw"], Fields(Dense(Start, double.NaN)));
    }

    [Fact]
    public void Targets_outside_the_fleets_possible_range_are_refused_naming_the_slot_and_the_range()
    {
        var errors = Dense(Start, 100, 1000, 1000.5, -500, -501).Validate(Fleet, Now);
        Assert.Equal(["slots[2].targetKw", "slots[4].targetKw"], errors.Select(e => e.Field));
        Assert.Contains("-500 and 1000 kW", errors[0].Message);
    }

    [Fact]
    public void Overlapping_or_misaligned_explicit_slot_starts_are_refused()
    {
        var overlapping = new ScheduleSubmission(Start, [new(100), new(100, Start.AddMinutes(15)), new(100, Start.AddMinutes(15))]);
        Assert.Equal(["slots[2].start"], Fields(overlapping));

        var earlier = new ScheduleSubmission(Start, [new(100), new(100, Start.AddMinutes(-15))]);
        Assert.Equal(["slots[1].start"], Fields(earlier));

        var misaligned = new ScheduleSubmission(Start, [new(100), new(100, Start.AddMinutes(20))]);
        Assert.Equal(["slots[1].start"], Fields(misaligned));

        var beforeStart = new ScheduleSubmission(Start, [new(100, Start.AddMinutes(-15))]).Validate(Fleet, Now);
        Assert.Equal("slots[0].start", Assert.Single(beforeStart).Field);
        Assert.Contains("before start", beforeStart[0].Message);
    }

    [Fact]
    public void Explicit_starts_may_leave_gaps()
    {
        var slots = Accepted(new ScheduleSubmission(Start, [new(100), new(200, Start.AddHours(2)), new(300)]));
        Assert.Equal([Start, Start.AddHours(2), Start.AddHours(2).AddMinutes(15)], slots.Select(s => s.Start));
    }

    [Fact]
    public void A_slot_that_has_already_ended_is_refused_but_the_running_one_is_accepted()
    {
        var running = new DateTimeOffset(2026, 3, 29, 0, 15, 0, TimeSpan.Zero);
        Assert.Equal(["slots[0]"], Fields(Dense(running.AddMinutes(-15), 100, 100)));
        Assert.Empty(Fields(Dense(running, 100, 100)));
    }

    [Fact]
    public void Too_many_slots_or_a_start_too_far_ahead_are_refused()
    {
        var rules = new ScheduleRules { MaxSlots = 4, MaxHorizon = TimeSpan.FromDays(1) };
        Assert.Equal(["slots"], Dense(Start, 1, 2, 3, 4, 5).Validate(Fleet, Now, rules).Select(e => e.Field));
        Assert.Equal(["slots[0]"], Dense(Start.AddDays(2), 1).Validate(Fleet, Now, rules).Select(e => e.Field));
    }

    [Fact]
    public void Every_problem_is_reported_at_once_and_the_exception_carries_them()
    {
        // The first slot names its own start: a slot's range is the one planned for its start, so it needs one.
        var submission = new ScheduleSubmission(Start.AddMinutes(1), [new(5000, Start), null, new(double.PositiveInfinity)]);
        Assert.Equal(["start", "slots[0].targetKw", "slots[1]", "slots[2].targetKw"], submission.Validate(Fleet, Now).Select(e => e.Field));
    }
}
