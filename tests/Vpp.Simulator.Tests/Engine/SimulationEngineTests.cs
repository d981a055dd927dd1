using Microsoft.Extensions.Time.Testing;
using Vpp.Domain.Assets;
using Vpp.Simulator.Engine;
using Vpp.Simulator.Faults;
using Vpp.Simulator.Scenarios;

namespace Vpp.Simulator.Tests.Engine;

public sealed class SimulationEngineTests
{
    private static readonly DateTimeOffset Noon = new(2026, 6, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private static SimulationRun Batteries(int count, FaultRates? faults = null, int seed = 1, TimeSpan? duration = null) => new()
    {
        FleetId = "engine-test",
        Assets = new Scenario("engine-test", [new ScenarioGroup { Kind = AssetKind.Battery, Count = count, MaxPowerKw = 10, RampRateKwPerSecond = 5 }]).CreateAssets(seed),
        Seed = seed,
        Faults = faults ?? FaultRates.None,
        Interval = Interval,
        Duration = duration ?? TimeSpan.FromSeconds(60),
    };

    private static async Task<(SimulationEngine Engine, RecordingGateway Gateway, FakeTimeProvider Clock)> StartAsync(SimulationRun run)
    {
        var clock = new FakeTimeProvider(Noon);
        var gateway = new RecordingGateway { Start = Noon };
        var engine = new SimulationEngine(gateway, run, clock);
        await engine.RegisterAsync(null, CancellationToken.None);
        return (engine, gateway, clock);
    }

    /// <summary>Rounds at t = 0, 1, … (whole seconds of fake time).</summary>
    private static async Task RunRoundsAsync(SimulationEngine engine, FakeTimeProvider clock, int rounds)
    {
        for (var i = 0; i < rounds; i++)
        {
            if (engine.History.Count > 0)
            {
                clock.Advance(Interval);
            }

            await engine.RunRoundAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_same_seed_reproduces_every_report_faults_and_noise_included()
    {
        var faults = new FaultRates { OfflineRate = 0.2, SilentRate = 0.2, IgnoreSetpointRate = 0.2, TelemetryNoisePercent = 5 };
        var mix = new DemoMix("engine-test", 30);
        async Task<List<string>> RecordAsync(int seed)
        {
            var run = Batteries(1, faults, seed) with { Assets = mix.CreateAssets(seed) };
            var (engine, gateway, clock) = await StartAsync(run);
            foreach (var device in engine.Devices)
            {
                gateway.Setpoints[device.AssetId] = device.Spec.MaxPowerKw / 2;
            }

            await RunRoundsAsync(engine, clock, 60);
            return [.. gateway.Telemetry.Select(t => $"{t.At} {t.AssetId} {t.Telemetry}"), .. gateway.StatusReports.Select(s => s.ToString())];
        }

        var first = await RecordAsync(seed: 21);
        var again = await RecordAsync(seed: 21);
        var other = await RecordAsync(seed: 22);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task An_asset_in_an_outage_reports_offline_sends_nothing_and_comes_back_online()
    {
        var run = Batteries(10, new FaultRates { OfflineRate = 0.1 });
        var (engine, gateway, clock) = await StartAsync(run);
        var device = Assert.Single(engine.Devices, d => d.Faults.Offline is not null);
        var outage = device.Faults.Offline!.Value;

        await RunRoundsAsync(engine, clock, 61);

        Assert.Equal([(device.AssetId, AssetStatus.Offline), (device.AssetId, AssetStatus.Online)], gateway.StatusReports);
        var reportedAt = gateway.Telemetry.Where(t => t.AssetId == device.AssetId).Select(t => t.At).ToArray();
        Assert.DoesNotContain(reportedAt, at => outage.Contains(at));
        Assert.Contains(reportedAt, at => at < outage.Start);
        Assert.Contains(reportedAt, at => at >= outage.End);
    }

    [Fact]
    public async Task A_silent_asset_stops_reporting_for_good_while_the_others_report_every_round()
    {
        var (engine, gateway, clock) = await StartAsync(Batteries(10, new FaultRates { SilentRate = 0.2 }));

        await RunRoundsAsync(engine, clock, 61);

        foreach (var device in engine.Devices)
        {
            var reportedAt = gateway.Telemetry.Where(t => t.AssetId == device.AssetId).Select(t => t.At).ToArray();
            if (device.Faults.Silent is { } silence)
            {
                Assert.True(device.IsSilent);
                Assert.All(reportedAt, at => Assert.True(at < silence.Start, $"{device.AssetId} reported at {at}, silent from {silence.Start}"));
                Assert.NotEmpty(reportedAt);
            }
            else
            {
                Assert.Equal(61, reportedAt.Length);
            }
        }

        Assert.Equal(2, engine.History[^1].SilentCount);
        Assert.Equal(8, engine.History[^1].ReportingCount);
    }

    [Fact]
    public async Task Assets_follow_their_setpoints_within_the_ramp_except_those_that_ignore_them()
    {
        var (engine, gateway, clock) = await StartAsync(Batteries(10, new FaultRates { IgnoreSetpointRate = 0.3 }));
        foreach (var device in engine.Devices)
        {
            gateway.Setpoints[device.AssetId] = 8;
        }

        await RunRoundsAsync(engine, clock, 2); // the first answer brings the setpoint; ramping 5 kW/s reaches 5 kW a second later
        Assert.All(engine.Devices, d => Assert.Equal(d.Faults.IgnoresSetpoints ? 0 : 5, d.Physics.ActivePowerKw, 9));

        await RunRoundsAsync(engine, clock, 3);
        Assert.All(engine.Devices, d => Assert.Equal(d.Faults.IgnoresSetpoints ? 0 : 8, d.Physics.ActivePowerKw, 9));

        var last = engine.History[^1];
        Assert.Equal(80, last.RequestedKw, 9);
        Assert.Equal(56, last.DeliveredKw, 9);

        var summary = await engine.FinishAsync(worstCount: 3, CancellationToken.None);
        Assert.Equal(3, summary.WorstAssets.Count);
        Assert.All(summary.WorstAssets, w => Assert.Equal("ignores setpoints", w.Why));
        Assert.Equal(summary.RequestedKwh, engine.Devices.Sum(d => d.RequestedKwh), 12);
        Assert.True(summary.DeliveredKwh < summary.RequestedKwh);
    }

    [Fact]
    public async Task Each_round_simulates_the_time_that_really_passed()
    {
        var (engine, gateway, clock) = await StartAsync(Batteries(1));
        var battery = engine.Devices[0];
        gateway.Setpoints[battery.AssetId] = -10;
        await RunRoundsAsync(engine, clock, 1);

        clock.Advance(TimeSpan.FromSeconds(7)); // a late round: the ramp had 7 s, not 1 s
        await engine.RunRoundAsync(CancellationToken.None);

        Assert.Equal(-10, battery.Physics.ActivePowerKw, 9);
        Assert.Equal(TimeSpan.FromSeconds(7), engine.History[^1].Elapsed);
    }

    [Fact]
    public async Task Cancelling_ends_the_run_cleanly_and_the_summary_covers_what_ran()
    {
        var (engine, _, clock) = await StartAsync(Batteries(5));
        using var cancel = new CancellationTokenSource();
        var rounds = 0;

        var run = engine.RunAsync(_ => rounds++, cancel.Token);
        for (var i = 0; i < 3; i++)
        {
            // Wait (bounded) until the round for this tick has run, then let the next tick come.
            await Eventually.Until(() => Task.FromResult(rounds), r => r == i + 1, $"round {i + 1}");
            clock.Advance(Interval);
        }

        await Eventually.Until(() => Task.FromResult(rounds), r => r == 4, "round 4");
        await cancel.CancelAsync();
        await run.WaitAsync(Eventually.DefaultBound);

        var summary = await engine.FinishAsync(5, CancellationToken.None);
        Assert.Equal(4, summary.Rounds);
        Assert.Equal(TimeSpan.FromSeconds(3), summary.Elapsed);
    }

    [Fact]
    public async Task A_bounded_run_stops_once_its_duration_has_passed()
    {
        var (engine, _, clock) = await StartAsync(Batteries(2, duration: TimeSpan.FromSeconds(3)));
        var run = engine.RunAsync(null, CancellationToken.None);
        for (var i = 0; i < 10 && !run.IsCompleted; i++)
        {
            await Eventually.Until(() => Task.FromResult(engine.History.Count), n => n == i + 1 || run.IsCompleted, $"round {i + 1}");
            clock.Advance(Interval);
        }

        await run.WaitAsync(Eventually.DefaultBound);
        Assert.Equal(4, engine.History.Count); // t = 0, 1, 2, 3 s
    }
}
