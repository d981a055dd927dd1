using Vpp.Domain.GridServices;
using Vpp.Domain.Schedules;
using Vpp.Domain.Settlement;

namespace Vpp.Domain.Tests.GridServices;

public sealed class ServiceTargetTests
{
    private static readonly DateTimeOffset T = new(2026, 3, 29, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_schedule_slot_replaces_the_standing_target_and_activations_add_on_top()
    {
        var schedule = Schedule.Of([new ScheduledSlot(T, 800)]);

        var inSlot = ServiceTarget.Compose(300, schedule, T.AddMinutes(5), afrrKw: -50, fcrKw: 25);
        Assert.Equal((800.0, BaseTargetSource.Schedule, 775.0), (inSlot.BaseKw, inSlot.Source, inSlot.TotalKw));

        var after = ServiceTarget.Compose(300, schedule, T.AddMinutes(15), fcrKw: 25);
        Assert.Equal((300.0, BaseTargetSource.Standing, 325.0), (after.BaseKw, after.Source, after.TotalKw));

        Assert.Equal(BaseTargetSource.None, ServiceTarget.Compose(null, Schedule.Empty, T).Source);
    }
}
