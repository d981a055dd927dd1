using Orleans.Core.Internal;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;

namespace Vpp.Grains.Tests.Fleets;

/// <summary>Measured output: assets' telemetry summed by partitions into the fleet, stale members left out, output history.</summary>
[Collection(VppClusterCollection.Name)]
public sealed class MeteringTests(VppClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    /// <summary>The defaults: the fixture changes none of the metering settings.</summary>
    private static readonly VppOptions Options = new();

    private static readonly TimeSpan StaleAfter = Options.MeasurementStaleAfter;

    private async Task<string> AddBatteryAsync(string fleetId, string prefix, double measuredKw)
    {
        var assetId = VppClusterFixture.NewId(prefix);
        await _grains.GetGrain<IAssetGrain>(assetId).ConfigureAsync(new AssetSpec
        {
            FleetId = fleetId,
            Kind = AssetKind.Battery,
            MinPowerKw = -100,
            MaxPowerKw = 100,
            EnergyCapacityKwh = 200,
        });
        await MeasureAsync(assetId, measuredKw);
        return assetId;
    }

    private Task MeasureAsync(string assetId, double activePowerKw) =>
        _grains.GetGrain<IAssetGrain>(assetId).ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), activePowerKw, StateOfChargePercent: 50));

    private Task<FleetView> FleetWhenAsync(string fleetId, Func<FleetView, bool> condition, string what) =>
        Eventually.Until(
            async () => await _grains.GetGrain<IFleetGrain>(fleetId).GetAsync() ?? throw new Xunit.Sdk.XunitException("fleet unknown"),
            condition,
            what);

    private static bool Near(double? a, double b) => a is { } v && Math.Abs(v - b) < 1e-6;

    [Fact]
    public async Task The_fleet_measures_the_sum_of_its_assets_telemetry_and_a_silent_asset_stops_counting()
    {
        var fleetId = VppClusterFixture.NewId("meter");
        var t0 = fixture.Clock.GetUtcNow();
        var quiet = await AddBatteryAsync(fleetId, "quiet", 10);
        var steady = await AddBatteryAsync(fleetId, "steady", 20);
        var charging = await AddBatteryAsync(fleetId, "charging", -30);

        // Coming online is a status change: it reaches the fleet at once, measurement included.
        var view = await FleetWhenAsync(fleetId, v => v.Measured.Count == 3 && Near(v.Measured.Kw, 0), "three measurements summing to 0 kW");
        Assert.Equal(0, view.Measured.StaleCount);
        Assert.Equal(t0, view.Measured.At);

        // Two keep reporting (one with a new value), the quiet one says nothing more. A new measurement alone goes up
        // with the partition's next measured tick (grain timers run on the test's clock).
        fixture.Clock.Advance(TimeSpan.FromSeconds(5));
        await MeasureAsync(steady, 20);
        await MeasureAsync(charging, -50);
        fixture.Clock.Advance(Options.MeasuredSummaryInterval);
        await FleetWhenAsync(fleetId, v => Near(v.Measured.Kw, -20), "the new value of the charging battery");

        // t0 + 11 s: past the stale limit of the quiet one only. It no longer counts, and is counted as stale.
        fixture.Clock.Advance(StaleAfter - TimeSpan.FromSeconds(5) - Options.MeasuredSummaryInterval + TimeSpan.FromSeconds(1));
        view = await FleetWhenAsync(fleetId, v => v.Measured.StaleCount == 1, "the quiet battery to go stale");
        Assert.Equal(2, view.Measured.Count);
        Assert.True(Near(view.Measured.Kw, -30), $"measured {view.Measured.Kw} kW, expected 20 - 50 = -30 kW");
        Assert.Equal(t0.AddSeconds(5), view.Measured.At);

        // It reports again and counts again.
        await MeasureAsync(quiet, 5);
        fixture.Clock.Advance(Options.MeasuredSummaryInterval);
        view = await FleetWhenAsync(fleetId, v => v.Measured.Count == 3, "the quiet battery back in the sum");
        Assert.Equal(0, view.Measured.StaleCount);
        Assert.True(Near(view.Measured.Kw, -25), $"measured {view.Measured.Kw} kW, expected 5 + 20 - 50 = -25 kW");
    }

    [Fact]
    public async Task Nothing_measured_recently_means_an_unknown_measured_output_not_zero()
    {
        var fleetId = VppClusterFixture.NewId("unknown");
        await AddBatteryAsync(fleetId, "once", 42);
        await FleetWhenAsync(fleetId, v => Near(v.Measured.Kw, 42), "the first measurement");

        fixture.Clock.Advance(StaleAfter + TimeSpan.FromSeconds(1));

        var view = await FleetWhenAsync(fleetId, v => v.Measured.StaleCount == 1, "the only measurement to go stale");
        Assert.Null(view.Measured.Kw);
        Assert.Equal(0, view.Measured.Count);
    }

    [Fact]
    public async Task The_output_history_samples_target_allocated_and_measured_output()
    {
        var fleetId = VppClusterFixture.NewId("history");
        await AddBatteryAsync(fleetId, "hist", 40);
        var fleet = _grains.GetGrain<IFleetGrain>(fleetId);
        await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 1 && Near(v.Measured.Kw, 40), "the battery online and measured");
        await fleet.DispatchAsync(new DispatchRequest(50));

        // The fake clock moves by one sample interval: the fleet's sampling timer records a new sample for it.
        var before = fixture.Clock.GetUtcNow();
        fixture.Clock.Advance(Options.OutputSampleInterval);
        var output = await Eventually.Until(
            () => fleet.GetOutputAsync(60),
            o => o.Samples.Length > 0 && o.Samples[^1].At > before,
            "a sample after the dispatch");

        Assert.Equal(fleetId, output.FleetId);
        var sample = output.Samples[^1];
        Assert.Equal(fixture.Clock.GetUtcNow(), sample.At);
        Assert.Equal(50, sample.TargetKw);
        Assert.Equal(50, sample.AllocatedKw, 3);
        Assert.Equal(40, sample.MeasuredKw);
        Assert.True(output.Samples.Zip(output.Samples.Skip(1)).All(p => p.First.At < p.Second.At), "samples are oldest first, one per instant");

        // A minute later, a one-minute window no longer holds that sample; the full hour still does.
        fixture.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(sample, (await fleet.GetOutputAsync(1)).Samples);
        Assert.Contains(sample, (await fleet.GetOutputAsync(60)).Samples);
    }

    [Fact]
    public async Task The_output_history_survives_a_reactivation_of_the_fleet()
    {
        var fleetId = VppClusterFixture.NewId("keep");
        await AddBatteryAsync(fleetId, "keep", 30);
        var fleet = _grains.GetGrain<IFleetGrain>(fleetId);
        await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 1 && Near(v.Measured.Kw, 30), "the battery online and measured");
        await fleet.DispatchAsync(new DispatchRequest(25));
        fixture.Clock.Advance(Options.OutputSampleInterval);
        var older = (await Eventually.Until(() => fleet.GetOutputAsync(60), o => o.Samples.Any(s => s.TargetKw == 25), "a sample of the dispatch"))
            .Samples.Last(s => s.TargetKw == 25);
        fixture.Clock.Advance(Options.OutputSampleInterval);
        await Eventually.Until(() => fleet.GetOutputAsync(60), o => o.Samples[^1].At > older.At, "a second sample");

        // The fleet moves (a restart, a rolling update): the new activation starts from the stored hour.
        await fleet.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var output = await Eventually.Until(() => fleet.GetOutputAsync(60), o => o.Samples.Contains(older), "the sample from before the move", Eventually.DefaultBound,
            o => string.Join(", ", o.Samples.Select(s => $"{s.At:HH:mm:ss} {s.TargetKw}")));
        Assert.True(output.Samples.Zip(output.Samples.Skip(1)).All(p => p.First.At < p.Second.At), "oldest first, one per instant");
    }

    [Fact]
    public async Task The_output_history_refuses_a_window_outside_one_to_sixty_minutes_and_an_unknown_fleet()
    {
        var fleetId = VppClusterFixture.NewId("window");
        await AddBatteryAsync(fleetId, "win", 1);
        var fleet = _grains.GetGrain<IFleetGrain>(fleetId);

        foreach (var minutes in new[] { 0, -1, 61 })
        {
            var refused = await Assert.ThrowsAsync<InvalidInputException>(() => fleet.GetOutputAsync(minutes));
            Assert.Equal("minutes", Assert.Single(refused.Problems).Field);
        }

        await Assert.ThrowsAsync<NotFoundException>(() => _grains.GetGrain<IFleetGrain>(VppClusterFixture.NewId("nofleet")).GetOutputAsync(60));
    }
}
