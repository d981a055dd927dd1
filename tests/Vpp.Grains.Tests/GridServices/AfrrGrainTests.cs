using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.GridServices;
using Vpp.Domain.Assets;
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
        await fleet.ViewWhenAsync(v => v.MeasuredKw == 40 && v.StaleCount == 0, "both batteries measured at 20 kW");
        await fleet.Services.SetAfrrSetpointAsync(new AfrrSetpoint(40, boundary.AddSeconds(2)));

        var steps = await fleet.Services.GetAfrrStepsAsync(boundary.AddMinutes(-1), boundary.AddMinutes(1));
        Assert.Equal(2, steps.Length);
        Assert.Equal((boundary.AddSeconds(-2), boundary, boundary, boundary.AddSeconds(2)), (steps[0].From, steps[0].To, steps[1].From, steps[1].To));
        Assert.All(steps, s => Assert.Equal(FleetGrain.DeliveredFromMeasurement, s.DeliveredSource));

        // Trapezoid: 0 → 20 kW over the first 2 s, 20 → 40 kW over the next 2 s.
        Assert.Equal(20, steps[0].DeliveredKw, 6);
        Assert.Equal(40, steps[1].DeliveredKw, 6);
        Assert.Equal(10 * 2, steps[0].DeliveredKwh * 3600, 6);
        Assert.Equal(30 * 2, steps[1].DeliveredKwh * 3600, 6);
        Assert.All(steps, s => Assert.Equal(40 * 2, s.RequestedKwh * 3600, 6));
    }
}
