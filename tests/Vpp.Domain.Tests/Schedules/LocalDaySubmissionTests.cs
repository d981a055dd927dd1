using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Tests.Schedules;

/// <summary>The local-time form of a schedule becomes UTC slots; the day's length (92/96/100) is enforced.</summary>
public sealed class LocalDaySubmissionTests
{
    private static List<ScheduleSlotInput?> Targets(int count) => [.. Enumerable.Range(0, count).Select(i => new ScheduleSlotInput(i))];

    [Theory]
    [InlineData(2026, 3, 29, 92, "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z")]
    [InlineData(2026, 10, 25, 100, "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z")]
    [InlineData(2026, 7, 1, 96, "2026-06-30T22:00:00Z", "2026-07-01T22:00:00Z")]
    public void A_berlin_day_becomes_consecutive_utc_slots_covering_the_local_day(int year, int month, int day, int count, string firstStart, string lastEnd)
    {
        var errors = new FieldErrors();

        var submission = LocalDaySubmission.ToSubmission(errors, new DateOnly(year, month, day), "Europe/Berlin", Targets(count));

        Assert.False(errors.Any);
        var slots = submission!.ToSlots();
        Assert.Equal(count, slots.Count);
        Assert.Equal(DateTimeOffset.Parse(firstStart, System.Globalization.CultureInfo.InvariantCulture), slots[0].Start);
        Assert.Equal(DateTimeOffset.Parse(lastEnd, System.Globalization.CultureInfo.InvariantCulture), slots[^1].End);
        Assert.Equal(Enumerable.Range(0, count).Select(i => (double)i), slots.Select(s => s.TargetKw));
    }

    [Fact]
    public void In_autumn_the_repeated_hour_gets_its_own_slots_one_hour_apart_in_utc()
    {
        var slots = LocalDaySubmission.ToSubmission(new FieldErrors(), new DateOnly(2026, 10, 25), "Europe/Berlin", Targets(100))!.ToSlots();

        // Slot 8 is 02:00 CEST (00:00Z), slot 12 is the second 02:00, in CET (01:00Z).
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 0, 0, TimeSpan.Zero), slots[8].Start);
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 1, 0, 0, TimeSpan.Zero), slots[12].Start);
    }

    [Theory]
    [InlineData(2026, 3, 29, 96)]
    [InlineData(2026, 10, 25, 96)]
    [InlineData(2026, 7, 1, 92)]
    public void The_wrong_number_of_slots_for_the_day_is_refused_naming_slots_and_the_count_it_needs(int year, int month, int day, int sent)
    {
        var errors = new FieldErrors();
        var date = new DateOnly(year, month, day);

        Assert.Null(LocalDaySubmission.ToSubmission(errors, date, "Europe/Berlin", Targets(sent)));

        var error = Assert.Single(errors.Errors);
        Assert.Equal("slots", error.Field);
        Assert.Contains(LocalDay.Slots(date, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).Count.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
    }

    [Fact]
    public void An_unknown_zone_and_slots_with_their_own_start_are_refused()
    {
        var errors = new FieldErrors();
        Assert.Null(LocalDaySubmission.ToSubmission(errors, new DateOnly(2026, 7, 1), "Europe/Atlantis", Targets(96)));
        Assert.Equal("timeZone", Assert.Single(errors.Errors).Field);

        var withStart = Targets(96);
        withStart[5] = new ScheduleSlotInput(1, new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero));
        var startErrors = new FieldErrors();
        Assert.Null(LocalDaySubmission.ToSubmission(startErrors, new DateOnly(2026, 7, 1), "Europe/Berlin", withStart));
        Assert.Equal("slots[5].start", Assert.Single(startErrors.Errors).Field);
    }
}
