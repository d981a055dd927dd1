using Orleans.Core.Internal;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.GridServices;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Tests.GridServices;

[Collection(VppClusterCollection.Name)]
public sealed class FcrGrainTests(VppClusterFixture fixture)
{
    private IGridAreaInternal Area => GridServiceFleet.Area(fixture);

    [Theory]
    [InlineData(49.990, 0)] // deadband edge: no response
    [InlineData(50.010, 0)]
    [InlineData(49.900, 50)] // half response at −100 mHz, positive = more export
    [InlineData(50.100, -50)]
    [InlineData(49.800, 100)] // full at −200 mHz
    [InlineData(49.500, 100)] // beyond ±200 mHz clamped at the contracted band
    [InlineData(50.700, -100)]
    public async Task The_droop_reaches_the_asset_setpoints_on_top_of_the_base_target(double frequencyHz, double expectedResponseKw)
    {
        var fleet = await GridServiceFleet.CreateAsync(fixture, "droop", 2, maxKw: 100);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(20));
        await fleet.Services.SetFcrContractAsync(100, fixture.Clock);

        var applied = await Area.ReportFrequencyAsync(new FrequencyMeasurement(frequencyHz));
        Assert.DoesNotContain(fleet.FleetId, applied.FailedFleetIds);

        // The call answers once the setpoints are sent: no waiting needed.
        var view = (await fleet.Fleet.GetAsync())!;
        Assert.Equal(frequencyHz, view.Services.Fcr!.FrequencyHz);
        Assert.Equal(expectedResponseKw, view.Services.Fcr.ResponseKw, 3);
        Assert.Equal(20, view.Services.BaseTargetKw);
        Assert.Equal(20 + expectedResponseKw, view.Dispatch.TargetKw!.Value, 3);
        Assert.Equal(20 + expectedResponseKw, view.Dispatch.AllocatedKw, 3);
        Assert.Equal(20 + expectedResponseKw, await fleet.SetpointSumKwAsync(), 3);
    }

    [Fact]
    public async Task Settlement_counts_the_fcr_activation_as_requested_energy()
    {
        // Two fleets dispatched alike at the same (fake) instant; only the first holds a band and is activated.
        var activated = await GridServiceFleet.CreateAsync(fixture, "settle-fcr", 2, maxKw: 100);
        var plain = await GridServiceFleet.CreateAsync(fixture, "settle-plain", 2, maxKw: 100);
        var start = fixture.Clock.GetUtcNow();
        await activated.Fleet.DispatchAsync(new DispatchRequest(20));
        await plain.Fleet.DispatchAsync(new DispatchRequest(20));
        await activated.Services.SetFcrContractAsync(100, fixture.Clock);

        // +50 kW (49.9 Hz) held for 6 minutes, then back inside the deadband: 5 kWh more was asked of the first fleet.
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(49.9));
        fixture.Clock.Advance(TimeSpan.FromMinutes(6));
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50.0));
        await activated.Services.SetFcrContractAsync(0, fixture.Clock);

        var from = Domain.Schedules.QuarterHour.Floor(start);
        var to = from.AddHours(1);
        // Settlement reads the booked activations from storage, where they are written behind (AfrrWriteInterval, 1 min).
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        async Task<double> RequestedKwhAsync(string fleetId) =>
            (await fixture.Grains.GetGrain<ISettlementQueryGrain>(fleetId).GetSettlementAsync(from, to)).Slots.Sum(s => s.RequestedKwh);
        var plainKwh = await RequestedKwhAsync(plain.FleetId);
        var activatedKwh = await Eventually.Until(
            () => RequestedKwhAsync(activated.FleetId), kwh => Math.Abs(kwh - plainKwh - 5) < 1e-6, "the activation's 5 kWh booked and stored");
        Assert.Equal(5, activatedKwh - plainKwh, 6);
    }

    [Fact]
    public async Task Response_beyond_the_fleet_range_is_clamped_and_reported()
    {
        var fleet = await GridServiceFleet.CreateAsync(fixture, "clamp", 2, maxKw: 100);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(150));
        await fleet.Services.SetFcrContractAsync(50, fixture.Clock); // 150 + 50 = 200 is the edge; the contract is valid

        // A 20 kW aFRR request on top of full FCR overshoots the 200 kW the fleet can export.
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(49.7));
        var accepted = await fleet.Services.SetAfrrSetpointAsync(new AfrrSetpoint(20));
        Assert.Equal(200, accepted.TargetKw, 3);
        Assert.Equal(20, accepted.ClampedKw, 3);
        var view = (await fleet.Fleet.GetAsync())!;
        Assert.Equal(20, view.Services.ClampedKw, 3);
        Assert.Equal(200, view.Dispatch.AllocatedKw, 3);
    }

    [Fact]
    public async Task Contract_zero_ends_the_response_and_leaves_the_area()
    {
        var fleet = await GridServiceFleet.CreateAsync(fixture, "ends", 2, maxKw: 100);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(0));
        await fleet.Services.SetFcrContractAsync(80, fixture.Clock);
        Assert.Contains(fleet.FleetId, await Area.GetContractedFleetsAsync());
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(49.8));
        Assert.Equal(80, (await fleet.Fleet.GetAsync())!.Dispatch.AllocatedKw, 3);

        var ended = await fleet.Services.SetFcrContractAsync(0, fixture.Clock);
        Assert.Equal(0, ended.ContractedKw);
        Assert.Equal(0, ended.ResponseKw);
        Assert.DoesNotContain(fleet.FleetId, await Area.GetContractedFleetsAsync());
        var view = (await fleet.Fleet.GetAsync())!;
        Assert.Equal(0, view.Dispatch.TargetKw!.Value, 3);
        Assert.Equal(0, await fleet.SetpointSumKwAsync(), 3);

        var events = await fleet.Fleet.GetEventsAsync(20);
        Assert.Equal(2, events.Count(e => e.Kind == GridServiceEventKinds.Fcr && e.Message.Contains("FCR award")));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(150)] // two 100 kW batteries at 0 kW hold at most ±200 kW, but dispatched to 60 kW only ±140 kW
    public async Task An_impossible_contract_is_refused_naming_contractedKw_and_changes_nothing(double contractedKw)
    {
        var fleet = await GridServiceFleet.CreateAsync(fixture, "badfcr", 2, maxKw: 100);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(60));
        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => fleet.Services.SetFcrContractAsync(contractedKw, fixture.Clock));
        Assert.Contains(ex.Problems, p => p.Field == "contractedKw");
        var view = (await fleet.Fleet.GetAsync())!;
        Assert.Null(view.Services.Fcr);
        Assert.DoesNotContain(fleet.FleetId, await Area.GetContractedFleetsAsync());
    }

    [Fact]
    public async Task Bad_measurements_are_refused_and_an_older_one_conflicts()
    {
        var tooLow = await Assert.ThrowsAsync<InvalidInputException>(() => Area.ReportFrequencyAsync(new FrequencyMeasurement(47.4)));
        Assert.Equal("frequencyHz", tooLow.Problems.Single().Field);
        var notFinite = await Assert.ThrowsAsync<InvalidInputException>(() => Area.ReportFrequencyAsync(new FrequencyMeasurement(double.PositiveInfinity)));
        Assert.Equal("frequencyHz", notFinite.Problems.Single().Field);
        var future = await Assert.ThrowsAsync<InvalidInputException>(
            () => Area.ReportFrequencyAsync(new FrequencyMeasurement(50, fixture.Clock.GetUtcNow().AddMinutes(1))));
        Assert.Equal("timestamp", future.Problems.Single().Field);

        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50));
        var outOfOrder = await Assert.ThrowsAsync<ConflictException>(
            () => Area.ReportFrequencyAsync(new FrequencyMeasurement(50, fixture.Clock.GetUtcNow().AddSeconds(-2))));
        Assert.Equal("timestamp", outOfOrder.Field);
        var stale = await Assert.ThrowsAsync<InvalidInputException>(
            () => Area.ReportFrequencyAsync(new FrequencyMeasurement(50, fixture.Clock.GetUtcNow().AddSeconds(-6))));
        Assert.Equal("timestamp", stale.Problems.Single().Field);
    }

    [Fact]
    public async Task A_stale_measurement_stops_driving_the_response_and_is_recorded_once()
    {
        var fleet = await GridServiceFleet.CreateAsync(fixture, "stale", 2, maxKw: 100);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(20));
        await fleet.Services.SetFcrContractAsync(100, fixture.Clock);
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(49.9));
        Assert.Equal(70, (await fleet.Fleet.GetAsync())!.Dispatch.AllocatedKw, 3);

        // The fake clock moves past the 5 s maximum age; the fleet's watch (real time) notices and goes back to the base.
        fixture.Clock.Advance(TimeSpan.FromSeconds(6));
        var view = await fleet.ViewWhenAsync(
            v => v.Services.Fcr is { FrequencyStale: true } && Math.Abs(v.Dispatch.AllocatedKw - 20) < 1e-3, "the response back to 0 kW");
        Assert.Equal(0, view.Services.Fcr!.ResponseKw);
        Assert.Equal(20, view.Dispatch.TargetKw!.Value, 3);
        var events = await fleet.Fleet.GetEventsAsync(500);
        Assert.Single(events, e => e.Kind == GridServiceEventKinds.FrequencyStale);

        // A fresh measurement drives it again.
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(49.8));
        view = (await fleet.Fleet.GetAsync())!;
        Assert.False(view.Services.Fcr!.FrequencyStale);
        Assert.Equal(120, view.Dispatch.AllocatedKw, 3);
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50));
        await fleet.Services.SetFcrContractAsync(0, fixture.Clock);
    }

    [Fact]
    public async Task A_new_contract_never_adopts_a_stale_measurement()
    {
        var first = await GridServiceFleet.CreateAsync(fixture, "stale-a", 1, maxKw: 100);
        await first.Services.SetFcrContractAsync(50, fixture.Clock);
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(49.8));
        fixture.Clock.Advance(TimeSpan.FromSeconds(6));

        var second = await GridServiceFleet.CreateAsync(fixture, "stale-b", 2, maxKw: 100);
        await second.Fleet.DispatchAsync(new DispatchRequest(0));
        var contract = await second.Services.SetFcrContractAsync(100, fixture.Clock);
        Assert.Equal(0, contract.ResponseKw);
        Assert.Equal(0, (await second.Fleet.GetAsync())!.Dispatch.AllocatedKw, 3);
        await first.Services.SetFcrContractAsync(0, fixture.Clock);
        await second.Services.SetFcrContractAsync(0, fixture.Clock);
    }

    [Fact]
    public async Task A_base_dispatch_that_leaves_less_than_the_band_free_is_refused_and_changes_nothing()
    {
        // Range ±200 kW, band ±100 kW: bases from −100 to 100 kW keep it.
        var fleet = await GridServiceFleet.CreateAsync(fixture, "band", 2, maxKw: 100);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(0));
        await fleet.Services.SetFcrContractAsync(100, fixture.Clock);
        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => fleet.Fleet.DispatchAsync(new DispatchRequest(200)));
        Assert.Contains("0 kW free upwards", Assert.Single(ex.Problems, p => p.Field == "targetKw").Message);
        Assert.Equal(0, (await fleet.Fleet.GetAsync())!.Services.BaseTargetKw);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(-100));
        Assert.Equal(-100, (await fleet.Fleet.GetAsync())!.Services.BaseTargetKw);
        await fleet.Services.SetFcrContractAsync(0, fixture.Clock);
    }

    [Fact]
    public async Task Measurements_faster_than_dispatch_are_coalesced_to_the_newest()
    {
        var fleet = await GridServiceFleet.CreateAsync(fixture, "burst", 4, maxKw: 100);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(0));
        await fleet.Services.SetFcrContractAsync(200, fixture.Clock);
        var before = (await fleet.Fleet.GetAsync())!.Services.Fcr!.ServiceDispatches;

        // 60 distinct frequencies sent at once, all outside the deadband, so each alone would need a dispatch.
        const int count = 60;
        var sends = Enumerable.Range(0, count)
            .Select(i => Area.ReportFrequencyAsync(new FrequencyMeasurement(49.85 + (i % 2 == 0 ? 0 : 0.3) - (i * 0.0005))))
            .ToArray();
        await Task.WhenAll(sends);

        var view = (await fleet.Fleet.GetAsync())!;
        var dispatches = view.Services.Fcr!.ServiceDispatches - before;
        Assert.InRange(dispatches, 1, count - 1);

        // Whatever arrived last is what the assets hold: the fleet never stops at an older measurement.
        Assert.Equal(view.Services.Fcr.ResponseKw, view.Dispatch.AllocatedKw, 3);
        Assert.Equal(view.Services.Fcr.ResponseKw, await fleet.SetpointSumKwAsync(), 3);
        Assert.Equal(Domain.GridServices.FcrDroop.ResponseKw(200, view.Services.Fcr.FrequencyHz!.Value), view.Services.Fcr.ResponseKw, 6);
    }

    [Fact]
    public async Task Only_large_response_changes_are_recorded_as_events()
    {
        var fleet = await GridServiceFleet.CreateAsync(fixture, "events", 2, maxKw: 100);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(0));
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50));
        await fleet.Services.SetFcrContractAsync(100, fixture.Clock);
        foreach (var f in new[] { 49.98, 49.97, 49.975, 49.96, 49.7, 49.71, 50.0 })
        {
            await Area.ReportFrequencyAsync(new FrequencyMeasurement(f));
        }

        // 49.98 → 10 kW and small wiggles stay below 25 % of the band; 49.7 (100 kW) and back to 50 Hz (0) are recorded.
        var events = (await fleet.Fleet.GetEventsAsync(50)).Where(e => e.Kind == GridServiceEventKinds.Fcr && e.Message.StartsWith("FCR response")).ToArray();
        Assert.Equal(2, events.Length);
    }

    [Fact]
    public async Task A_reactivated_fleet_keeps_its_contract_and_its_aFRR_record()
    {
        var fleet = await GridServiceFleet.CreateAsync(fixture, "restart", 2, maxKw: 100);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(10));
        await fleet.Services.SetFcrContractAsync(60, fixture.Clock);
        var start = fixture.Clock.GetUtcNow();
        await fleet.Services.SetAfrrSetpointAsync(new AfrrSetpoint(30, start.AddSeconds(-8)));
        await fleet.Services.SetAfrrSetpointAsync(new AfrrSetpoint(40, start.AddSeconds(-4)));

        await fleet.Fleet.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(49.9));

        var view = await fleet.ViewWhenAsync(v => v.Services.Fcr?.FrequencyHz == 49.9, "the reactivated fleet to take the measurement");
        Assert.Equal(60, view.Services.Fcr!.ContractedKw);
        Assert.Equal(30, view.Services.Fcr.ResponseKw, 3);
        Assert.Equal(40, view.Services.AfrrSetpointKw);
        Assert.Equal(10 + 30 + 40, view.Dispatch.AllocatedKw, 3);
        // The record is split at a quarter-hour boundary (settlement slots), so the 30 kW step is one row, or two
        // contiguous rows when the shared fake clock sits just past a quarter hour.
        var steps = (await fleet.Services.GetAfrrStepsAsync(start.AddMinutes(-1), start.AddMinutes(1))).OrderBy(s => s.From).ToArray();
        Assert.InRange(steps.Length, 1, 2);
        Assert.All(steps, s => Assert.Equal(30, s.RequestedKw));
        Assert.Equal((start.AddSeconds(-8), start.AddSeconds(-4)), (steps[0].From, steps[^1].To));
        Assert.All(steps.Skip(1).Zip(steps), pair => Assert.Equal(pair.Second.To, pair.First.From));
    }

    [Fact]
    public async Task A_too_full_battery_pool_discharges_at_most_the_deadband_share_and_during_a_response_only_as_over_fulfilment()
    {
        // 2 × 180 kWh usable at 92 % SoC: 96.7 % of the pool's usable energy, above the window that ±100 kW for
        // 15 min each way leaves (7.3–93.4 % with losses): each discharges as much as the deadband allows, 5 % of its
        // 50 kW reserve.
        var fleet = await GridServiceFleet.CreateAsync(fixture, "soc", 2, maxKw: 100, socPercent: 92);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(0));
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50));
        await fleet.Services.SetFcrContractAsync(100, fixture.Clock);

        var quiet = (await fleet.Fleet.GetAsync())!;
        Assert.Equal(96.67, quiet.Services.Fcr!.PooledSocPercent!.Value, 2);
        Assert.Equal(5, quiet.Services.Fcr.SocManagementKw, 3);
        Assert.Equal(5, quiet.Dispatch.TargetKw!.Value, 3);
        Assert.Equal(5, await fleet.SetpointSumKwAsync(), 3);

        // 49.9 Hz: the response (50 kW) plus at most 20 % of it.
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(49.9));
        var responding = (await fleet.Fleet.GetAsync())!;
        Assert.Equal(10, responding.Services.Fcr!.SocManagementKw, 3);
        Assert.Equal(60, responding.Dispatch.TargetKw!.Value, 3);
        Assert.Equal(60, await fleet.SetpointSumKwAsync(), 3);

        // 50.1 Hz: the response is to absorb; a discharge would oppose it, so there is none.
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50.1));
        var absorbing = (await fleet.Fleet.GetAsync())!;
        Assert.Equal(0, absorbing.Services.Fcr!.SocManagementKw);
        Assert.Equal(-50, await fleet.SetpointSumKwAsync(), 3);
    }

    [Fact]
    public async Task A_pool_in_the_middle_of_its_window_is_left_alone()
    {
        var fleet = await GridServiceFleet.CreateAsync(fixture, "socmid", 2, maxKw: 100, socPercent: 50);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(0));
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(50));
        var view = await fleet.Services.SetFcrContractAsync(100, fixture.Clock);
        Assert.Equal(50, view.PooledSocPercent!.Value, 3);
        Assert.Equal(0, view.SocManagementKw);
        Assert.Equal(0, await fleet.SetpointSumKwAsync(), 3);
    }
}
