using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vpp.Domain.Availability;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Tests.Availability;

public sealed class UnavailabilityTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 29, 0, 0, 0, TimeSpan.Zero);

    private static bool IsUnavailable(UnavailabilityCalendar calendar, DateTimeOffset instant) => calendar.OutageAt(instant) is not null;

    private static UnavailabilityWindow Window(string id, int fromHour, int untilHour, UnavailabilityKind kind = UnavailabilityKind.Planned) =>
        new(id, Now.AddHours(fromHour), Now.AddHours(untilHour), kind, "maintenance");

    [Fact]
    public void A_full_calendar_makes_room_by_dropping_the_earliest_ended_windows_only()
    {
        var calendar = UnavailabilityCalendar.Of([Window("late", -5, -1), Window("early", -9, -8), Window("now", -1, 2), Window("next", 3, 4)]);

        Assert.Empty(calendar.RoomForOneMore(Now, maxWindows: 5)!);
        Assert.Equal(["early"], calendar.RoomForOneMore(Now, maxWindows: 4));
        Assert.Equal(["early", "late"], calendar.RoomForOneMore(Now, maxWindows: 3));
        Assert.Null(calendar.RoomForOneMore(Now, maxWindows: 2));
    }

    [Fact]
    public void A_valid_input_becomes_a_utc_window()
    {
        var input = new UnavailabilityInput(Now.AddHours(3).ToOffset(TimeSpan.FromHours(2)), Now.AddHours(5), "unplanned", "inverter fault");
        var window = input.ToWindow("w-1", Now);
        Assert.Equal(new UnavailabilityWindow("w-1", Now.AddHours(3), Now.AddHours(5), UnavailabilityKind.Unplanned, "inverter fault"), window);
        Assert.Equal(TimeSpan.Zero, window.From.Offset);
    }

    [Theory]
    [InlineData(5, 3, "until")]
    [InlineData(5, 5, "until")]
    [InlineData(0, 9000, "until")]
    [InlineData(20000, 20001, "from")]
    public void Until_must_be_after_from_and_the_window_plausible(int fromHour, int untilHour, string field)
    {
        var errors = new UnavailabilityInput(Now.AddHours(fromHour), Now.AddHours(untilHour), "planned", null).Validate(Now);
        Assert.Equal(field, Assert.Single(errors).Field);
    }

    [Fact]
    public void Missing_fields_unknown_kinds_and_long_reasons_are_named()
    {
        var errors = new UnavailabilityInput(null, null, "Planned", new string('x', 501)).Validate(Now);
        Assert.Equal(["from", "until", "kind", "reason"], errors.Select(e => e.Field));
        Assert.Contains("\"planned\", \"unplanned\"", errors[2].Message);
        Assert.Throws<DomainValidationException>(() => new UnavailabilityInput(Now, Now, null, null).ToWindow("x", Now));
    }

    [Fact]
    public void Overlapping_and_touching_windows_merge_into_one_outage()
    {
        var calendar = UnavailabilityCalendar.Of([Window("a", 1, 3), Window("b", 2, 5), Window("c", 5, 6), Window("d", 8, 9, UnavailabilityKind.Unplanned)]);

        Assert.Equal(4, calendar.Windows.Count);
        Assert.Equal(2, calendar.Outages.Count);
        Assert.Equal((Now.AddHours(1), Now.AddHours(6), true), (calendar.Outages[0].From, calendar.Outages[0].Until, calendar.Outages[0].Planned));
        Assert.Equal(["a", "b", "c"], calendar.Outages[0].WindowIds);
        Assert.False(calendar.Outages[1].Planned);
    }

    [Fact]
    public void A_window_inside_another_does_not_shorten_it_and_an_unplanned_one_makes_the_outage_unplanned()
    {
        var calendar = UnavailabilityCalendar.Of([Window("long", 1, 10), Window("inner", 2, 3, UnavailabilityKind.Unplanned)]);
        var outage = Assert.Single(calendar.Outages);
        Assert.Equal((Now.AddHours(1), Now.AddHours(10), false), (outage.From, outage.Until, outage.Planned));
    }

    [Fact]
    public void Unavailable_from_the_start_inclusive_to_the_end_exclusive()
    {
        var calendar = UnavailabilityCalendar.Empty.With(Window("a", 1, 2));
        Assert.False(IsUnavailable(calendar, Now.AddHours(1).AddTicks(-1)));
        Assert.True(IsUnavailable(calendar, Now.AddHours(1)));
        Assert.True(IsUnavailable(calendar, Now.AddHours(2).AddTicks(-1)));
        Assert.False(IsUnavailable(calendar, Now.AddHours(2)));
        Assert.True(calendar.IsUnavailableDuring(Now.AddMinutes(45), Now.AddMinutes(60).AddTicks(1)));
        Assert.False(calendar.IsUnavailableDuring(Now.AddMinutes(45), Now.AddMinutes(60)));
    }

    [Fact]
    public void Windows_can_be_replaced_deleted_and_expired_by_id()
    {
        var calendar = UnavailabilityCalendar.Of([Window("a", 1, 2), Window("b", 3, 4)]).With(Window("a", 5, 6));
        Assert.Equal(["b", "a"], calendar.Windows.Select(w => w.Id));

        var (without, removed) = calendar.Without("b");
        Assert.True(removed);
        Assert.Equal(["a"], without.Windows.Select(w => w.Id));
        Assert.False(without.Without("nope").Removed);
        Assert.Equal(["a"], calendar.EndedBefore(Now.AddHours(4)).Windows.Select(w => w.Id));
    }

    [Fact]
    public void Next_change_is_announced_ahead_for_an_outage_and_on_time_for_the_return()
    {
        var calendar = UnavailabilityCalendar.Of([Window("a", 2, 3), Window("b", 3, 4), Window("c", 6, 7)]);
        var lead = TimeSpan.FromMinutes(5);

        Assert.Equal(new AvailabilityChange(Now.AddHours(2), false, Now.AddHours(2) - lead), calendar.NextChange(Now, lead));
        // Inside the lead the outage is in force: the next change is the return.
        Assert.Equal(new AvailabilityChange(Now.AddHours(4), true, Now.AddHours(4)), calendar.NextChange(Now.AddHours(2).AddMinutes(-1), lead));
        Assert.Null(calendar.OutageAt(Now.AddHours(2).AddMinutes(-6), lead));
        Assert.Equal(Now.AddHours(2), calendar.OutageAt(Now.AddHours(2).AddMinutes(-5), lead)!.From);
        Assert.Null(calendar.OutageAt(Now.AddHours(2).AddMinutes(-1))); // without a lead only from its start
        Assert.Null(calendar.OutageAt(Now.AddHours(4), lead));
        Assert.Equal(new AvailabilityChange(Now.AddHours(4), true, Now.AddHours(4)), calendar.NextChange(Now.AddHours(2), lead));
        Assert.Equal(Now.AddHours(6), calendar.NextChange(Now.AddHours(4))!.Value.At);
        Assert.Null(calendar.NextChange(Now.AddHours(7)));
    }

    [Fact]
    public void A_fleet_acts_on_the_earliest_change_of_any_asset()
    {
        var first = UnavailabilityCalendar.Of([Window("a", 5, 6)]);
        var second = UnavailabilityCalendar.Of([Window("b", 2, 8)]);
        Assert.Equal(Now.AddHours(2), UnavailabilityCalendar.NextChange([first, second, UnavailabilityCalendar.Empty], Now)!.Value.At);
        Assert.Equal(Now.AddHours(5), UnavailabilityCalendar.NextChange([first, second], Now.AddHours(3))!.Value.At);
        Assert.Null(UnavailabilityCalendar.NextChange([UnavailabilityCalendar.Empty], Now));
    }

    private static Arbitrary<UnavailabilityWindow[]> Windows =>
        Gen.ListOf(
                from start in Gen.Choose(0, 200)
                from length in Gen.Choose(1, 30)
                from unplanned in Gen.Elements(false, true)
                select (start, length, unplanned))
            .Select(l => l.Select((w, i) => new UnavailabilityWindow($"w{i}", Now.AddMinutes(w.start), Now.AddMinutes(w.start + w.length),
                w.unplanned ? UnavailabilityKind.Unplanned : UnavailabilityKind.Planned, null)).ToArray())
            .ToArbitrary();

    [Property]
    public Property Merged_outages_cover_exactly_the_instants_some_window_covers() =>
        Prop.ForAll(Windows, windows =>
        {
            var calendar = UnavailabilityCalendar.Of(windows);
            var sameCover = Enumerable.Range(-1, 240).All(m => IsUnavailable(calendar, Now.AddMinutes(m)) == windows.Any(w => w.Covers(Now.AddMinutes(m))));
            var disjoint = calendar.Outages.Zip(calendar.Outages.Skip(1)).All(p => p.First.Until < p.Second.From);
            var everyId = calendar.Outages.SelectMany(o => o.WindowIds).Order().SequenceEqual(windows.Select(w => w.Id).Order());
            return sameCover.Label("cover").And(disjoint).Label("disjoint and not touching").And(everyId).Label("ids");
        });

    [Property]
    public Property Availability_never_changes_before_the_announced_next_change() =>
        Prop.ForAll(Windows, Gen.Choose(-5, 240).ToArbitrary(), (windows, minute) =>
        {
            var calendar = UnavailabilityCalendar.Of(windows);
            var now = Now.AddMinutes(minute);
            var next = calendar.NextChange(now);
            var until = next?.At ?? Now.AddMinutes(260);
            var steady = Enumerable.Range(0, (int)(until - now).TotalMinutes).All(m => IsUnavailable(calendar, now.AddMinutes(m)) == IsUnavailable(calendar, now));
            var changes = next is not { } n || (IsUnavailable(calendar, n.At) == !n.BecomesAvailable && IsUnavailable(calendar, now) == n.BecomesAvailable);
            return steady && changes;
        });
}
