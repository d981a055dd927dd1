using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Tests.Schedules;

public sealed class LocalDayTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public void The_day_clocks_go_forward_has_92_quarter_hours_and_no_local_two_oclock()
    {
        var slots = LocalDay.Slots(new DateOnly(2026, 3, 29), Berlin);

        Assert.Equal(92, slots.Count);
        Assert.Equal(new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero), slots[0].StartUtc);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 0, 0, 0, TimeSpan.FromHours(1)), slots[0].StartLocal);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 45, 0, TimeSpan.FromHours(1)), slots[7].StartLocal);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 3, 0, 0, TimeSpan.FromHours(2)), slots[8].StartLocal);
        Assert.DoesNotContain(slots, s => s.StartLocal.Hour == 2);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 22, 0, 0, TimeSpan.Zero), slots[^1].EndUtc);
    }

    [Fact]
    public void The_day_clocks_go_back_has_100_quarter_hours_with_two_oclock_twice()
    {
        var slots = LocalDay.Slots(new DateOnly(2026, 10, 25), Berlin);

        Assert.Equal(100, slots.Count);
        var twoOClock = slots.Where(s => s.StartLocal.Hour == 2 && s.StartLocal.Minute == 0).ToArray();
        Assert.Equal(2, twoOClock.Length);
        Assert.Equal(TimeSpan.FromHours(2), twoOClock[0].StartLocal.Offset);
        Assert.Equal(TimeSpan.FromHours(1), twoOClock[1].StartLocal.Offset);
        Assert.Equal(twoOClock[0].StartUtc.AddHours(1), twoOClock[1].StartUtc);
        Assert.Equal(Enumerable.Range(0, 100), slots.Select(s => s.Index));
    }

    [Fact]
    public void An_ordinary_day_has_96_quarter_hours()
    {
        Assert.Equal(96, LocalDay.Slots(new DateOnly(2026, 7, 1), Berlin).Count);
        Assert.Equal(96, LocalDay.Slots(new DateOnly(2026, 3, 29), TimeZoneInfo.Utc).Count);
    }

    [Fact]
    public void A_schedule_over_the_long_day_lists_every_slot_once_in_local_time()
    {
        var day = new DateOnly(2026, 10, 25);
        var start = new DateTimeOffset(2026, 10, 24, 22, 0, 0, TimeSpan.Zero);
        var schedule = Schedule.Of(Enumerable.Range(0, 100).Select(i => new ScheduledSlot(start.AddMinutes(15 * i), i)));

        var listed = LocalDay.Slots(day, Berlin);

        Assert.Equal(Enumerable.Range(0, 100).Select(i => (double?)i), listed.Select(s => schedule.TargetAt(s.StartUtc)));
        Assert.Null(schedule.TargetAt(listed[^1].EndUtc));
    }

    [Fact]
    public void Time_zones_are_found_by_iana_id_and_unknown_ids_name_the_field()
    {
        var errors = new FieldErrors();
        Assert.Equal("Europe/Berlin", LocalDay.FindZone(errors, "timeZone", "Europe/Berlin")!.Id);
        Assert.Null(LocalDay.FindZone(errors, "timeZone", "Mars/Olympus_Mons"));
        Assert.Null(LocalDay.FindZone(errors, "timeZone", " "));
        Assert.Equal(["timeZone", "timeZone"], errors.Errors.Select(e => e.Field));
    }

    private static readonly string[] Zones = ["Europe/Berlin", "Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago", "Pacific/Chatham"];

    [Property(MaxTest = 200)]
    public Property Every_local_day_is_covered_by_contiguous_quarter_hours_from_local_midnight_to_midnight() =>
        Prop.ForAll(Gen.Elements(Zones).ToArbitrary(), Gen.Choose(0, 3650).ToArbitrary(), (zoneId, offsetDays) =>
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
            var day = new DateOnly(2020, 1, 1).AddDays(offsetDays);
            var slots = LocalDay.Slots(day, zone);
            var next = LocalDay.Slots(day.AddDays(1), zone);
            var contiguous = slots.Zip(slots.Skip(1)).All(p => p.Second.StartUtc == p.First.EndUtc);
            var joinsNextDay = slots[^1].EndUtc == next[0].StartUtc;
            var local = slots.All(s => DateOnly.FromDateTime(s.StartLocal.DateTime) == day);
            return (contiguous && joinsNextDay && local && slots.Count is >= 92 and <= 100).Label($"{zoneId} {day}: {slots.Count}");
        });
}
