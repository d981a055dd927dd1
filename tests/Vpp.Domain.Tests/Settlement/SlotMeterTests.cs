using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vpp.Domain.Schedules;
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

    [Fact]
    public void Energy_is_the_trapezoid_area_between_measurements()
    {
        // 0 kW → 120 kW over 60 s, then flat for 60 s: 3600 + 7200 kW·s = 3 kWh.
        var meter = new SlotMeter(TimeSpan.FromMinutes(2));
        meter.Record(Slot, 0, 0);
        meter.Record(Slot.AddSeconds(60), 120, 0);
        meter.Record(Slot.AddSeconds(120), 120, 0);

        Assert.Equal(3, meter.Slots[Slot].DeliveredKwh, 12);
        Assert.Equal(TimeSpan.FromSeconds(120), meter.Slots[Slot].Covered);
    }

    [Property(MaxTest = 200)]
    public Property Constant_power_integrates_to_power_times_covered_time() =>
        Prop.ForAll(Gen.ListOf(Gen.Choose(1, 20)).Select(l => l.ToArray()).ToArbitrary(), Gen.Choose(-500, 500).ToArbitrary(), (gaps, kw) =>
        {
            var meter = new SlotMeter(TimeSpan.FromSeconds(15));
            var at = Slot;
            meter.Record(at, kw, kw);
            foreach (var gap in gaps)
            {
                at = at.AddSeconds(gap);
                meter.Record(at, kw, kw);
            }

            // Measurements further apart than 15 s leave their gap uncovered: unknown, not zero.
            var coveredSeconds = gaps.Where(g => g <= 15).Sum();
            var deliveredKwh = meter.Slots.Values.Sum(r => r.DeliveredKwh);
            var covered = meter.Slots.Values.Aggregate(TimeSpan.Zero, (sum, r) => sum + r.Covered);
            return (Math.Abs(deliveredKwh - (kw * coveredSeconds / 3600.0)) < 1e-9 && covered == TimeSpan.FromSeconds(coveredSeconds))
                .Label($"delivered {deliveredKwh} kWh, covered {covered}");
        });

    [Property(MaxTest = 200)]
    public Property Slot_boundaries_never_change_the_total() =>
        Prop.ForAll(Gen.ListOf(Gen.Choose(-300, 300)).Select(l => l.ToArray()).ToArbitrary(), Gen.Choose(0, 899).ToArbitrary(), (powers, offsetSeconds) =>
        {
            // The same measurements metered from a slot start and shifted across a slot boundary give the same energy.
            var aligned = new SlotMeter(TimeSpan.FromSeconds(15));
            var shifted = new SlotMeter(TimeSpan.FromSeconds(15));
            for (var i = 0; i < powers.Length; i++)
            {
                aligned.Record(Slot.AddSeconds(i * 4), powers[i], 0);
                shifted.Record(Slot.AddSeconds(offsetSeconds + (i * 4)), powers[i], 0);
            }

            var (a, b) = (aligned.Slots.Values.Sum(r => r.DeliveredKwh), shifted.Slots.Values.Sum(r => r.DeliveredKwh));
            return (Math.Abs(a - b) < 1e-9 && shifted.Slots.Keys.All(k => k == QuarterHour.Floor(k))).Label($"{a} vs {b} kWh");
        });
}
