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
    public async Task Refusals_are_typed_and_name_the_field_or_the_constraint()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 1, maxKw: 100);
        var from = NextHour;

        var infeasible = await Assert.ThrowsAsync<VppInfeasibleException>(() => Vpp.OptimiseAsync(fleetId, from, from.AddMinutes(15), [20], endSocPercent: 95));
        Assert.Equal("endSoc", infeasible.Constraint);
        Assert.Equal(from, infeasible.SlotStart);

        var missing = await Assert.ThrowsAsync<VppValidationException>(() => Vpp.OptimiseAsync(fleetId, from, from.AddHours(1), [20, 30]));
        Assert.Equal(["prices"], missing.Fields);
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.OptimiseAsync(SdkClusterFixture.NewId("nofleet"), from, from.AddMinutes(15), [20]));
        Assert.Empty((await Vpp.GetScheduleAsync(fleetId, from, from.AddHours(1))).Slots);
    }
}
