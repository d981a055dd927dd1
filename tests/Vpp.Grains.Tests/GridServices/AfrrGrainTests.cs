using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.GridServices;
using Vpp.Domain.Assets;
using Vpp.Domain.GridServices;
using Vpp.Domain.Schedules;
using Vpp.Grains;
using Vpp.Grains.Fleets;

namespace Vpp.Grains.Tests.GridServices;

[Collection(VppClusterCollection.Name)]
public sealed class AfrrGrainTests(VppClusterFixture fixture)
{
    [Fact]
    public async Task Delivered_afrr_energy_is_integrated_over_measurements_and_split_at_the_quarter_hour()
    {
        // The clock first, then the fleet: its batteries must not fall silent while the clock moves to the quarter hour.
        var boundary = QuarterHour.Floor(fixture.Clock.GetUtcNow() - TimeSpan.FromSeconds(2)) + QuarterHour.Length;
        fixture.Clock.Advance(boundary + TimeSpan.FromSeconds(2) - fixture.Clock.GetUtcNow());
        var fleet = await GridServiceFleet.CreateAsync(fixture, "afrr", 2, maxKw: 100);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(0));

        await fleet.Services.SetAfrrSetpointAsync(new AfrrSetpoint(40, boundary.AddSeconds(-2)));

        // Both batteries measure 20 kW: 40 kW of aFRR delivered at the close, 0 kW when the setpoint arrived.
        foreach (var assetId in fleet.AssetIds)
        {
            await fixture.Grains.GetGrain<IAssetGrain>(assetId).ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 20, StateOfChargePercent: 50));
        }

        fixture.Clock.Advance(new VppOptions().MeasuredSummaryInterval); // a measurement alone goes up with the partition's next tick
        await fleet.ViewWhenAsync(v => v.Measured.Kw == 40 && v.Measured.StaleCount == 0, "both batteries measured at 20 kW");
        await fleet.Services.SetAfrrSetpointAsync(new AfrrSetpoint(40, boundary.AddSeconds(2)));

        var steps = await fleet.Services.GetAfrrStepsAsync(boundary.AddMinutes(-1), boundary.AddMinutes(1));
        Assert.Equal(2, steps.Length);
        Assert.Equal((boundary.AddSeconds(-2), boundary, boundary, boundary.AddSeconds(2)), (steps[0].From, steps[0].To, steps[1].From, steps[1].To));
        Assert.All(steps, s => Assert.Equal(AfrrStep.Measured, s.DeliveredSource));

        // Trapezoid: 0 → 20 kW over the first 2 s, 20 → 40 kW over the next 2 s.
        Assert.Equal(20, steps[0].DeliveredKw, 6);
        Assert.Equal(40, steps[1].DeliveredKw, 6);
        Assert.Equal(10 * 2, steps[0].DeliveredKwh * 3600, 6);
        Assert.Equal(30 * 2, steps[1].DeliveredKwh * 3600, 6);
        Assert.All(steps, s => Assert.Equal(40 * 2, s.RequestedKwh * 3600, 6));
    }

    [Fact]
    public async Task Allocated_afrr_energy_follows_the_assets_ramp_from_the_power_delivered_before()
    {
        // Clear of a quarter hour, so the interval is one record.
        var boundary = QuarterHour.Floor(fixture.Clock.GetUtcNow()) + QuarterHour.Length;
        fixture.Clock.Advance(boundary + TimeSpan.FromSeconds(1) - fixture.Clock.GetUtcNow());

        // Two batteries ramping 2 kW/s each: the fleet's output moves at most 4 kW/s.
        var fleet = await GridServiceFleet.CreateAsync(fixture, "afrr-ramp", 2, maxKw: 100, rampKwPerSecond: 2);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(0));
        var start = fixture.Clock.GetUtcNow();
        var accepted = await fleet.Services.SetAfrrSetpointAsync(new AfrrSetpoint(100, start));
        Assert.Equal(100, accepted.AllocatedKw, 6);

        // 12 s on, the measurements from the start are stale (not yet the assets' silence limit): delivered comes from the allocation.
        fixture.Clock.Advance(TimeSpan.FromSeconds(12));
        await fleet.ViewWhenAsync(v => v.Measured.StaleCount == 2 && v.Counts.OnlineCount == 2, "both measurements stale, both batteries online");
        await fleet.Services.SetAfrrSetpointAsync(new AfrrSetpoint(100, start.AddSeconds(12)));

        var steps = await fleet.Services.GetAfrrStepsAsync(start.AddMinutes(-1), start.AddMinutes(1));
        var step = Assert.Single(steps);
        Assert.Equal((start, start.AddSeconds(12)), (step.From, step.To));
        Assert.Equal(AfrrStep.Allocated, step.DeliveredSource);

        // From 0 kW at 4 kW/s: 48 kW after 12 s and (0 + 48) / 2 × 12 kWs, not 100 kW × 12 s.
        Assert.Equal(48, step.DeliveredKw, 6);
        Assert.Equal(24 * 12, step.DeliveredKwh * 3600, 6);
        Assert.Equal(100 * 12, step.RequestedKwh * 3600, 6);
    }
}
