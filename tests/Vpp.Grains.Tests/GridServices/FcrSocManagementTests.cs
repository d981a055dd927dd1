using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.GridServices;
using Vpp.Domain.Assets;
using Vpp.Domain.Simulation;

namespace Vpp.Grains.Tests.GridServices;

/// <summary>
/// FCR SoC management battery by battery: each battery heads back into its own SoC window (for its share of the band,
/// 15 min each way), whatever the rest of the pool looks like, and the correction stays on the batteries — but only in
/// the droop's direction: inside the deadband up to 5 % of its reserve, outside it up to 20 % over-fulfilment.
/// <para>
/// Numbers used below: ±100 kW batteries of 200 kWh, usable 5–95 % (180 kWh), round trip 90 %. A 100 kW band over two
/// of them is 50 kW each, 12.5 kWh each way: window 7.32–93.41 % of usable (with losses). At 92 % SoC a battery holds
/// 96.67 % of its usable energy (too full), at 8 % 3.33 % (too empty): both are out of their windows, so they push as
/// hard as allowed: 5 % of their 50 kW reserve = 2.5 kW inside the deadband.
/// </para>
/// </summary>
[Collection(VppClusterCollection.Name)]
public sealed class FcrSocManagementTests(VppClusterFixture fixture)
{
    private IGridAreaGrain Area => GridServiceFleet.Area(fixture);

    [Fact]
    public async Task At_50_Hz_a_balanced_pool_still_discharges_its_too_full_battery_into_its_too_empty_one()
    {
        // The pool as a whole sits at 50 %: a pooled view would see nothing to do.
        var fleet = await GridServiceFleet.CreateAsync(fixture, "socpair", maxKw: 100, [92, 8]);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(0));
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50));
        var fcr = await fleet.Services.SetFcrContractAsync(100, fixture.Clock);

        Assert.Equal(50, fcr.PooledSocPercent!.Value, 3);
        Assert.Equal(0, fcr.SocManagementKw, 3); // the corrections net out: the fleet's output does not move
        Assert.Equal(new double[] { 2.5, -2.5 }, await fleet.SetpointsKwAsync());
        Assert.Equal(0, (await fleet.Fleet.GetAsync())!.Dispatch.TargetKw!.Value, 3);
    }

    [Fact]
    public async Task A_correction_only_goes_the_way_the_droop_asks_and_outside_the_deadband_only_as_over_fulfilment()
    {
        var fleet = await GridServiceFleet.CreateAsync(fixture, "socdir", maxKw: 100, [92, 8]);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(0));
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50));
        await fleet.Services.SetFcrContractAsync(100, fixture.Clock);

        // 50.005 Hz: the droop would absorb, so only the too-empty battery charges (5 % of its reserve); the too-full
        // one waits instead of exporting against the droop.
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50.005));
        Assert.Equal(new double[] { 0, -2.5 }, await fleet.SetpointsKwAsync());
        Assert.Equal(-2.5, (await fleet.Fleet.GetAsync())!.Services.Fcr!.SocManagementKw, 3);

        // 49.995 Hz: the other way round.
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(49.995));
        Assert.Equal(new double[] { 2.5, 0 }, await fleet.SetpointsKwAsync());

        // 49.9 Hz: response +50 kW; the too-full battery adds 20 % of its 25 kW share of it (5 kW), the too-empty one
        // does not hold back (never under-delivery). Merit order: the cheaper battery takes the response.
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(49.9));
        Assert.Equal(new double[] { 55, 0 }, await fleet.SetpointsKwAsync());
        var view = (await fleet.Fleet.GetAsync())!;
        Assert.Equal(50, view.Services.Fcr!.ResponseKw, 3);
        Assert.Equal(5, view.Services.Fcr.SocManagementKw, 3);

        // 50.2 Hz: response −100 kW; the too-empty battery absorbs 20 % of its 50 kW share more.
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50.2));
        Assert.Equal(-110, await fleet.SetpointSumKwAsync(), 3);
    }

    [Fact]
    public async Task Batteries_that_cannot_hold_their_reserve_for_15_minutes_raise_one_alert_and_ask_for_a_trade()
    {
        var fleet = await GridServiceFleet.CreateAsync(fixture, "socalert", maxKw: 100, [92, 50]);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(0));
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50));
        var fcr = await fleet.Services.SetFcrContractAsync(100, fixture.Clock);

        // The 92 % battery cannot absorb its 50 kW for 15 min: alert downwards, and the energy above its window to sell
        // (96.67 − 93.41 % of 180 kWh, after the discharge losses).
        Assert.True(fcr.Alert);
        Assert.Equal("down", fcr.AlertDirection);
        var topPercent = 100 - (12.5 * Math.Sqrt(0.9) / 180 * 100);
        Assert.Equal(((92 - 5) / 0.9 - topPercent) / 100 * 180 * Math.Sqrt(0.9), fcr.SocTradeSellKwh, 2);
        Assert.Equal(0, fcr.SocTradeBuyKwh);

        // The other one runs nearly empty too: both ways now, still one event per change.
        await fixture.Grains.GetGrain<IAssetGrain>(fleet.AssetIds[1]).ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: 8));
        var both = await fleet.ViewWhenAsync(v => v.Services.Fcr!.AlertDirection == "both", "alert both ways");
        Assert.True(both.Services.Fcr!.SocTradeBuyKwh > 0);

        // Both back inside their windows, one after the other: the alert narrows, then ends.
        await fixture.Grains.GetGrain<IAssetGrain>(fleet.AssetIds[0]).ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: 50));
        await fleet.ViewWhenAsync(v => v.Services.Fcr!.AlertDirection == "up", "alert upwards only");
        await fixture.Grains.GetGrain<IAssetGrain>(fleet.AssetIds[1]).ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: 50));
        var ended = await fleet.ViewWhenAsync(v => !v.Services.Fcr!.Alert, "alert ended");
        Assert.Null(ended.Services.Fcr!.AlertDirection);
        Assert.Equal(0, ended.Services.Fcr.SocTradeSellKwh);
        var alerts = (await fleet.Fleet.GetEventsAsync(50)).Where(e => e.Kind == GridServiceEventKinds.FcrAlert).Select(e => e.Message).Reverse().ToArray();
        Assert.Equal(4, alerts.Length);
        Assert.StartsWith("FCR alert (down)", alerts[0]);
        Assert.StartsWith("FCR alert (both)", alerts[1]);
        Assert.StartsWith("FCR alert (up)", alerts[2]);
        Assert.StartsWith("FCR alert ended", alerts[3]);
    }

    [Fact]
    public async Task Settlement_books_the_soc_corrections_apart_from_the_requested_energy()
    {
        var fleet = await GridServiceFleet.CreateAsync(fixture, "socsettle", maxKw: 100, [92, 50]);
        var start = fixture.Clock.GetUtcNow();
        await fleet.Fleet.DispatchAsync(new DispatchRequest(0));
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50));
        await fleet.Services.SetFcrContractAsync(100, fixture.Clock);

        // 49.9 Hz for 6 minutes: the response (+50 kW, 5 kWh) is requested by the TSO; the too-full battery's
        // over-fulfilment (+5 kW, 0.5 kWh) is the fleet's own SoC management.
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(49.9));
        fixture.Clock.Advance(TimeSpan.FromMinutes(6));
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50.0, fixture.Clock.GetUtcNow()));
        await fleet.Services.SetFcrContractAsync(0, fixture.Clock);

        var from = Domain.Schedules.QuarterHour.Floor(start);
        // Settlement reads the ledgers from storage, where they are written behind (AfrrWriteInterval, 1 min).
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        var settlement = await Eventually.Until(
            () => fixture.Grains.GetGrain<ISettlementQueryGrain>(fleet.FleetId).GetSettlementAsync(from, from.AddHours(1)),
            s => Math.Abs(s.Slots.Sum(slot => slot.SocManagementKwh) - 0.5) < 1e-6,
            "the corrections' 0.5 kWh booked and stored");
        Assert.Equal(5, settlement.Slots.Sum(s => s.RequestedKwh), 6);
    }

    [Fact]
    public async Task Corrections_that_only_moved_with_the_soc_are_sent_again_at_most_every_30_seconds()
    {
        var fleet = await GridServiceFleet.CreateAsync(fixture, "socpace", maxKw: 100, [92, 8]);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(0));
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50));
        await fleet.Services.SetFcrContractAsync(100, fixture.Clock);
        Assert.Equal(new double[] { 2.5, -2.5 }, await fleet.SetpointsKwAsync());

        // Both move about half way back towards the middle of their window (symmetrically around it: the net, and so
        // the target, stays 0): their corrections shrink to about half, but are not sent again at once.
        var middleUsablePercent = ((12.5 / Math.Sqrt(0.9) / 180 * 100) + 100 - (12.5 * Math.Sqrt(0.9) / 180 * 100)) / 2;
        var emptySocPercent = 5 + ((2 * middleUsablePercent) - ((74.2 - 5) / 0.9)) * 0.9;
        async Task ReportAsync()
        {
            await fixture.Grains.GetGrain<IAssetGrain>(fleet.AssetIds[0]).ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 2.5, StateOfChargePercent: 74.2));
            await fixture.Grains.GetGrain<IAssetGrain>(fleet.AssetIds[1]).ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), -2.5, StateOfChargePercent: emptySocPercent));
        }

        // Every 4 s a frequency measurement (so it never goes stale: 5 s) and telemetry (silent for 15 s means offline).
        async Task StepAsync()
        {
            fixture.Clock.Advance(TimeSpan.FromSeconds(4));
            await ReportAsync();
            await Area.ReportFrequencyAsync(new FrequencyMeasurement(50, fixture.Clock.GetUtcNow()));
        }

        await ReportAsync();
        await fleet.ViewWhenAsync(
            v => Math.Abs(v.Services.Fcr!.PooledSocPercent!.Value - middleUsablePercent) < 0.01 && Math.Abs(v.Services.Fcr.SocManagementKw) < 1e-6, "the new SoC reported");
        for (var elapsedSeconds = 4; elapsedSeconds < 30; elapsedSeconds += 4)
        {
            await StepAsync();
            Assert.Equal(new double[] { 2.5, -2.5 }, await fleet.SetpointsKwAsync());
        }

        // Half a minute after the corrections were last sent, the next measurement sends the new ones.
        await StepAsync();
        var setpoints = await fleet.SetpointsKwAsync();
        Assert.InRange(setpoints[0], 1, 1.5);
        Assert.Equal(-setpoints[0], setpoints[1], 3);
    }

    [Fact]
    public async Task After_the_frequency_went_stale_the_next_fresh_measurement_sends_the_corrections_at_once()
    {
        var fleet = await GridServiceFleet.CreateAsync(fixture, "socstale", maxKw: 100, [92, 8]);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(0));
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50));
        await fleet.Services.SetFcrContractAsync(100, fixture.Clock);
        Assert.Equal(new double[] { 2.5, -2.5 }, await fleet.SetpointsKwAsync());

        // The measurement goes stale: a dispatch now knows no droop direction and sends no corrections.
        fixture.Clock.Advance(TimeSpan.FromSeconds(6));
        await fleet.Fleet.DispatchAsync(new DispatchRequest(0));
        Assert.Equal(new double[] { 0, 0 }, await fleet.SetpointsKwAsync());

        // A fresh measurement brings them back with it, not half a minute later.
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50, fixture.Clock.GetUtcNow()));
        Assert.Equal(new double[] { 2.5, -2.5 }, await fleet.SetpointsKwAsync());
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
        await fleet.ViewWhenAsync(v => v.Counts.OnlineCount == 3, "two batteries and the load online");

        // Where the fleet sits by itself: the load consuming its 200 kW, the batteries idle.
        await fleet.Fleet.DispatchAsync(new DispatchRequest(-200));
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50));
        var fcr = await fleet.Services.SetFcrContractAsync(100, fixture.Clock);

        // The too-full battery discharges its 2.5 kW; the fleet exports 2.5 kW more; the load is not asked to curtail.
        Assert.Equal(2.5, fcr.SocManagementKw, 3);
        Assert.Equal(new double[] { 2.5, 0 }, await fleet.SetpointsKwAsync());
        Assert.Equal(-200, (await load.GetAsync())!.Live.SetpointKw!.Value, 3);
        Assert.Equal(-197.5, (await fleet.Fleet.GetAsync())!.Dispatch.TargetKw!.Value, 3);
    }

    [Fact]
    public async Task Simulated_batteries_move_towards_their_windows_only_the_way_the_droop_allows_and_still_deliver_a_full_step()
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
        await Eventually.Until(() => fleet.GetAsync(), v => v?.Counts.OnlineCount == 2, "two simulated batteries online");
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

        // At 50.000 Hz both ways are allowed: 2.5 kW each (5 % of the 50 kW reserve), energy moved between them.
        var quiet = await RunAsync(50, 600);
        var (fullSocPercent, emptySocPercent) = (batteries[0].Sim.StateOfChargePercent!.Value, batteries[1].Sim.StateOfChargePercent!.Value);
        Assert.True(fullSocPercent < 91.85, $"the too-full battery discharged: {fullSocPercent:0.00} %");
        Assert.True(emptySocPercent > 8.15, $"the too-empty battery charged: {emptySocPercent:0.00} %");
        Assert.All(quiet.Skip(5), kw => Assert.InRange(kw, -1, 1)); // not to the grid

        // At 50.002 Hz the droop would absorb: only the too-empty battery charges, the fleet takes 2.5 kW from the grid.
        var above = await RunAsync(50.002, 30);
        Assert.All(above.Skip(5), kw => Assert.InRange(kw, -3, -2));
        Assert.Equal(fullSocPercent, batteries[0].Sim.StateOfChargePercent!.Value, 6);

        // A step to 49.8 Hz: the full band within 5 % after 30 s, and the too-full battery over-fulfils its share by at
        // most 20 % (10 kW): never less than the band.
        var step = await RunAsync(49.8, 60);
        Assert.All(step.Skip(30), kw => Assert.InRange(kw, contractedKw * 0.95, contractedKw * 1.2));
    }
}
