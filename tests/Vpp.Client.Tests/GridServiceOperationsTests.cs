using Vpp.Testing;
using Vpp.Abstractions.GridServices;
using Vpp.Client.Errors;

namespace Vpp.Client.Tests;

[Collection(SdkClusterCollection.Name)]
public sealed class GridServiceOperationsTests(SdkClusterFixture fixture)
{
    private VppClient Vpp => fixture.Client;

    [Fact]
    public async Task An_fcr_contract_answers_the_frequency_and_ends_at_zero()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 2, maxKw: 100);
        await Vpp.DispatchAsync(fleetId, 0);
        var (from, to) = TestFcrAwards.Period(DateTimeOffset.UtcNow);

        var contract = await Vpp.SetFcrContractAsync(fleetId, 100, from, to);
        Assert.Equal(100, contract.ContractedKw);
        Assert.Equal(new FcrAwardView(100, from, to), Assert.Single(contract.Awards!));
        var applied = await Vpp.ReportFrequencyAsync(50.1, DateTimeOffset.UtcNow);
        Assert.DoesNotContain(fleetId, applied.FailedFleetIds);

        var fleet = await Vpp.GetFleetAsync(fleetId);
        Assert.Equal(-50, fleet.Services.Fcr!.ResponseKw, 3);
        Assert.Equal(-50, fleet.Dispatch.TargetKw!.Value, 3);
        Assert.Equal(-50, fleet.Dispatch.AllocatedKw, 3);

        var ended = await Vpp.SetFcrContractAsync(fleetId, 0, from, to);
        Assert.Equal(0, ended.ResponseKw);
        Assert.Empty(ended.Awards!);
        Assert.Equal(0, (await Vpp.GetFleetAsync(fleetId)).Dispatch.AllocatedKw, 3);
    }

    [Fact]
    public async Task Grid_service_mistakes_are_typed_exceptions_naming_the_field()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 1, maxKw: 100);
        await Vpp.DispatchAsync(fleetId, 0);

        var (from, to) = TestFcrAwards.Period(DateTimeOffset.UtcNow);
        Assert.Equal(["contractedKw"], (await Assert.ThrowsAsync<VppValidationException>(() => Vpp.SetFcrContractAsync(fleetId, 500, from, to))).Fields);
        Assert.Equal(["contractedKw"], (await Assert.ThrowsAsync<VppValidationException>(() => Vpp.SetFcrContractAsync(fleetId, -1, from, to))).Fields);
        Assert.Equal(["to"], (await Assert.ThrowsAsync<VppValidationException>(() => Vpp.SetFcrContractAsync(fleetId, 1, from, from))).Fields);
        Assert.Equal(["block"], (await Assert.ThrowsAsync<VppValidationException>(
            () => Vpp.SetFcrBlockContractAsync(fleetId, 1, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1), 6))).Fields);
        Assert.Equal(["frequencyHz"], (await Assert.ThrowsAsync<VppValidationException>(() => Vpp.ReportFrequencyAsync(double.NaN))).Fields);
        Assert.Equal(["frequencyHz"], (await Assert.ThrowsAsync<VppValidationException>(() => Vpp.ReportFrequencyAsync(53))).Fields);
        Assert.Equal(["setpointKw"], (await Assert.ThrowsAsync<VppValidationException>(() => Vpp.SendAfrrSetpointAsync(fleetId, double.PositiveInfinity))).Fields);
        Assert.Equal(["fleetId"], (await Assert.ThrowsAsync<VppValidationException>(() => Vpp.SetFcrContractAsync("12345", 1, from, to))).Fields);
        Assert.Equal(["to"], (await Assert.ThrowsAsync<VppValidationException>(
            () => Vpp.GetAfrrStepsAsync(fleetId, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(-1)))).Fields);
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.SendAfrrSetpointAsync(SdkClusterFixture.NewId("nofleet"), 1));

        var now = DateTimeOffset.UtcNow;
        await Vpp.SendAfrrSetpointAsync(fleetId, 10, now);
        var stale = await Assert.ThrowsAsync<VppConflictException>(() => Vpp.SendAfrrSetpointAsync(fleetId, 20, now.AddSeconds(-4)));
        Assert.Equal("timestamp", stale.Field);
        Assert.Null((await Vpp.GetFleetAsync(fleetId)).Services.Fcr);
    }

    [Fact]
    public async Task Afrr_setpoints_are_followed_and_recorded_step_by_step()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 2, maxKw: 100);
        await Vpp.DispatchAsync(fleetId, 20);
        var start = QuarterHours.StartWithin(DateTimeOffset.UtcNow.AddSeconds(-12), TimeSpan.FromSeconds(8));

        var first = await Vpp.SendAfrrSetpointAsync(fleetId, -60, start);
        Assert.Equal(-40, first.TargetKw, 3);
        await Vpp.SendAfrrSetpointAsync(fleetId, 50, start.AddSeconds(4));
        await Vpp.SendAfrrSetpointAsync(fleetId, 0, start.AddSeconds(8));

        // Nobody moved the batteries (their telemetry still says 0 kW): measured delivery shows the base target's
        // 20 kW missing, not the aFRR that was asked for.
        var steps = await Vpp.GetAfrrStepsAsync(fleetId, start.AddMinutes(-1), start.AddMinutes(1));
        Assert.Equal([-60d, 50d], steps.Select(s => s.RequestedKw));
        Assert.All(steps, s => Assert.Equal("measured", s.DeliveredSource));
        Assert.Equal([-20d, -20d], steps.Select(s => Math.Round(s.DeliveredKw, 3)));
        Assert.All(steps, s => Assert.Equal(TimeSpan.FromSeconds(4), s.To - s.From));
        Assert.Equal(20, (await Vpp.GetFleetAsync(fleetId)).Dispatch.AllocatedKw, 3);
    }
}
