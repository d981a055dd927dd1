using Vpp.Client.Errors;
using Vpp.Domain.Schedules;

namespace Vpp.Client.Tests;

/// <summary>The schedule optimiser through the SDK against a real cluster (real clock: slots lie ahead).</summary>
[Collection(SdkClusterCollection.Name)]
public sealed class OptimisationOperationsTests(SdkClusterFixture fixture)
{
    private VppClient Vpp => fixture.Client;

    private static DateTimeOffset NextHour => QuarterHour.Floor(DateTimeOffset.UtcNow) + TimeSpan.FromHours(1);

    [Fact]
    public async Task An_applied_proposal_is_the_fleets_schedule()
    {
        // Two 100 kW / 400 kWh batteries at 50 %, 90 % round trip: 100 kWh bought in the cheap half hour store
        // 94.9 kWh and sell 90 kWh, 50 in the dearest slot (all 200 kW) and the other 40 in the next (160 kW).
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 2, maxKw: 100);
        var from = NextHour;

        var proposal = await Vpp.OptimiseAsync(fleetId, from, from.AddHours(1), [20, 20, 200, 190], apply: true);

        Assert.True(proposal.Applied);
        Assert.Equal([-200, -200, 200, 160], proposal.Slots.Select(s => Math.Round(s.TargetKw, 3)));
        var stored = await Vpp.GetScheduleAsync(fleetId, from, from.AddHours(1));
        Assert.Equal([-200, -200, 200, 160], stored.Slots.Select(s => s.TargetKw));
    }

    [Fact]
    public async Task Self_consumption_keeps_batteries_without_pv_from_buying_energy_to_sell()
    {
        // Arbitrage buys at 20 and sells at 200; self-consumption imports nothing, and a battery that must end where it
        // started has nothing of its own to give: the fleet stays at 0 kW.
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 1, maxKw: 100);
        var from = NextHour;
        Abstractions.Optimisation.PricePoint[] prices = [new(from, 20), new(from.AddMinutes(15), 200)];

        var arbitrage = await Vpp.OptimiseAsync(fleetId, new Abstractions.Optimisation.OptimiseRequest(from, from.AddMinutes(30), prices));
        var self = await Vpp.OptimiseAsync(
            fleetId, new Abstractions.Optimisation.OptimiseRequest(from, from.AddMinutes(30), prices, Domain.Optimisation.OptimisationRequestRules.SelfConsumption));

        Assert.True(arbitrage.ImportKwh > 0);
        Assert.Equal("selfConsumption", self.Objective);
        Assert.All(self.Slots, s => Assert.Equal(0, s.TargetKw, 6));
        Assert.Equal(0, self.ImportKwh, 6);
        Assert.Null(self.GreedyProfitEur);
    }

    [Fact]
    public async Task Refusals_are_typed_and_name_the_field_or_the_constraint()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 1, maxKw: 100);
        var from = NextHour;

        var infeasible = await Assert.ThrowsAsync<VppInfeasibleException>(() => Vpp.OptimiseAsync(fleetId, from, from.AddMinutes(15), [20], endSocPercent: 95));
        Assert.Equal("endSoc", infeasible.Constraint);
        Assert.Equal(from, infeasible.SlotStart);

        var missing = await Assert.ThrowsAsync<VppValidationException>(() => Vpp.OptimiseAsync(fleetId, from, from.AddHours(1), [20, 30]));
        Assert.Equal(["prices"], missing.Fields);
        var objective = await Assert.ThrowsAsync<VppValidationException>(() => Vpp.OptimiseAsync(
            fleetId, new Abstractions.Optimisation.OptimiseRequest(from, from.AddMinutes(15), [new(from, 20)], Objective: "cheapest")));
        Assert.Equal(["objective"], objective.Fields);
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.OptimiseAsync(SdkClusterFixture.NewId("nofleet"), from, from.AddMinutes(15), [20]));
        Assert.Empty((await Vpp.GetScheduleAsync(fleetId, from, from.AddHours(1))).Slots);
    }
}
