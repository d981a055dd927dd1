using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vpp.Domain.GridServices;
using Vpp.Domain.Schedules;

namespace Vpp.Domain.Tests.GridServices;

public sealed class ServiceTargetRangeTests
{
    private static readonly PowerRange Range = new(-100, 200);

    [Theory]
    [InlineData(50, 30, 40, 120, 0)] // inside the range: nothing cut
    [InlineData(150, 20, 50, 200, 20)] // services push beyond max: cut at max, the cut reported
    [InlineData(-50, -30, -40, -100, -20)] // and below min
    [InlineData(250, -20, 0, 230, 0)] // a base already beyond max may be pulled back in by the services
    [InlineData(250, 30, 0, 250, 30)] // but never pushed further out
    [InlineData(-150, 0, -10, -150, -10)]
    public void Only_the_service_offsets_are_kept_inside_the_range(double baseKw, double afrrKw, double fcrKw, double effectiveKw, double clampedKw)
    {
        var clamped = new ServiceTarget(baseKw, BaseTargetSource.Standing, afrrKw, fcrKw).Within(Range);
        Assert.Equal(effectiveKw, clamped.EffectiveKw, 9);
        Assert.Equal(clampedKw, clamped.ClampedKw, 9);
    }

    [Property]
    public Property Effective_plus_clamped_is_the_composed_total_and_services_never_leave_the_range()
    {
        var kw = Gen.Choose(-400, 400).Select(i => (double)i);
        return Prop.ForAll(
            Gen.Zip(kw, Gen.Zip(kw, kw)).ToArbitrary(),
            t =>
            {
                var (baseKw, (afrrKw, fcrKw)) = t;
                var target = new ServiceTarget(baseKw, BaseTargetSource.Standing, afrrKw, fcrKw);
                var c = target.Within(Range);
                var insideOrNoFurtherOut = c.EffectiveKw <= Math.Max(baseKw, Range.MaxKw) + 1e-9 && c.EffectiveKw >= Math.Min(baseKw, Range.MinKw) - 1e-9;
                return Math.Abs(c.EffectiveKw + c.ClampedKw - target.TotalKw) < 1e-9 && insideOrNoFurtherOut;
            });
    }
}
