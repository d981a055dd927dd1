using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;

namespace Vpp.Grains.Tests.Fleets;

[Collection(VppClusterCollection.Name)]
public sealed class FleetScenarioTests(VppClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private async Task<string> AddOnlineBatteryAsync(string fleetId, string prefix, double maxKw, double costEurPerMwh, double socPercent = 50)
    {
        var assetId = VppClusterFixture.NewId(prefix);
        await fixture.AddOnlineBatteryAsync(fleetId, assetId, maxKw, costEurPerMwh, socPercent);
        return assetId;
    }

    private Task<FleetView> FleetWhenAsync(string fleetId, Func<FleetView, bool> condition, string what) =>
        fixture.FleetWhenAsync(fleetId, condition, what);

    [Fact]
    public async Task Dispatch_starts_an_off_chp_that_has_a_ramp_rate()
    {
        var fleetId = VppClusterFixture.NewId("fleet");
        var chpId = VppClusterFixture.NewId("chp");
        var chp = _grains.GetGrain<IAssetGrain>(chpId);
        await chp.ConfigureAsync(new AssetSpec
        {
            FleetId = fleetId,
            Kind = AssetKind.Chp,
            MinPowerKw = 0,
            MaxPowerKw = 100,
            MinStablePowerKw = 40,
            RampRateKwPerSecond = 1, // 30 kW within the 30 s ramp horizon: less than its min stable power
            MarginalCostEurPerMwh = 85,
        });
        await chp.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0));
        await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 1, "the CHP online");

        // Start-up to min stable power is the unit's own sequence; from there it ramps 30 kW within the horizon.
        var result = await _grains.GetGrain<IFleetGrain>(fleetId).DispatchAsync(new DispatchRequest(60, DispatchStrategy.MeritOrder));

        Assert.Equal(60, result.AllocatedKw, 3);
        Assert.Equal(0, result.ShortfallKw);
        Assert.Equal(60, (await chp.GetAsync())!.Live.SetpointKw!.Value, 3);
    }

    [Fact]
    public async Task A_shortfall_of_ramping_assets_is_dispatched_again_as_they_ramp_until_the_target_is_met()
    {
        // Two 100 kW batteries ramping 1 kW/s: each accepts 30 kW more than it delivers (the 30 s ramp horizon), so
        // 200 kW first gets 60 kW. Each time they report having ramped, the fleet dispatches the standing target again.
        var fleetId = VppClusterFixture.NewId("fleet");
        var assets = Enumerable.Range(0, 2).Select(_ => _grains.GetGrain<IAssetGrain>(VppClusterFixture.NewId("ramping"))).ToArray();
        foreach (var asset in assets)
        {
            await asset.ConfigureAsync(TestSpecs.LosslessBattery(fleetId, maxKw: 100, capacityKwh: 200) with { RampRateKwPerSecond = 1 });
            await asset.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: 50));
        }

        await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 2, "two batteries online");
        var result = await _grains.GetGrain<IFleetGrain>(fleetId).DispatchAsync(new DispatchRequest(200, DispatchStrategy.MeritOrder));
        Assert.Equal(60, result.AllocatedKw, 3);
        Assert.Equal(140, result.ShortfallKw, 3);

        foreach (var (deliveredKw, allocatedKw) in new[] { (30.0, 120.0), (60.0, 180.0), (90.0, 200.0) })
        {
            foreach (var asset in assets)
            {
                await asset.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), deliveredKw, StateOfChargePercent: 50));
            }

            var view = await FleetWhenAsync(fleetId, v => Math.Abs(v.Dispatch.AllocatedKw - allocatedKw) < 1e-3, $"{allocatedKw} kW allocated once the batteries deliver {deliveredKw} kW each");
            Assert.Equal(200 - allocatedKw, view.Dispatch.ShortfallKw, 3);
        }
    }

    [Fact]
    public async Task Configure_telemetry_dispatch_offline_pickup_and_shortfall()
    {
        var fleetId = VppClusterFixture.NewId("fleet");
        var cheap = await AddOnlineBatteryAsync(fleetId, "cheap", 100, 10);
        var middle = await AddOnlineBatteryAsync(fleetId, "middle", 100, 20);
        var dear = await AddOnlineBatteryAsync(fleetId, "dear", 100, 30);
        var fleet = _grains.GetGrain<IFleetGrain>(fleetId);

        var view = await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 3, "three assets online");
        Assert.Equal(3, view.Counts.AssetCount);
        Assert.Equal(-300, view.Capacity.MinKw, 3);
        Assert.Equal(300, view.Capacity.MaxKw, 3);

        // 150 kW in merit order: the cheapest gives all it has, the middle one the rest, the dearest nothing.
        var result = await fleet.DispatchAsync(new DispatchRequest(150, DispatchStrategy.MeritOrder));
        Assert.Equal(150, result.AllocatedKw, 3);
        Assert.Equal(0, result.ShortfallKw);
        var setpoints = result.Setpoints.ToDictionary(s => s.AssetId, s => s.SetpointKw);
        Assert.Equal(100, setpoints[cheap], 3);
        Assert.Equal(50, setpoints[middle], 3);
        Assert.Equal(0, setpoints[dear], 3);

        // The cheapest goes offline: the others pick up its 100 kW, so the fleet still delivers 150 kW.
        await _grains.GetGrain<IAssetGrain>(cheap).ReportStatusAsync(AssetStatus.Offline, "inverter fault");
        var afterOffline = await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 2 && v.Dispatch.LastDispatchId != result.DispatchId, "re-dispatch after offline");
        Assert.Equal(150, afterOffline.Dispatch.AllocatedKw, 3);
        Assert.Equal(0, afterOffline.Dispatch.ShortfallKw);
        Assert.Equal(100, (await _grains.GetGrain<IAssetGrain>(middle).GetAsync())!.Live.SetpointKw!.Value, 3);
        Assert.Equal(50, (await _grains.GetGrain<IAssetGrain>(dear).GetAsync())!.Live.SetpointKw!.Value, 3);

        var events = await fleet.GetEventsAsync(10);
        var reallocation = Assert.Single(events.OfType<ReallocationEvent>());
        Assert.Equal(100, reallocation.LostKw, 3);
        Assert.Equal(100, reallocation.PickedUpKw, 3);
        Assert.Equal(0, reallocation.ShortfallKw, 3);
        Assert.Contains(cheap, reallocation.AssetIds);
        // Who picked up what: the middle battery 50 → 100 kW, the dearest 0 → 50 kW.
        Assert.Equal([new SetpointChange(middle, 50), new SetpointChange(dear, 50)], reallocation.PickedUpBy!.OrderBy(c => c.AssetId == dear));
        Assert.Contains(events, e => e is AssetStatusEvent { Status: "offline" } status && status.AssetId == cheap);

        // A second loss leaves 100 kW where 150 kW are asked: the shortfall is reported, not hidden.
        await _grains.GetGrain<IAssetGrain>(middle).ReportStatusAsync(AssetStatus.Maintenance, "planned service");
        var afterSecond = await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 1 && Math.Abs(v.Dispatch.ShortfallKw - 50) < 1e-3, "shortfall of 50 kW");
        Assert.Equal(100, afterSecond.Dispatch.AllocatedKw, 3);
        Assert.Equal(150, afterSecond.Dispatch.TargetKw);

        // The cheapest comes back: the standing target is met again.
        await _grains.GetGrain<IAssetGrain>(cheap).ReportStatusAsync(AssetStatus.Online, "repaired");
        var restored = await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 2 && v.Dispatch.ShortfallKw == 0, "target met again");
        Assert.Equal(150, restored.Dispatch.AllocatedKw, 3);
    }

    [Fact]
    public async Task Silence_for_OfflineAfter_marks_an_asset_offline_and_the_fleet_reallocates()
    {
        var fleetId = VppClusterFixture.NewId("silent");
        var quiet = await AddOnlineBatteryAsync(fleetId, "quiet", 100, 10);
        var chatty = await AddOnlineBatteryAsync(fleetId, "chatty", 100, 20);
        await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 2, "two online");
        var fleet = _grains.GetGrain<IFleetGrain>(fleetId);
        var first = await fleet.DispatchAsync(new DispatchRequest(120));

        // Just under the limit nothing happens; the chatty asset keeps reporting.
        fixture.Clock.Advance(VppClusterFixture.OfflineAfter - TimeSpan.FromSeconds(1));
        await _grains.GetGrain<IAssetGrain>(chatty).ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 20, StateOfChargePercent: 50));
        Assert.Equal(AssetStatus.Online, (await _grains.GetGrain<IAssetGrain>(quiet).GetAsync())!.Live.Status);

        fixture.Clock.Advance(TimeSpan.FromSeconds(2));
        var quietView = await Eventually.Until(
            () => _grains.GetGrain<IAssetGrain>(quiet).GetAsync(),
            v => v!.Live.Status == AssetStatus.Offline,
            "the silent asset to go offline");
        Assert.Contains("no telemetry", quietView!.Live.StatusReason);
        Assert.Equal(AssetStatus.Online, (await _grains.GetGrain<IAssetGrain>(chatty).GetAsync())!.Live.Status);

        var view = await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 1 && v.Dispatch.LastDispatchId != first.DispatchId, "chatty picks up");
        Assert.Equal(100, view.Dispatch.AllocatedKw, 3);
        Assert.Equal(20, view.Dispatch.ShortfallKw, 3);
    }

    [Fact]
    public async Task A_battery_running_empty_hands_its_share_to_the_rest_of_the_fleet()
    {
        var fleetId = VppClusterFixture.NewId("drain");
        var draining = await AddOnlineBatteryAsync(fleetId, "draining", 100, 10);
        var reserve = await AddOnlineBatteryAsync(fleetId, "reserve", 100, 50);
        await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 2, "two online");
        var fleet = _grains.GetGrain<IFleetGrain>(fleetId);
        var first = await fleet.DispatchAsync(new DispatchRequest(80));
        Assert.Equal(80, first.Setpoints.Single(s => s.AssetId == draining).SetpointKw, 3);

        // Still online, but at its minimum SoC it can no longer discharge: the dearer battery takes over.
        await _grains.GetGrain<IAssetGrain>(draining).ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 80, StateOfChargePercent: 5));
        var view = await FleetWhenAsync(fleetId, v => v.Dispatch.LastDispatchId != first.DispatchId, "re-dispatch after the battery ran empty");
        Assert.Equal(80, view.Dispatch.AllocatedKw, 3);
        Assert.Equal(80, (await _grains.GetGrain<IAssetGrain>(reserve).GetAsync())!.Live.SetpointKw!.Value, 3);
        Assert.Equal(0, (await _grains.GetGrain<IAssetGrain>(draining).GetAsync())!.Live.SetpointKw!.Value, 3);
        var reallocation = (await fleet.GetEventsAsync(5)).First(e => e.Kind == FleetEventKinds.Reallocation);
        Assert.Contains("could no longer hold", reallocation.Message);
    }

    [Fact]
    public async Task Re_dispatches_for_drift_alone_are_recorded_at_most_once_a_minute_and_say_how_many_were_not()
    {
        var fleetId = VppClusterFixture.NewId("drift");
        var batteries = new[]
        {
            await AddOnlineBatteryAsync(fleetId, "first", 100, 10),
            await AddOnlineBatteryAsync(fleetId, "second", 100, 20),
            await AddOnlineBatteryAsync(fleetId, "third", 100, 30),
        };
        await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 3, "three online");
        var fleet = _grains.GetGrain<IFleetGrain>(fleetId);
        var last = (await fleet.DispatchAsync(new DispatchRequest(80))).DispatchId;
        var soc = new Dictionary<string, double> { [batteries[0]] = 50, [batteries[1]] = 50, [batteries[2]] = 50 };

        // One battery after the other runs empty while holding the 80 kW; each time the next one takes over.
        async Task<FleetEvent[]> DrainAsync(string assetId)
        {
            soc[assetId] = 5;
            await _grains.GetGrain<IAssetGrain>(assetId).ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 80, StateOfChargePercent: 5));
            var view = await FleetWhenAsync(fleetId, v => v.Dispatch.LastDispatchId != last, $"re-dispatch after {assetId} ran empty");
            last = view.Dispatch.LastDispatchId;
            return [.. (await fleet.GetEventsAsync(50)).Where(e => e.Kind == FleetEventKinds.Reallocation)];
        }

        Assert.Single(await DrainAsync(batteries[0]));
        Assert.Single(await DrainAsync(batteries[1])); // re-dispatched (the third took over), but within the minute: no event
        Assert.Equal(80, (await _grains.GetGrain<IAssetGrain>(batteries[2]).GetAsync())!.Live.SetpointKw!.Value, 3);

        // A minute on (telemetry keeps them online), the next drift is recorded again and counts the one left out.
        for (var i = 0; i < 7; i++)
        {
            fixture.Clock.Advance(TimeSpan.FromSeconds(10));
            foreach (var id in batteries)
            {
                await _grains.GetGrain<IAssetGrain>(id).ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: soc[id]));
            }
        }

        var events = await DrainAsync(batteries[2]);
        Assert.Equal(2, events.Length);
        Assert.Contains("1 earlier re-dispatch(es) for drift or unanswered partitions not recorded", events[0].Message);
        Assert.Contains("could no longer hold", events[0].Message);
    }

    [Fact]
    public async Task Dispatch_beyond_the_fleet_range_allocates_the_nearest_feasible_value_and_reports_the_shortfall()
    {
        var fleetId = VppClusterFixture.NewId("range");
        await AddOnlineBatteryAsync(fleetId, "a", 50, 10);
        await AddOnlineBatteryAsync(fleetId, "b", 70, 10);
        await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 2, "two online");

        var up = await _grains.GetGrain<IFleetGrain>(fleetId).DispatchAsync(new DispatchRequest(500, DispatchStrategy.ProRata));
        Assert.Equal(120, up.AllocatedKw, 3);
        Assert.Equal(380, up.ShortfallKw, 3);

        var down = await _grains.GetGrain<IFleetGrain>(fleetId).DispatchAsync(new DispatchRequest(-60, DispatchStrategy.ProRata));
        Assert.Equal(-60, down.AllocatedKw, 3);
        var setpoints = down.Setpoints.Select(s => s.SetpointKw).OrderBy(x => x).ToArray();
        Assert.Equal([-35, -25], setpoints, new ToleranceComparer(1e-3)); // pro rata by headroom: 50/120 and 70/120 of 60
    }

    [Fact]
    public async Task A_solar_park_is_never_asked_for_more_than_the_sun_gives()
    {
        var fleetId = VppClusterFixture.NewId("sun");
        var solar = _grains.GetGrain<IAssetGrain>(VppClusterFixture.NewId("pv"));
        await solar.ConfigureAsync(new AssetSpec { FleetId = fleetId, Kind = AssetKind.Solar, MinPowerKw = 0, MaxPowerKw = 500 });
        await solar.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 180, AvailablePowerKw: 200));
        var view = await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 1, "solar online");
        Assert.Equal(200, view.Capacity.MaxKw, 3);

        var result = await _grains.GetGrain<IFleetGrain>(fleetId).DispatchAsync(new DispatchRequest(300));
        Assert.Equal(200, result.AllocatedKw, 3);
        Assert.Equal(100, result.ShortfallKw, 3);

        var curtailed = await _grains.GetGrain<IFleetGrain>(fleetId).DispatchAsync(new DispatchRequest(50));
        Assert.Equal(50, Assert.Single(curtailed.Setpoints).SetpointKw, 3);
    }

    [Fact]
    public async Task Moving_an_asset_to_another_fleet_updates_both_fleets()
    {
        var from = VppClusterFixture.NewId("from");
        var to = VppClusterFixture.NewId("to");
        var moving = await AddOnlineBatteryAsync(from, "mover", 100, 10);
        await AddOnlineBatteryAsync(from, "stayer", 100, 10);
        await AddOnlineBatteryAsync(to, "other", 100, 10);
        await FleetWhenAsync(from, v => v.Counts.AssetCount == 2, "two in source");

        var asset = _grains.GetGrain<IAssetGrain>(moving);
        var spec = (await asset.GetAsync())!.Spec;
        await asset.ConfigureAsync(spec with { FleetId = to });

        await FleetWhenAsync(from, v => v.Counts.AssetCount == 1 && v.Counts.OnlineCount == 1, "source lost one");
        var target = await FleetWhenAsync(to, v => v.Counts.AssetCount == 2 && v.Counts.OnlineCount == 2, "target gained one");
        Assert.Equal(200, target.Capacity.MaxKw, 3);
    }

    [Fact]
    public async Task Invalid_specs_and_ids_are_refused_naming_the_field()
    {
        var bad = await Assert.ThrowsAsync<InvalidInputException>(() => _grains.GetGrain<IAssetGrain>(VppClusterFixture.NewId("bat"))
            .ConfigureAsync(new AssetSpec { FleetId = "f-1", Kind = AssetKind.Battery, MinPowerKw = 10, MaxPowerKw = -10 }));
        Assert.Contains(bad.Problems, p => p.Field == "minPowerKw");
        Assert.Contains(bad.Problems, p => p.Field == "energyCapacityKwh");

        var digits = await Assert.ThrowsAsync<InvalidInputException>(() => _grains.GetGrain<IAssetGrain>("12345")
            .ConfigureAsync(new AssetSpec { FleetId = "f-1", Kind = AssetKind.Solar, MinPowerKw = 0, MaxPowerKw = 10 }));
        Assert.Contains(digits.Problems, p => p.Field == "assetId");
        Assert.Null(await _grains.GetGrain<IAssetGrain>("12345").GetAsync());
    }

    [Fact]
    public async Task Changing_an_assets_kind_is_a_conflict_and_changes_nothing()
    {
        var fleetId = VppClusterFixture.NewId("kind");
        var id = await AddOnlineBatteryAsync(fleetId, "bat", 100, 10);
        var asset = _grains.GetGrain<IAssetGrain>(id);
        var conflict = await Assert.ThrowsAsync<ConflictException>(() =>
            asset.ConfigureAsync(new AssetSpec { FleetId = fleetId, Kind = AssetKind.Solar, MinPowerKw = 0, MaxPowerKw = 10 }));
        Assert.Equal("kind", conflict.Field);
        Assert.Equal(AssetKind.Battery, (await asset.GetAsync())!.Spec.Kind);
    }

    [Fact]
    public async Task Unknown_fleets_and_assets_are_not_found()
    {
        var fleetId = VppClusterFixture.NewId("nobody");
        Assert.Null(await _grains.GetGrain<IFleetGrain>(fleetId).GetAsync());
        await Assert.ThrowsAsync<NotFoundException>(() => _grains.GetGrain<IFleetGrain>(fleetId).DispatchAsync(new DispatchRequest(10)));
        await Assert.ThrowsAsync<NotFoundException>(() =>
            _grains.GetGrain<IAssetGrain>(VppClusterFixture.NewId("ghost")).ReportTelemetryAsync(new Telemetry(null, 1)));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
