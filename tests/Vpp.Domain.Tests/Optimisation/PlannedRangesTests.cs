using Vpp.Domain.Assets;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Schedules;
using static Vpp.Domain.Tests.Optimisation.OptimisationCases;

namespace Vpp.Domain.Tests.Optimisation;

/// <summary>The fleet's range per slot as planned, and a schedule checked slot by slot against it.</summary>
public sealed class PlannedRangesTests
{
    private static readonly DateTimeOffset Now = Midnight.AddHours(-1);

    // A 100 kW battery out of service in the first slot only; PV forecast 0 kW then 200 kW; a 30 kW load curtailable to 10 kW.
    private static PlannedRanges Ranges() => PlannedRanges.Of(
        [
            Battery(powerKw: 100) with { AvailableShare = [0, 1] },
            new RenewableGroup("pv", AssetKind.Solar, 1, [0, 200]),
            new FlexibleLoadGroup("load", 1, 30, 10, 50),
        ],
        [
            new GroupTotals("battery", AssetKind.Battery, 0, 1, 100, -100, 100, null, 0.81, 100, 0, 100, 50, 0, 0, []),
            new GroupTotals("pv", AssetKind.Solar, 0, 1, 250, 0, 0, null, 1, 0, 0, 0, 0, 0, 0, []),
            new GroupTotals("load", AssetKind.FlexibleLoad, 50, 1, 30, -30, -10, null, 1, 0, 0, 0, 0, 0, 0, []),
        ],
        Midnight,
        slots: 2);

    [Fact]
    public void Each_slot_has_the_range_of_its_own_availability_and_forecast_and_beyond_the_plan_the_registered_one()
    {
        var ranges = Ranges();

        Assert.Equal(new PowerRange(-30, -10), ranges.At(Midnight)); // battery out, no sun: the load alone
        Assert.Equal(new PowerRange(-130, 290), ranges.At(Midnight.AddMinutes(15)));
        Assert.Equal(new PowerRange(-30, 190), ranges.WithoutStorageAt(Midnight.AddMinutes(15)));
        Assert.Equal(new PowerRange(-130, 340), ranges.At(Midnight.AddMinutes(30))); // PV at its rated 250 kW
    }

    [Fact]
    public void A_schedule_is_refused_only_in_the_slot_whose_planned_range_it_leaves()
    {
        var ranges = Ranges();
        var later = new ScheduleSubmission(Midnight, [new ScheduleSlotInput(-10), new ScheduleSlotInput(250)]);
        var tooEarly = new ScheduleSubmission(Midnight, [new ScheduleSlotInput(50), new ScheduleSlotInput(291)]);

        Assert.Empty(later.Validate(ranges.At, Now));
        var errors = tooEarly.Validate(ranges.At, Now);
        Assert.Equal(["slots[0].targetKw", "slots[1].targetKw"], errors.Select(e => e.Field));
        Assert.Contains("between -30 and -10 kW", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("between -130 and 290 kW", errors[1].Message, StringComparison.Ordinal);
    }
}
