using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vpp.Domain.Settlement;

namespace Vpp.Domain.Tests.Settlement;

public sealed class MeterTests
{
    private static readonly DateTimeOffset T = new(2026, 10, 25, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Energy_is_the_trapezoid_area_between_samples()
    {
        // 0 kW → 120 kW over 60 s, then flat for 60 s: 3600 + 7200 kW·s = 3 kWh.
        var meter = new Meter([new(T, 0), new(T.AddSeconds(60), 120), new(T.AddSeconds(120), 120)], TimeSpan.FromMinutes(2));
        var energy = meter.Integrate(T, T.AddSeconds(120));
        Assert.Equal(3, energy.Kwh, 12);
        Assert.True(energy.IsComplete);
        Assert.Equal(100, energy.CoveragePercent);
    }

    [Fact]
    public void A_boundary_inside_a_segment_cuts_it_by_linear_interpolation()
    {
        var meter = new Meter([new(T, 0), new(T.AddSeconds(10), 100)]);
        Assert.Equal(125.0 / 3600, meter.Integrate(T, T.AddSeconds(5)).Kwh, 12);
        Assert.Equal(375.0 / 3600, meter.Integrate(T.AddSeconds(5), T.AddSeconds(20)).Kwh, 12);
    }

    [Fact]
    public void Gaps_longer_than_the_limit_and_time_outside_the_samples_are_unknown_not_zero()
    {
        var meter = new Meter([new(T.AddSeconds(10), 60), new(T.AddSeconds(20), 60), new(T.AddSeconds(50), 60), new(T.AddSeconds(55), 60)]);
        var energy = meter.Integrate(T, T.AddSeconds(60));
        Assert.Equal(15 * 60.0 / 3600, energy.Kwh, 12);
        Assert.Equal(TimeSpan.FromSeconds(15), energy.Covered);
        Assert.Equal(TimeSpan.FromSeconds(45), energy.Unknown);
        Assert.False(energy.IsComplete);
        Assert.Equal(25, energy.CoveragePercent, 9);
    }

    [Fact]
    public void Samples_in_any_order_are_sorted_and_a_repeated_instant_keeps_the_later_report()
    {
        var meter = new Meter([new(T.AddSeconds(10), 10), new(T, 0), new(T.AddSeconds(10), 20)]);
        Assert.Equal(100.0 / 3600, meter.Integrate(T, T.AddSeconds(10)).Kwh, 12);
    }

    [Fact]
    public void A_step_profile_gives_exact_requested_energy()
    {
        var profile = StepProfile.Of([(T.AddMinutes(5), 100), (T.AddMinutes(10), -50)]);
        Assert.Equal(0, profile.KwAt(T));
        Assert.Equal(100, profile.KwAt(T.AddMinutes(5)));
        Assert.Equal((500.0 / 60) - (250.0 / 60), profile.EnergyKwh(T, T.AddMinutes(15)), 12);
        Assert.Equal(0, profile.EnergyKwh(T.AddMinutes(15), T.AddMinutes(15)));
    }

    [Property(MaxTest = 200)]
    public Property Constant_power_integrates_to_power_times_covered_time() =>
        Prop.ForAll(Gen.ListOf(Gen.Choose(1, 20)).Select(l => l.ToArray()).ToArbitrary(), Gen.Choose(-500, 500).ToArbitrary(), (gaps, kw) =>
        {
            var at = T;
            var samples = new List<PowerSample> { new(at, kw) };
            foreach (var gap in gaps)
            {
                at = at.AddSeconds(gap);
                samples.Add(new PowerSample(at, kw));
            }

            var energy = new Meter(samples).Integrate(T.AddSeconds(-5), at.AddSeconds(5));
            var coveredSeconds = gaps.Where(g => g <= 15).Sum();
            return (Math.Abs(energy.Kwh - (kw * coveredSeconds / 3600.0)) < 1e-9
                && energy.Covered == TimeSpan.FromSeconds(coveredSeconds)
                && energy.Unknown == TimeSpan.FromSeconds(10 + gaps.Where(g => g > 15).Sum())).Label($"{energy}");
        });

    [Property(MaxTest = 200)]
    public Property Splitting_an_interval_never_changes_the_total() =>
        Prop.ForAll(Gen.ListOf(Gen.Choose(-300, 300)).Select(l => l.ToArray()).ToArbitrary(), Gen.Choose(0, 200).ToArbitrary(), (powers, cut) =>
        {
            var meter = new Meter(powers.Select((kw, i) => new PowerSample(T.AddSeconds(i * 4), kw)));
            var whole = meter.Integrate(T, T.AddSeconds(200));
            var a = meter.Integrate(T, T.AddSeconds(cut));
            var b = meter.Integrate(T.AddSeconds(cut), T.AddSeconds(200));
            return Math.Abs(whole.Kwh - (a.Kwh + b.Kwh)) < 1e-9 && whole.Covered == a.Covered + b.Covered;
        });
}
