using Vpp.Domain.Settlement;

namespace Vpp.Domain.Tests.Settlement;

public sealed class SlotMeterTests
{
    private static readonly DateTimeOffset Slot = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_segment_across_a_slot_boundary_is_split_by_interpolation()
    {
        var meter = new SlotMeter(TimeSpan.FromSeconds(30));
        meter.Record(Slot.AddSeconds(-10), 0, requestedKw: 10);
        meter.Record(Slot.AddSeconds(10), 20, requestedKw: 10);

        // 0 → 20 kW over 20 s, linear: 10 kW at the boundary. Before: 5 kW mean × 10 s; after: 15 kW mean × 10 s.
        Assert.Equal(50.0 / 3600, meter.Slots[Slot.AddMinutes(-15)].DeliveredKwh, 9);
        Assert.Equal(150.0 / 3600, meter.Slots[Slot].DeliveredKwh, 9);
        Assert.Equal(TimeSpan.FromSeconds(10), meter.Slots[Slot].Covered);
        Assert.Equal(100.0 / 3600, meter.Slots[Slot].RequestedKwh, 9);
        Assert.Equal(10, meter.Slots[Slot].RequestedKwAtStart);
    }

    [Fact]
    public void A_gap_longer_than_the_limit_is_uncovered_not_zero_and_late_measurements_are_ignored()
    {
        var meter = new SlotMeter(TimeSpan.FromSeconds(15));
        meter.Record(Slot, 30, 0);
        meter.Record(Slot.AddSeconds(10), 30, 0);
        meter.Record(Slot.AddSeconds(5), 999, 0);    // late: ignored
        meter.Record(Slot.AddSeconds(70), 30, 0);    // 60 s of silence: unknown

        var reading = meter.Slots[Slot];
        Assert.Equal(300.0 / 3600, reading.DeliveredKwh, 9);
        Assert.Equal(TimeSpan.FromSeconds(10), reading.Covered);

        meter.DropBefore(Slot.AddMinutes(15));
        Assert.Empty(meter.Slots);
    }
}
