using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vpp.Domain.GridServices;
using Vpp.Domain.Schedules;

namespace Vpp.Domain.Tests.GridServices;

public sealed class AfrrTests
{
    private static readonly DateTimeOffset T = new(2026, 3, 29, 0, 14, 52, TimeSpan.Zero);
    private static readonly PowerRange Band = new(-1000, 1000);

    /// <summary>No setpoint yet: the first one opens the first interval.</summary>
    private static readonly AfrrState Idle = new(null, 0, 0);

    [Fact]
    public void A_fleet_without_ramp_limit_delivers_every_setpoint_at_once()
    {
        var (end, kwh) = AfrrFollower.Follow(0, 360, 10, null);
        Assert.Equal((360.0, 1.0), (end, kwh));
    }

    [Fact]
    public void A_ramp_limited_fleet_delivers_the_area_under_its_ramp()
    {
        // 0 → 100 kW at 10 kW/s: after 4 s at 40 kW, 80 kW·s delivered.
        var (end, kwh) = AfrrFollower.Follow(0, 100, 4, 10);
        Assert.Equal(40, end, 9);
        Assert.Equal(80.0 / 3600, kwh, 12);

        // 0 → 20 kW at 10 kW/s: reached after 2 s, then flat: 20 + 40 kW·s.
        (end, kwh) = AfrrFollower.Follow(0, 20, 4, 10);
        Assert.Equal(20, end, 9);
        Assert.Equal(60.0 / 3600, kwh, 12);
    }

    [Fact]
    public void Each_setpoint_closes_the_previous_step_with_requested_and_delivered_energy()
    {
        var t = T.AddMinutes(-5); // well inside a quarter hour
        var (state, records) = AfrrFollower.Apply(Idle, 100, t, 10, Band);
        Assert.Empty(records);

        (state, records) = AfrrFollower.Apply(state, 100, t.AddSeconds(4), 10, Band);
        var step = Assert.Single(records);
        Assert.Equal((t, t.AddSeconds(4), 100.0, 40.0, AfrrStep.Allocated), (step.From, step.To, step.RequestedKw, step.DeliveredKw, step.DeliveredSource));
        Assert.Equal(400.0 / 3600, step.RequestedKwh, 12);
        Assert.Equal(80.0 / 3600, step.DeliveredKwh, 12);
        Assert.Equal(-320.0 / 3600, step.DeliveredKwh - step.RequestedKwh, 12);

        // Six seconds later the fleet reaches 100 kW after 6 s: 40→100 ramp, (40 + 100)/2 · 6 = 420 kW·s.
        (state, records) = AfrrFollower.Apply(state, -50, t.AddSeconds(10), 10, Band);
        Assert.Equal(420.0 / 3600, Assert.Single(records).DeliveredKwh, 12);
        Assert.Equal(new AfrrState(t.AddSeconds(10), -50, 100), state);
    }

    [Fact]
    public void Delivery_stops_at_the_range_and_the_rest_is_a_deviation()
    {
        var (state, _) = AfrrFollower.Apply(Idle, 500, T, null, new PowerRange(-100, 300));
        var (_, records) = AfrrFollower.Apply(state, 500, T.AddSeconds(4), null, new PowerRange(-100, 300));
        var step = Assert.Single(records);
        Assert.Equal(300, step.DeliveredKw);
        Assert.Equal(-800.0 / 3600, step.DeliveredKwh - step.RequestedKwh, 12);
    }

    [Fact]
    public void A_measured_close_is_integrated_by_the_trapezoid_rule_and_split_at_the_quarter_hour()
    {
        // T is 00:14:52: from 0 kW at T to 120 kW measured at T + 12 s, linear in between (80 kW at 00:15:00).
        var (state, _) = AfrrFollower.Apply(Idle, 150, T, null, Band);
        var (next, records) = AfrrFollower.Apply(state, 150, T.AddSeconds(12), null, Band, measuredKw: 120);

        Assert.Equal(2, records.Count);
        Assert.Equal((80, 120), (records[0].DeliveredKw, records[1].DeliveredKw));
        Assert.All(records, r => Assert.Equal(AfrrStep.Measured, r.DeliveredSource));
        Assert.Equal(40 * 8, records[0].DeliveredKwh * 3600, 9);
        Assert.Equal(100 * 4, records[1].DeliveredKwh * 3600, 9);
        Assert.Equal((150 * 8, 150 * 4), (records[0].RequestedKwh * 3600, records[1].RequestedKwh * 3600));
        Assert.Equal(120, next.DeliveredKw);
    }

    [Fact]
    public void A_step_across_a_quarter_hour_is_split_at_the_boundary()
    {
        var (state, _) = AfrrFollower.Apply(Idle, 90, T, 10, Band);
        var (_, records) = AfrrFollower.Apply(state, 0, T.AddSeconds(12), 10, Band);

        Assert.Equal(2, records.Count);
        var boundary = new DateTimeOffset(2026, 3, 29, 0, 15, 0, TimeSpan.Zero);
        Assert.Equal((T, boundary, boundary, T.AddSeconds(12)), (records[0].From, records[0].To, records[1].From, records[1].To));
        Assert.Equal(80, records[0].DeliveredKw, 9);
        Assert.Equal(90, records[1].DeliveredKw, 9);
        Assert.Equal((8 * 40) + 85 + (3 * 90), records.Sum(r => r.DeliveredKwh) * 3600, 6); // ramp to 80, ramp 80→90 in 1 s, flat
    }

    [Fact]
    public void Setpoints_are_refused_when_missing_outside_the_band_from_the_future_or_out_of_order()
    {
        string[] Fields(AfrrSetpointInput input, DateTimeOffset? last = null) => input.Validate(Band, last, T).Select(e => e.Field).ToArray();

        Assert.Empty(Fields(new AfrrSetpointInput(-1000, null)));
        Assert.Equal(["setpointKw"], Fields(new AfrrSetpointInput(null, T)));
        Assert.Equal(["setpointKw"], Fields(new AfrrSetpointInput(double.NaN, T)));
        Assert.Equal(["setpointKw"], Fields(new AfrrSetpointInput(1000.5, T)));
        Assert.Equal(["timestamp"], Fields(new AfrrSetpointInput(10, T.AddMinutes(1))));
        Assert.Equal(["timestamp"], Fields(new AfrrSetpointInput(10, T.AddSeconds(-5)), last: T.AddSeconds(-4)));
        Assert.Empty(Fields(new AfrrSetpointInput(10, T.AddSeconds(-4)), last: T.AddSeconds(-4)));
    }

    private static Arbitrary<(int Seconds, int SetpointKw)[]> Setpoints =>
        Gen.ListOf(Gen.Choose(1, 30).SelectMany(s => Gen.Choose(-1500, 1500).Select(kw => (s, kw)))).Select(l => l.ToArray()).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property Following_never_outruns_the_ramp_or_leaves_the_range_and_covers_every_second() =>
        Prop.ForAll(Setpoints, Gen.Choose(1, 50).ToArbitrary(), (setpoints, ramp) =>
        {
            var state = Idle;
            var all = new List<AfrrStep>();
            var at = T;
            foreach (var (seconds, kw) in setpoints)
            {
                at = at.AddSeconds(seconds);
                (state, var records) = AfrrFollower.Apply(state, kw, at, ramp, Band);
                all.AddRange(records);
            }

            // Each step starts at the power the one before it ended at (the first at the idle state's 0 kW).
            var stepsFromKw = all.Select((r, i) => (Step: r, FromKw: i == 0 ? Idle.DeliveredKw : all[i - 1].DeliveredKw)).ToArray();
            var contiguous = all.Zip(all.Skip(1)).All(p => p.First.To == p.Second.From) && state.DeliveredKw == (all.Count == 0 ? 0 : all[^1].DeliveredKw);
            var withinRamp = stepsFromKw.All(s => Math.Abs(s.Step.DeliveredKw - s.FromKw) <= (ramp * (s.Step.To - s.Step.From).TotalSeconds) + 1e-9);
            var inRange = all.All(r => Band.Contains(r.DeliveredKw));
            var energyBetweenBounds = stepsFromKw.All(s =>
            {
                var (r, fromKw) = s;
                var hours = (r.To - r.From).TotalHours;
                var lo = Math.Min(Math.Min(fromKw, r.DeliveredKw), Band.Clamp(r.RequestedKw)) * hours;
                var hi = Math.Max(Math.Max(fromKw, r.DeliveredKw), Band.Clamp(r.RequestedKw)) * hours;
                return r.DeliveredKwh >= lo - 1e-9 && r.DeliveredKwh <= hi + 1e-9;
            });
            return contiguous.Label("contiguous").And(withinRamp).Label("ramp").And(inRange).Label("range").And(energyBetweenBounds).Label("energy");
        });
}
