using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using static Vpp.Domain.Tests.Assets.Specs;

namespace Vpp.Domain.Tests.Assets;

public sealed class AssetBehaviourTests
{
    private static readonly TimeSpan OfflineAfter = TimeSpan.FromSeconds(15);

    private static readonly AssetLiveState NewlyRegistered = new();

    // ---- telemetry ----------------------------------------------------------------------------------------------

    [Fact]
    public void A_newly_registered_asset_is_offline_and_knows_nothing_yet()
    {
        Assert.Equal(AssetStatus.Offline, NewlyRegistered.Status);
        Assert.Null(NewlyRegistered.LastSeen);
        Assert.Null(NewlyRegistered.ActivePowerKw);
        Assert.Null(NewlyRegistered.StateOfChargePercent);
    }

    [Fact]
    public void Telemetry_brings_a_newly_registered_asset_online_and_records_the_measurement()
    {
        var state = AssetBehaviour.OnTelemetry(NewlyRegistered, new Telemetry(T0, 12.5, AvailablePowerKw: 40), T0.AddSeconds(1));

        Assert.Equal(AssetStatus.Online, state.Status);
        Assert.Equal(T0, state.LastSeen);
        Assert.Equal(12.5, state.ActivePowerKw);
        Assert.Equal(40, state.AvailablePowerKw);
    }

    [Fact]
    public void Telemetry_brings_an_asset_that_went_silent_back_online()
    {
        var silent = AssetBehaviour.OnSilenceCheck(Online(activeKw: 5), T0.Add(OfflineAfter), OfflineAfter);
        Assert.Equal(AssetStatus.Offline, silent.Status);

        var state = AssetBehaviour.OnTelemetry(silent, new Telemetry(T0.AddSeconds(20), 6), T0.AddSeconds(20));

        Assert.Equal(AssetStatus.Online, state.Status);
        Assert.Equal(6, state.ActivePowerKw);
    }

    [Theory]
    [InlineData(AssetStatus.Offline)]
    [InlineData(AssetStatus.Maintenance)]
    public void Telemetry_does_not_bring_back_an_asset_whose_owner_reported_it_out_of_service(AssetStatus reported)
    {
        var state = AssetBehaviour.OnStatusReport(Online(activeKw: 5), reported, "inverter fault", T0);

        state = AssetBehaviour.OnTelemetry(state, new Telemetry(T0.AddSeconds(5), 7), T0.AddSeconds(5));

        Assert.Equal(reported, state.Status);
        Assert.Equal("inverter fault", state.StatusReason);
        Assert.Equal(7, state.ActivePowerKw); // the measurement is still recorded
    }

    [Fact]
    public void A_measurement_older_than_the_last_one_is_out_of_order_and_changes_nothing()
    {
        var state = AssetBehaviour.OnTelemetry(Online(activeKw: 5), new Telemetry(T0.AddSeconds(10), 8), T0.AddSeconds(10));
        var late = new Telemetry(T0.AddSeconds(9), 1);

        Assert.True(AssetBehaviour.IsOutOfOrder(state, late, T0.AddSeconds(11)));
        Assert.Same(state, AssetBehaviour.OnTelemetry(state, late, T0.AddSeconds(11)));
        Assert.False(AssetBehaviour.IsOutOfOrder(state, new Telemetry(T0.AddSeconds(10), 1), T0.AddSeconds(11)));
        Assert.False(AssetBehaviour.IsOutOfOrder(state, new Telemetry(null, 1), T0.AddSeconds(11)));
    }

    [Fact]
    public void Reporting_online_hands_control_back_to_telemetry()
    {
        var state = AssetBehaviour.OnStatusReport(Online(), AssetStatus.Maintenance, null, T0);
        state = AssetBehaviour.OnStatusReport(state, AssetStatus.Online, null, T0.AddMinutes(5));

        Assert.Equal(AssetStatus.Online, state.Status);
        Assert.False(state.StatusReported);
        Assert.Equal(T0.AddMinutes(5), state.LastSeen);

        state = AssetBehaviour.OnSilenceCheck(state, T0.AddMinutes(5).Add(OfflineAfter), OfflineAfter);
        Assert.Equal(AssetStatus.Offline, state.Status);

        state = AssetBehaviour.OnTelemetry(state, new Telemetry(T0.AddMinutes(6), 1), T0.AddMinutes(6));
        Assert.Equal(AssetStatus.Online, state.Status);
    }

    [Fact]
    public void A_status_report_without_a_reason_gets_one_naming_the_status()
    {
        var state = AssetBehaviour.OnStatusReport(Online(), AssetStatus.Maintenance, null, T0);

        Assert.Equal("reported maintenance", state.StatusReason);
        Assert.True(state.StatusReported);
        Assert.Equal(T0, state.LastSeen); // unchanged: a report is not a measurement
    }

    [Fact]
    public void Stale_telemetry_is_recorded_but_does_not_bring_a_silent_asset_back_online()
    {
        var silent = AssetBehaviour.OnSilenceCheck(Online(activeKw: 5), T0.Add(OfflineAfter), OfflineAfter);
        var now = T0.AddMinutes(10);

        var state = AssetBehaviour.OnTelemetry(silent, new Telemetry(now - OfflineAfter, 9), now, staleAfter: OfflineAfter);

        Assert.Equal(AssetStatus.Offline, state.Status);
        Assert.Equal(9, state.ActivePowerKw);
        Assert.Equal(now - OfflineAfter, state.LastSeen);
    }

    [Fact]
    public void Telemetry_just_younger_than_the_stale_limit_brings_a_silent_asset_back_online()
    {
        var silent = AssetBehaviour.OnSilenceCheck(Online(activeKw: 5), T0.Add(OfflineAfter), OfflineAfter);
        var now = T0.AddMinutes(10);

        var state = AssetBehaviour.OnTelemetry(silent, new Telemetry(now - OfflineAfter + TimeSpan.FromTicks(1), 9), now, staleAfter: OfflineAfter);

        Assert.Equal(AssetStatus.Online, state.Status);
    }

    [Fact]
    public void Out_of_order_telemetry_is_ignored()
    {
        var state = AssetBehaviour.OnTelemetry(Online(), new Telemetry(T0.AddSeconds(10), 50, StateOfChargePercent: 60), T0.AddSeconds(10));

        var after = AssetBehaviour.OnTelemetry(state, new Telemetry(T0.AddSeconds(9), 20, StateOfChargePercent: 55), T0.AddSeconds(11));

        Assert.Same(state, after);
        Assert.Equal(50, after.ActivePowerKw);
        Assert.Equal(60, after.StateOfChargePercent);
        Assert.Equal(T0.AddSeconds(10), after.LastSeen);
    }

    [Fact]
    public void Telemetry_with_the_same_timestamp_as_the_last_is_applied()
    {
        var state = AssetBehaviour.OnTelemetry(Online(), new Telemetry(T0.AddSeconds(10), 50), T0.AddSeconds(10));

        state = AssetBehaviour.OnTelemetry(state, new Telemetry(T0.AddSeconds(10), 51), T0.AddSeconds(10));

        Assert.Equal(51, state.ActivePowerKw);
    }

    [Fact]
    public void Telemetry_without_a_timestamp_is_taken_as_received_now()
    {
        var now = T0.AddSeconds(30);

        var state = AssetBehaviour.OnTelemetry(Online(), new Telemetry(null, 3), now);

        Assert.Equal(now, state.LastSeen);
        Assert.Equal(3, state.ActivePowerKw);
    }

    [Fact]
    public void Telemetry_that_omits_a_reading_keeps_the_last_known_value_instead_of_zero()
    {
        var state = AssetBehaviour.OnTelemetry(
            Online(), new Telemetry(T0.AddSeconds(1), -20, AvailablePowerKw: 80, StateOfChargePercent: 42), T0.AddSeconds(1));

        state = AssetBehaviour.OnTelemetry(state, new Telemetry(T0.AddSeconds(2), -25), T0.AddSeconds(2));

        Assert.Equal(-25, state.ActivePowerKw);
        Assert.Equal(80, state.AvailablePowerKw);
        Assert.Equal(42, state.StateOfChargePercent);
    }

    // ---- silence ------------------------------------------------------------------------------------------------

    [Fact]
    public void Silence_shorter_than_offline_after_keeps_the_asset_online()
    {
        var state = AssetBehaviour.OnSilenceCheck(Online(), T0.Add(OfflineAfter).AddTicks(-1), OfflineAfter);

        Assert.Equal(AssetStatus.Online, state.Status);
    }

    [Fact]
    public void Silence_of_exactly_offline_after_marks_the_asset_offline_with_a_reason()
    {
        var state = AssetBehaviour.OnSilenceCheck(Online(), T0.Add(OfflineAfter), OfflineAfter);

        Assert.Equal(AssetStatus.Offline, state.Status);
        Assert.Contains("15 s", state.StatusReason, StringComparison.Ordinal);
        Assert.False(state.StatusReported);
    }

    [Fact]
    public void An_online_asset_never_heard_from_counts_as_silent()
    {
        var state = AssetBehaviour.OnStatusReport(NewlyRegistered, AssetStatus.Online, null, T0) with { LastSeen = null };

        Assert.Equal(AssetStatus.Offline, AssetBehaviour.OnSilenceCheck(state, T0, OfflineAfter).Status);
    }

    [Fact]
    public void A_silence_check_leaves_a_reported_status_alone()
    {
        var maintenance = AssetBehaviour.OnStatusReport(Online(), AssetStatus.Maintenance, "planned", T0);

        var state = AssetBehaviour.OnSilenceCheck(maintenance, T0.AddHours(1), OfflineAfter);

        Assert.Same(maintenance, state);
    }

    [Fact]
    public void Silent_for_measures_from_the_last_measurement()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), AssetBehaviour.SilentFor(Online(), T0.AddSeconds(7)));
        Assert.Equal(TimeSpan.MaxValue, AssetBehaviour.SilentFor(NewlyRegistered, T0));
    }

    // ---- setpoints ----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(AssetStatus.Offline)]
    [InlineData(AssetStatus.Maintenance)]
    public void A_setpoint_for_an_asset_that_is_not_online_is_refused_and_changes_nothing(AssetStatus status)
    {
        var state = Online(activeKw: 0, socPercent: 50) with { Status = status };

        var (after, outcome) = AssetBehaviour.OnSetpoint(Battery(), state, 50, T0);

        Assert.False(outcome.Accepted);
        Assert.False(Clamped(outcome));
        Assert.Equal(50, outcome.RequestedKw);
        Assert.Equal(0, outcome.AcceptedKw);
        Assert.Equal(Capability.None, outcome.CapabilityAfter);
        Assert.Same(state, after);
    }

    [Fact]
    public void A_setpoint_within_the_envelope_is_accepted_as_requested_and_remembered()
    {
        var at = T0.AddSeconds(3);

        var (after, outcome) = AssetBehaviour.OnSetpoint(Battery(), Online(activeKw: 0, socPercent: 50), -40, at);

        Assert.True(outcome.Accepted);
        Assert.False(Clamped(outcome));
        Assert.Equal(-40, outcome.AcceptedKw);
        Assert.Equal(-40, after.SetpointKw);
        Assert.Equal(at, after.SetpointAt);
    }

    [Fact]
    public void A_setpoint_beyond_the_envelope_is_clamped_and_reported_as_clamped()
    {
        // SoC 12.5 % with min SoC 10 % and a 5-point band: discharge derated to 50 kW.
        var (after, outcome) = AssetBehaviour.OnSetpoint(Battery(), Online(activeKw: 0, socPercent: 12.5), 80, T0);

        Assert.True(outcome.Accepted);
        Assert.True(Clamped(outcome));
        Assert.Equal(80, outcome.RequestedKw);
        Assert.Equal(50, outcome.AcceptedKw, 1e-9);
        Assert.Equal(50, after.SetpointKw!.Value, 1e-9);
    }

    [Fact]
    public void A_setpoint_off_by_less_than_the_tolerance_is_not_reported_as_clamped()
    {
        var (_, outcome) = AssetBehaviour.OnSetpoint(Battery(), Online(activeKw: 0, socPercent: 50), 100.0005, T0);

        Assert.True(outcome.Accepted);
        Assert.Equal(100, outcome.AcceptedKw);
        Assert.False(Clamped(outcome));
    }

    [Fact]
    public void A_setpoint_into_a_chp_forbidden_gap_is_moved_out_of_it_and_reported_as_clamped()
    {
        var (_, outcome) = AssetBehaviour.OnSetpoint(Chp(), Online(activeKw: 0), 30, T0);

        Assert.True(Clamped(outcome));
        Assert.Equal(40, outcome.AcceptedKw);
    }

    [Fact]
    public void Chp_start_and_stop_times_follow_accepted_setpoints_and_enforce_min_up_and_down_times()
    {
        var spec = Chp(); // min up 600 s, min down 300 s
        var state = Online(activeKw: 0);

        (state, var start) = AssetBehaviour.OnSetpoint(spec, state, 60, T0);
        Assert.Equal(60, start.AcceptedKw);
        Assert.Equal(T0, state.RunningChangedAt);

        (state, var earlyStop) = AssetBehaviour.OnSetpoint(spec, state, 0, T0.AddSeconds(100));
        Assert.Equal(40, earlyStop.AcceptedKw);
        Assert.True(Clamped(earlyStop));
        Assert.Equal(T0, state.RunningChangedAt); // still running: no change

        (state, var stop) = AssetBehaviour.OnSetpoint(spec, state, 0, T0.AddSeconds(600));
        Assert.Equal(0, stop.AcceptedKw);
        Assert.Equal(T0.AddSeconds(600), state.RunningChangedAt);

        (state, var earlyStart) = AssetBehaviour.OnSetpoint(spec, state, 80, T0.AddSeconds(899));
        Assert.Equal(0, earlyStart.AcceptedKw);
        Assert.Equal(T0.AddSeconds(600), state.RunningChangedAt);

        (state, var restart) = AssetBehaviour.OnSetpoint(spec, state, 80, T0.AddSeconds(900));
        Assert.Equal(80, restart.AcceptedKw);
        Assert.Equal(T0.AddSeconds(900), state.RunningChangedAt);
    }

    [Fact]
    public void The_capability_after_a_setpoint_reflects_the_new_state()
    {
        var (_, outcome) = AssetBehaviour.OnSetpoint(Chp(), Online(activeKw: 0), 60, T0);

        // Just started: min up time holds it at or above min stable power.
        Assert.Equal(40, outcome.CapabilityAfter.MinKw);
        Assert.Equal(60, outcome.CapabilityAfter.PreferredKw);
    }

    [Fact]
    public void Setpoints_do_not_touch_start_stop_times_of_assets_other_than_chp()
    {
        var (state, _) = AssetBehaviour.OnSetpoint(Battery(), Online(activeKw: 0, socPercent: 50), 50, T0);

        Assert.Null(state.RunningChangedAt);
    }

    /// <summary>How the partition counts a clamp from an acknowledgement: accepted, but not as requested.</summary>
    private static bool Clamped(SetpointOutcome outcome) => outcome.Accepted && SetpointOutcome.IsClamp(outcome.RequestedKw, outcome.AcceptedKw);
}
