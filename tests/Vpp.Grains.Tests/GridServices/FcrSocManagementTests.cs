using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.GridServices;
using Vpp.Domain.Assets;
using Vpp.Domain.Simulation;

namespace Vpp.Grains.Tests.GridServices;

/// <summary>
/// FCR SoC management battery by battery: inside the deadband each battery heads back into its own SoC window
/// (for its share of the band, 15 min each way), whatever the rest of the pool looks like, and the correction stays
/// on the batteries; outside the deadband only the response counts.
/// <para>
/// Numbers used below: ±100 kW batteries of 200 kWh, usable 5–95 % (180 kWh). A 100 kW band over two of them is 50 kW
/// each, 12.5 kWh each way = 6.94 % of usable: window 6.94–93.06 %. At 92 % SoC a battery holds 96.67 % of its usable
/// energy (too full), at 8 % 3.33 % (too empty): both get the full correction, 20 % of their 50 kW reserve = 10 kW.
/// </para>
/// </summary>
[Collection(VppClusterCollection.Name)]
public sealed class FcrSocManagementTests(VppClusterFixture fixture)
{
    private IGridAreaGrain Area => GridServiceFleet.Area(fixture);

    [Fact]
    public async Task A_balanced_pool_still_discharges_its_too_full_battery_into_its_too_empty_one()
    {
        // The pool as a whole sits at 50 %: a pooled view would see nothing to do.
        var fleet = await GridServiceFleet.CreateAsync(fixture, "socpair", maxKw: 100, [92, 8]);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(0));
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50));
        var fcr = await fleet.Services.SetFcrContractAsync(100, fixture.Clock);

        Assert.Equal(50, fcr.PooledSocPercent!.Value, 3);
        Assert.Equal(0, fcr.SocManagementKw, 3); // the corrections net out: the fleet's output does not move
        Assert.Equal(new double[] { 10, -10 }, await fleet.SetpointsKwAsync());
        Assert.Equal(0, (await fleet.Fleet.GetAsync())!.TargetKw!.Value, 3);

        // A response is the response only: no correction dilutes or opposes it (merit order: the cheaper battery first).
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(49.9));
        Assert.Equal(new double[] { 50, 0 }, await fleet.SetpointsKwAsync());

        // Back inside the deadband, the corrections resume.
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50.005));
        Assert.Equal(new double[] { 10, -10 }, await fleet.SetpointsKwAsync());
    }

    [Fact]
    public async Task Corrections_that_only_moved_with_the_soc_are_sent_again_at_most_every_30_seconds()
    {
        var fleet = await GridServiceFleet.CreateAsync(fixture, "socpace", maxKw: 100, [92, 8]);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(0));
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50));
        await fleet.Services.SetFcrContractAsync(100, fixture.Clock);
        Assert.Equal(new double[] { 10, -10 }, await fleet.SetpointsKwAsync());

        // Both move half way back towards the middle (symmetrically: the net, and so the target, stays 0): their
        // corrections shrink to about half, but are not sent again at once.
        async Task ReportAsync()
        {
            await fixture.Grains.GetGrain<IAssetGrain>(fleet.AssetIds[0]).ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 10, StateOfChargePercent: 74.2));
            await fixture.Grains.GetGrain<IAssetGrain>(fleet.AssetIds[1]).ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), -10, StateOfChargePercent: 25.8));
        }

        await ReportAsync();
        await fleet.ViewWhenAsync(v => Math.Abs(v.Fcr!.PooledSocPercent!.Value - 50) < 0.01 && v.Fcr.SocManagementKw == 0, "the new SoC reported");
        // Telemetry every 10 s keeps both online (silent for 15 s means offline, which would re-dispatch them).
        fixture.Clock.Advance(TimeSpan.FromSeconds(10));
        await ReportAsync();
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50.001, fixture.Clock.GetUtcNow()));
        Assert.Equal(new double[] { 10, -10 }, await fleet.SetpointsKwAsync());

        // Half a minute after the corrections were last sent, the next measurement sends the new ones.
        for (var i = 0; i < 2; i++)
        {
            fixture.Clock.Advance(TimeSpan.FromSeconds(10));
            await ReportAsync();
        }

        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50.001, fixture.Clock.GetUtcNow()));
        var setpoints = await fleet.SetpointsKwAsync();
        Assert.InRange(setpoints[0], 4, 6);
        Assert.Equal(-setpoints[0], setpoints[1], 3);
    }

    [Fact]
    public async Task The_correction_stays_on_the_battery_even_when_another_asset_is_cheaper()
    {
        // A too-full battery and one in the middle of its window, plus a flexible load that is the cheapest to move.
        var fleet = await GridServiceFleet.CreateAsync(fixture, "socload", maxKw: 100, [92, 50]);
        var loadId = VppClusterFixture.NewId("socload-load");
        var load = fixture.Grains.GetGrain<IAssetGrain>(loadId);
        await load.ConfigureAsync(new AssetSpec
        {
            FleetId = fleet.FleetId, Kind = AssetKind.FlexibleLoad, MinPowerKw = -200, MaxPowerKw = -50, MarginalCostEurPerMwh = 0,
        });
        await load.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), -200));
        await fleet.ViewWhenAsync(v => v.OnlineCount == 3, "two batteries and the load online");

        // Where the fleet sits by itself: the load consuming its 200 kW, the batteries idle.
        await fleet.Fleet.DispatchAsync(new DispatchRequest(-200));
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50));
        var fcr = await fleet.Services.SetFcrContractAsync(100, fixture.Clock);

        // The too-full battery discharges its 10 kW; the fleet exports 10 kW more; the load is not asked to curtail.
        Assert.Equal(10, fcr.SocManagementKw, 3);
        Assert.Equal(new double[] { 10, 0 }, await fleet.SetpointsKwAsync());
        Assert.Equal(-200, (await load.GetAsync())!.Live.SetpointKw!.Value, 3);
        Assert.Equal(-190, (await fleet.Fleet.GetAsync())!.TargetKw!.Value, 3);
    }

    [Fact]
    public async Task Simulated_batteries_move_towards_their_windows_at_zero_net_output_and_still_deliver_a_full_step()
    {
        const double contractedKw = 100;
        var fleetId = VppClusterFixture.NewId("socsim");
        var random = new Random(7);
        var batteries = new List<(IAssetGrain Grain, SimulatedBattery Sim)>();
        foreach (var (socPercent, i) in new[] { 92d, 8d }.Select((s, i) => (s, i)))
        {
            var spec = new AssetSpec
            {
                FleetId = fleetId, Kind = AssetKind.Battery, MinPowerKw = -100, MaxPowerKw = 100, EnergyCapacityKwh = 200,
                RampRateKwPerSecond = 50, MarginalCostEurPerMwh = 10 + i,
            };
            var grain = fixture.Grains.GetGrain<IAssetGrain>(VppClusterFixture.NewId($"socsim{i}"));
            await grain.ConfigureAsync(spec);
            var sim = new SimulatedBattery(spec, random, socPercent);
            await grain.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: sim.StateOfChargePercent));
            batteries.Add((grain, sim));
        }

        var fleet = fixture.Grains.GetGrain<IFleetGrain>(fleetId);
        await Eventually.Until(() => fleet.GetAsync(), v => v?.OnlineCount == 2, "two simulated batteries online");
        await fleet.DispatchAsync(new DispatchRequest(0));
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50, fixture.Clock.GetUtcNow()));
        await fixture.Grains.GetGrain<IFleetGridServicesGrain>(fleetId).SetFcrContractAsync(contractedKw, fixture.Clock);

        // One second at a time: the measurement, the physics under the setpoints the grains hold, the telemetry.
        async Task<double[]> RunAsync(double frequencyHz, int seconds)
        {
            var deliveredKw = new double[seconds];
            for (var t = 0; t < seconds; t++)
            {
                await Area.ReportFrequencyAsync(new FrequencyMeasurement(frequencyHz, fixture.Clock.GetUtcNow()));
                var views = await Task.WhenAll(batteries.Select(b => b.Grain.GetAsync()));
                fixture.Clock.Advance(TimeSpan.FromSeconds(1));
                var now = fixture.Clock.GetUtcNow();
                await Task.WhenAll(batteries.Select((b, i) => b.Grain.ReportTelemetryAsync(b.Sim.Step(TimeSpan.FromSeconds(1), now, views[i]!.Live.SetpointKw)!)));
                deliveredKw[t] = batteries.Sum(b => b.Sim.ActivePowerKw);
            }

            return deliveredKw;
        }

        var quiet = await RunAsync(50.002, 600);
        var (fullSocPercent, emptySocPercent) = (batteries[0].Sim.StateOfChargePercent!.Value, batteries[1].Sim.StateOfChargePercent!.Value);
        Assert.True(fullSocPercent < 91.5, $"the too-full battery discharged: {fullSocPercent:0.00} %");
        Assert.True(emptySocPercent > 8.5, $"the too-empty battery charged: {emptySocPercent:0.00} %");
        Assert.All(quiet.Skip(5), kw => Assert.InRange(kw, -1, 1)); // energy moved between them, not to the grid

        // A step to 49.8 Hz: the full band within 5 % after 30 s, corrections suspended.
        var step = await RunAsync(49.8, 60);
        Assert.All(step.Skip(30), kw => Assert.InRange(kw, contractedKw * 0.95, contractedKw * 1.05));
    }
}
