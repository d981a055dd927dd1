using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using static Vpp.Domain.Tests.Assets.Specs;

namespace Vpp.Domain.Tests.Assets;

public sealed class OperatingEnvelopeTests
{
    private const double Tol = 1e-9;

    private static Capability Envelope(AssetSpec spec, AssetLiveState state, DateTimeOffset? now = null, EnvelopeSettings? settings = null) =>
        OperatingEnvelope.Of(spec, state, now ?? T0, settings);

    private static void AssertRange(Capability c, double minKw, double maxKw, double preferredKw)
    {
        Assert.Equal(minKw, c.MinKw, Tol);
        Assert.Equal(maxKw, c.MaxKw, Tol);
        Assert.Equal(preferredKw, c.PreferredKw, Tol);
    }

    // ---- availability -------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(AssetKind.Battery, AssetStatus.Offline)]
    [InlineData(AssetKind.Solar, AssetStatus.Offline)]
    [InlineData(AssetKind.Wind, AssetStatus.Maintenance)]
    [InlineData(AssetKind.Chp, AssetStatus.Offline)]
    [InlineData(AssetKind.FlexibleLoad, AssetStatus.Maintenance)]
    public void An_asset_that_is_not_online_offers_nothing(AssetKind kind, AssetStatus status)
    {
        var state = Online(activeKw: 10, availableKw: 50, socPercent: 50) with { Status = status, SetpointKw = 10 };

        Assert.Equal(Capability.None, Envelope(Valid(kind), state));
    }

    [Fact]
    public void The_marginal_cost_comes_from_the_spec()
    {
        Assert.Equal(12, Envelope(Battery(), Online(socPercent: 50)).MarginalCostEurPerMwh);
        Assert.Equal(150, Envelope(FlexibleLoad(), Online()).MarginalCostEurPerMwh);
    }

    // ---- battery ------------------------------------------------------------------------------------------------

    [Fact]
    public void Battery_at_mid_state_of_charge_can_charge_and_discharge_at_full_power_and_idles_at_zero()
    {
        AssertRange(Envelope(Battery(), Online(socPercent: 50)), -100, 100, 0);
    }

    [Fact]
    public void Battery_with_unknown_state_of_charge_offers_no_flexibility()
    {
        var c = Envelope(Battery(), Online(activeKw: 0));

        AssertRange(c, 0, 0, 0);
        Assert.Equal(0, c.Accept(80));
        Assert.Equal(0, c.Accept(-80));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(9.99)]
    [InlineData(0)]
    public void Battery_does_not_discharge_at_or_below_min_state_of_charge(double socPercent)
    {
        var c = Envelope(Battery(), Online(socPercent: socPercent));

        Assert.Equal(0, c.MaxKw);
        Assert.Equal(-100, c.MinKw, Tol); // still free to charge
        Assert.Equal(0, c.Accept(50));
    }

    [Theory]
    [InlineData(90)]
    [InlineData(90.01)]
    [InlineData(100)]
    public void Battery_does_not_charge_at_or_above_max_state_of_charge(double socPercent)
    {
        var c = Envelope(Battery(), Online(socPercent: socPercent));

        Assert.Equal(0, c.MinKw);
        Assert.Equal(100, c.MaxKw, Tol); // still free to discharge
        Assert.Equal(0, c.Accept(-50));
    }

    [Theory]
    [InlineData(11, 20)]
    [InlineData(12.5, 50)]
    [InlineData(14, 80)]
    [InlineData(15, 100)]
    public void Battery_derates_discharge_linearly_over_the_band_above_min_state_of_charge(double socPercent, double expectedMaxKw)
    {
        var c = Envelope(Battery(), Online(socPercent: socPercent));

        Assert.Equal(expectedMaxKw, c.MaxKw, Tol);
        Assert.Equal(-100, c.MinKw, Tol);
    }

    [Theory]
    [InlineData(89, -20)]
    [InlineData(87.5, -50)]
    [InlineData(86, -80)]
    [InlineData(85, -100)]
    public void Battery_derates_charge_linearly_over_the_band_below_max_state_of_charge(double socPercent, double expectedMinKw)
    {
        var c = Envelope(Battery(), Online(socPercent: socPercent));

        Assert.Equal(expectedMinKw, c.MinKw, Tol);
        Assert.Equal(100, c.MaxKw, Tol);
    }

    [Fact]
    public void Battery_derate_band_width_comes_from_the_settings()
    {
        var settings = new EnvelopeSettings { SocDerateBandPercent = 10 };

        Assert.Equal(50, Envelope(Battery(), Online(socPercent: 15), settings: settings).MaxKw, Tol);
        Assert.Equal(-25, Envelope(Battery(), Online(socPercent: 87.5), settings: settings).MinKw, Tol);
    }

    [Theory]
    [InlineData(5, 0, -100)]
    [InlineData(7.5, 50, -100)]
    [InlineData(92.5, 100, -50)]
    [InlineData(95, 100, 0)]
    public void Battery_without_soc_limits_uses_the_default_window_of_5_to_95_percent(double socPercent, double maxKw, double minKw)
    {
        var spec = Battery() with { MinSocPercent = null, MaxSocPercent = null };

        var c = Envelope(spec, Online(socPercent: socPercent));

        Assert.Equal(maxKw, c.MaxKw, Tol);
        Assert.Equal(minKw, c.MinKw, Tol);
    }

    [Property(Arbitrary = new[] { typeof(EnvelopeArbitraries) })]
    public void Battery_power_stays_within_its_rating_and_discharge_grows_with_state_of_charge(SocPair socs)
    {
        var lower = Envelope(Battery(), Online(socPercent: socs.Lower));
        var higher = Envelope(Battery(), Online(socPercent: socs.Higher));

        foreach (var c in new[] { lower, higher })
        {
            Assert.InRange(c.MinKw, -100, 0);
            Assert.InRange(c.MaxKw, 0, 100);
            Assert.Equal(0, c.PreferredKw);
        }

        Assert.True(lower.MaxKw <= higher.MaxKw, $"discharge at {socs.Lower} % ({lower.MaxKw}) exceeds discharge at {socs.Higher} % ({higher.MaxKw})");
        Assert.True(lower.MinKw <= higher.MinKw, $"charge at {socs.Higher} % ({higher.MinKw}) exceeds charge at {socs.Lower} % ({lower.MinKw})");
    }

    // ---- solar and wind -----------------------------------------------------------------------------------------

    [Fact]
    public void Solar_can_be_curtailed_from_what_is_available_down_to_zero_and_prefers_all_of_it()
    {
        AssertRange(Envelope(Solar(), Online(activeKw: 55, availableKw: 60)), 0, 60, 60);
    }

    [Fact]
    public void Solar_never_offers_more_than_its_rated_power()
    {
        AssertRange(Envelope(Solar(), Online(activeKw: 100, availableKw: 130)), 0, 100, 100);
    }

    [Fact]
    public void Solar_without_an_available_power_reading_uses_the_measured_power()
    {
        AssertRange(Envelope(Solar(), Online(activeKw: 40)), 0, 40, 40);
    }

    [Fact]
    public void Solar_that_reported_nothing_offers_nothing()
    {
        AssertRange(Envelope(Solar(), Online()), 0, 0, 0);
    }

    [Fact]
    public void Solar_at_night_never_offers_negative_power_even_when_it_measures_its_own_consumption()
    {
        var c = Envelope(Solar(), Online(activeKw: -0.4));

        AssertRange(c, 0, 0, 0);
        Assert.Equal(0, c.Accept(-10));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1500, 1500)]
    [InlineData(2600, 2000)]
    public void Wind_offers_what_the_wind_gives_up_to_its_rating(double availableKw, double expectedMaxKw)
    {
        AssertRange(Envelope(Wind(), Online(activeKw: availableKw, availableKw: availableKw)), 0, expectedMaxKw, expectedMaxKw);
    }

    [Property(Arbitrary = new[] { typeof(EnvelopeArbitraries) })]
    public void Renewables_never_exceed_available_power_and_never_go_negative(RenewableCase r)
    {
        var spec = r.IsWind ? Wind() : Solar();
        var c = Envelope(spec, Online(activeKw: r.ActiveKw, availableKw: r.AvailableKw));
        var ceiling = Math.Min(r.AvailableKw ?? r.ActiveKw ?? 0, spec.MaxPowerKw);

        Assert.True(c.MinKw >= 0, $"min {c.MinKw} is negative");
        Assert.True(c.MinKw <= c.MaxKw, $"min {c.MinKw} above max {c.MaxKw}");
        Assert.True(c.MaxKw <= Math.Max(ceiling, 0), $"max {c.MaxKw} above available {ceiling}");
        Assert.InRange(c.Accept(r.RequestKw), 0, Math.Max(ceiling, 0));
    }

    [Fact]
    public void Solar_with_a_positive_minimum_never_offers_more_than_is_available()
    {
        var spec = Solar() with { MinPowerKw = 10 };
        if (spec.Validate().Count > 0)
        {
            // Validation may refuse a positive minimum for a curtailment-only asset instead; then it names the field.
            Assert.Contains("minPowerKw", spec.Validate().Select(e => e.Field));
            return;
        }

        var c = Envelope(spec, Online(activeKw: 5, availableKw: 5));

        Assert.True(c.MaxKw <= 5, $"offers up to {c.MaxKw} kW with 5 kW available");
        Assert.True(c.Accept(100) <= 5);
    }

    // ---- CHP ----------------------------------------------------------------------------------------------------

    private static AssetLiveState ChpRunning(double setpointKw, DateTimeOffset since) =>
        Online(activeKw: setpointKw) with { SetpointKw = setpointKw, SetpointAt = since, RunningChangedAt = since };

    private static AssetLiveState ChpOff(DateTimeOffset since) =>
        Online(activeKw: 0) with { SetpointKw = 0, SetpointAt = since, RunningChangedAt = since };

    [Fact]
    public void Chp_that_is_off_is_either_kept_off_or_started_at_least_at_min_stable_power()
    {
        var c = Envelope(Chp(), Online(activeKw: 0));

        Assert.Equal(0, c.MinKw);
        Assert.Equal(100, c.MaxKw);
        Assert.Equal(0, c.PreferredKw);
        Assert.Equal(40, c.MinStableKw);
        Assert.Equal(0, c.Accept(10));
        Assert.Equal(0, c.Accept(19.9));
        Assert.Equal(40, c.Accept(20));
        Assert.Equal(40, c.Accept(39));
        Assert.Equal(70, c.Accept(70));
        Assert.Equal(100, c.Accept(250));
    }

    [Fact]
    public void Chp_within_its_min_up_time_stays_on_at_least_at_min_stable_power()
    {
        var c = Envelope(Chp(), ChpRunning(60, since: T0), now: T0.AddSeconds(599));

        AssertRange(c, 40, 100, 60);
        Assert.Equal(40, c.Accept(0));
    }

    [Fact]
    public void Chp_may_stop_once_its_min_up_time_has_passed()
    {
        var c = Envelope(Chp(), ChpRunning(60, since: T0), now: T0.AddSeconds(600));

        Assert.Equal(0, c.MinKw);
        Assert.Equal(0, c.Accept(0));
        Assert.Equal(0, c.Accept(15));
        Assert.Equal(40, c.Accept(25));
    }

    [Fact]
    public void Chp_within_its_min_down_time_stays_off()
    {
        var c = Envelope(Chp(), ChpOff(since: T0), now: T0.AddSeconds(299));

        AssertRange(c, 0, 0, 0);
        Assert.Equal(0, c.Accept(80));
    }

    [Fact]
    public void Chp_may_start_once_its_min_down_time_has_passed()
    {
        var c = Envelope(Chp(), ChpOff(since: T0), now: T0.AddSeconds(300));

        Assert.Equal(80, c.Accept(80));
        Assert.Equal(0, c.Accept(10));
    }

    [Fact]
    public void Chp_without_a_setpoint_is_running_when_it_measures_output()
    {
        var state = Online(activeKw: 70) with { RunningChangedAt = T0 };

        var c = Envelope(Chp(), state, now: T0.AddSeconds(10));

        AssertRange(c, 40, 100, 70);
    }

    [Property(Arbitrary = new[] { typeof(EnvelopeArbitraries) })]
    public void Chp_is_either_off_or_between_min_stable_and_max_power_whatever_its_history(ChpCase chp)
    {
        var c = Envelope(Chp(), chp.State, now: chp.Now);
        var kw = c.Accept(chp.RequestKw);

        Assert.True(kw == 0 || (kw >= 40 && kw <= 100), $"accepted {kw} kW, inside the forbidden gap (0, 40) or above 100");
    }

    [Fact]
    public void Chp_that_cannot_ramp_to_min_stable_power_in_time_is_not_started_below_it()
    {
        var spec = Chp() with { RampRateKwPerSecond = 0.5 }; // 15 kW within the 30 s horizon, min stable 40
        var c = Envelope(spec, Online(activeKw: 0));

        var kw = c.Accept(10);

        Assert.True(kw == 0 || kw >= 40, $"accepted {kw} kW, inside the forbidden gap (0, 40)");
    }

    [Fact]
    public void Chp_with_a_ramp_rate_that_is_off_can_start_at_min_stable_power_and_ramp_from_there()
    {
        var spec = Chp() with { RampRateKwPerSecond = 1 }; // 30 kW within the 30 s horizon, min stable 40
        var c = Envelope(spec, ChpOff(since: T0), now: T0.AddHours(1));

        Assert.Equal(40, c.Accept(40));
        Assert.Equal(70, c.Accept(100));
        Assert.Equal(0, c.Accept(10));
    }

    [Fact]
    public void Chp_with_a_ramp_rate_stays_off_within_its_min_down_time()
    {
        var spec = Chp() with { RampRateKwPerSecond = 1 };
        var c = Envelope(spec, ChpOff(since: T0), now: T0.AddSeconds(299));

        AssertRange(c, 0, 0, 0);
    }

    [Fact]
    public void Chp_with_a_ramp_rate_can_stop_once_its_min_up_time_has_passed()
    {
        var spec = Chp() with { RampRateKwPerSecond = 1 }; // ±30 kW within the 30 s horizon around 50 kW
        var c = Envelope(spec, ChpRunning(50, since: T0), now: T0.AddHours(1));

        Assert.Equal(0, c.Accept(0));
        Assert.Equal(80, c.Accept(100));
        Assert.Equal(40, c.Accept(30));
    }

    [Fact]
    public void Chp_with_a_ramp_rate_within_its_min_up_time_ramps_inside_its_running_band_only()
    {
        var spec = Chp() with { RampRateKwPerSecond = 1 };
        var c = Envelope(spec, ChpRunning(100, since: T0), now: T0.AddSeconds(599));

        AssertRange(c, 70, 100, 100);
        Assert.Equal(70, c.Accept(0));
    }

    [Fact]
    public void Chp_with_a_ramp_rate_far_above_min_stable_power_stops_from_where_it_runs_or_ramps_down_the_band()
    {
        var spec = Chp() with { RampRateKwPerSecond = 1 };
        var c = Envelope(spec, ChpRunning(100, since: T0), now: T0.AddHours(1));

        Assert.Equal(0, c.Accept(0));
        Assert.Equal(0, c.Accept(30));
        Assert.Equal(70, c.Accept(40));
        Assert.Equal(85, c.Accept(85));
    }

    [Property(
        Arbitrary = new[] { typeof(EnvelopeArbitraries) })]
    public void Chp_with_a_ramp_rate_is_either_off_or_between_min_stable_and_max_power(RampedChpCase chp)
    {
        var spec = Chp() with { RampRateKwPerSecond = chp.RampKwPerSecond };
        var c = Envelope(spec, chp.Case.State, now: chp.Case.Now);
        var kw = c.Accept(chp.Case.RequestKw);

        Assert.True(kw == 0 || (kw >= 40 && kw <= 100), $"accepted {kw} kW, inside the forbidden gap (0, 40) or above 100");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(600)]
    [InlineData(AssetSpec.MaxRunTimeSeconds)]
    [InlineData(AssetSpec.MaxRunTimeSeconds + 1)]
    [InlineData(1e12)]
    [InlineData(1e300)]
    public void A_chp_spec_that_passes_validation_never_makes_the_envelope_throw(double seconds)
    {
        var spec = Chp() with { MinUpTimeSeconds = seconds, MinDownTimeSeconds = seconds };
        if (spec.Validate().Count > 0)
        {
            Assert.True(seconds > AssetSpec.MaxRunTimeSeconds, $"{seconds} s was refused");
            return;
        }

        var running = Envelope(spec, ChpRunning(60, since: T0), now: T0.AddSeconds(10));
        var off = Envelope(spec, ChpOff(since: T0), now: T0.AddSeconds(10));

        Assert.Equal(seconds > 10 ? 40 : 0, running.MinKw);
        Assert.Equal(seconds > 10 ? 0 : 100, off.MaxKw);
    }

    // ---- flexible load ------------------------------------------------------------------------------------------

    [Fact]
    public void Flexible_load_sits_at_its_baseline_and_can_reduce_consumption_to_its_minimum()
    {
        var c = Envelope(FlexibleLoad(), Online(activeKw: -200));

        AssertRange(c, -200, -50, -200);
        Assert.Equal(-50, c.Accept(0));
        Assert.Equal(-200, c.Accept(-500));
        Assert.Equal(-120, c.Accept(-120));
    }

    [Property(Arbitrary = new[] { typeof(EnvelopeArbitraries) })]
    public void Flexible_load_setpoints_stay_between_minus_baseline_and_minus_min_consumption(RequestKw request)
    {
        var c = Envelope(FlexibleLoad(), Online(activeKw: -180));

        Assert.InRange(c.Accept(request.Value), -200, -50);
    }

    // ---- ramp rate ----------------------------------------------------------------------------------------------

    [Fact]
    public void Ramp_rate_limits_the_range_to_what_is_reachable_from_measured_power_within_the_horizon()
    {
        var spec = Battery() with { RampRateKwPerSecond = 2 }; // 60 kW in 30 s

        AssertRange(Envelope(spec, Online(activeKw: -10, socPercent: 50)), -70, 50, 0);
    }

    [Fact]
    public void Ramp_horizon_comes_from_the_settings()
    {
        var spec = Battery() with { RampRateKwPerSecond = 2 };
        var settings = new EnvelopeSettings { RampHorizon = TimeSpan.FromSeconds(10) };

        AssertRange(Envelope(spec, Online(activeKw: 0, socPercent: 50), settings: settings), -20, 20, 0);
    }

    [Fact]
    public void Ramp_limited_solar_prefers_the_highest_reachable_output()
    {
        var spec = Solar() with { RampRateKwPerSecond = 1 }; // 30 kW in 30 s

        AssertRange(Envelope(spec, Online(activeKw: 50, availableKw: 100)), 20, 80, 80);
    }

    [Fact]
    public void Physics_wins_over_the_ramp_window_when_available_power_dropped_below_it()
    {
        var spec = Solar() with { RampRateKwPerSecond = 1 };

        AssertRange(Envelope(spec, Online(activeKw: 80, availableKw: 20)), 20, 20, 20);
    }

    [Fact]
    public void Ramp_starts_from_the_last_setpoint_when_no_power_was_measured()
    {
        var spec = Battery() with { RampRateKwPerSecond = 1 };
        var state = Online(socPercent: 50) with { SetpointKw = 30 };

        AssertRange(Envelope(spec, state), 0, 60, 0);
    }

    [Fact]
    public void Without_measured_power_or_setpoint_the_ramp_rate_does_not_limit_the_range()
    {
        var spec = Battery() with { RampRateKwPerSecond = 1 };

        AssertRange(Envelope(spec, Online(socPercent: 50)), -100, 100, 0);
    }

    [Fact]
    public void Without_a_ramp_rate_an_asset_can_step_across_its_whole_range()
    {
        AssertRange(Envelope(Battery(), Online(activeKw: 95, socPercent: 50)), -100, 100, 0);
    }
}

public sealed record SocPair(double Lower, double Higher);

public sealed record RenewableCase(bool IsWind, double? ActiveKw, double? AvailableKw, double RequestKw);

public sealed record ChpCase(AssetLiveState State, DateTimeOffset Now, double RequestKw)
{
    public override string ToString() =>
        $"setpoint {State.SetpointKw}, active {State.ActivePowerKw}, changed {State.RunningChangedAt:O}, now {Now:O}, request {RequestKw}";
}

public sealed record RequestKw(double Value);

public sealed record RampedChpCase(ChpCase Case, double RampKwPerSecond)
{
    public override string ToString() => $"{Case}, ramp {RampKwPerSecond} kW/s";
}

public static class EnvelopeArbitraries
{
    private static Gen<double> Between(double min, double max, int steps = 10_000) =>
        Gen.Frequency(
            (4, Gen.Choose(0, steps).Select(i => min + ((max - min) * i / steps))),
            (1, Gen.Elements(min, max)));

    private static Gen<double?> OrNull(Gen<double> gen) =>
        Gen.Frequency((4, gen.Select(v => (double?)v)), (1, Gen.Constant((double?)null)));

    public static Arbitrary<SocPair> SocPairs() => Arb.From(
        from a in Gen.Frequency((3, Between(0, 100)), (2, Gen.Elements(5.0, 10, 12.5, 15, 85, 87.5, 90, 95)))
        from b in Between(0, 100)
        select new SocPair(Math.Min(a, b), Math.Max(a, b)));

    public static Arbitrary<RenewableCase> RenewableCases() => Arb.From(
        from wind in Gen.Elements(false, true)
        from active in OrNull(Between(-10, 3000))
        from available in OrNull(Between(0, 3000))
        from request in Between(-3000, 3000)
        select new RenewableCase(wind, active, available, request));

    public static Arbitrary<ChpCase> ChpCases() => Arb.From(
        from setpoint in OrNull(Gen.Elements(0.0, 40, 55.5, 100))
        from active in OrNull(Gen.Elements(0.0, 0.0005, 10, 40, 70, 100))
        from changedSecondsAgo in OrNull(Gen.Elements(0.0, 1, 299, 300, 301, 599, 600, 601, 86_400))
        from request in Between(-50, 150)
        select new ChpCase(
            Specs.Online(activeKw: active) with
            {
                SetpointKw = setpoint,
                RunningChangedAt = changedSecondsAgo is { } s ? Specs.T0.AddSeconds(-s) : null,
            },
            Specs.T0,
            request));

    public static Arbitrary<RampedChpCase> RampedChpCases() => Arb.From(
        from c in ChpCases().Generator
        from ramp in Gen.Elements(0.1, 0.5, 1, 2, 10)
        select new RampedChpCase(c, ramp));

    public static Arbitrary<RequestKw> Requests() => Arb.From(Between(-1000, 1000).Select(v => new RequestKw(v)));
}
