using Microsoft.Extensions.Time.Testing;
using Vpp.Domain.Assets;
using Vpp.Simulator.Engine;
using Vpp.Simulator.Optimisation;
using Vpp.Simulator.Scenarios;
using Vpp.Simulator.Tests.Gateway;

namespace Vpp.Simulator.Tests.Optimisation;

/// <summary>
/// The simulator following an optimised day against the real silo host: two quarter hours on the simulator's fake
/// clock (ten simulated seconds a round), the VPP's proposal applied slot by slot, its settlement read back.
/// </summary>
[Collection(VppApiCollection.Name)]
public sealed class OptimisedDayTests(VppApiFixture silo)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("sdk")]
    [InlineData("http")]
    public async Task The_fleet_follows_the_proposal_and_the_settled_revenue_is_near_the_expected_one(string transport)
    {
        var fleetId = VppApiFixture.NewId("simopt-" + transport);
        var pricePath = Path.Combine(silo.Root, fleetId + ".csv");
        await File.WriteAllLinesAsync(pricePath, ["from,eurPerMwh", "2026-04-19T00:00:00Z,20", "2026-04-19T00:15:00Z,200"]);
        var prices = await PriceFile.LoadAsync(pricePath, slots: null);
        await using var gateway = await SiloGateways.ConnectAsync(silo, transport);
        var run = new SimulationRun
        {
            FleetId = fleetId,
            Assets = new Scenario(fleetId, [new ScenarioGroup { Kind = AssetKind.Battery, Count = 10, MaxPowerKw = 10, RampRateKwPerSecond = 5, EnergyCapacityKwh = 40 }])
                .CreateAssets(seed: 5),
            Seed = 5,
            Interval = Interval,
        };
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var engine = new SimulationEngine(gateway, run, clock);
        Assert.Equal(10, await engine.RegisterAsync(null, CancellationToken.None));
        await engine.RunRoundAsync(CancellationToken.None);
        await silo.Client.WaitForFleetAsync(fleetId, f => f.Number("onlineCount") == 10, "every simulated battery online");
        clock.Advance(Interval);
        var lines = new List<string>();

        var report = await new OptimisedDayRunner(engine, gateway, run, clock).RunAsync(
            prices, endSocPercent: null, _ => { clock.Advance(Interval); return Task.FromResult(true); }, lines.Add, CancellationToken.None);

        Assert.NotNull(report);
        Assert.Equal(2, report.Slots.Count);
        Assert.True(report.Slots[0].TargetKw < -1, $"charges at 20 EUR/MWh: {report.Slots[0].TargetKw} kW");
        Assert.True(report.Slots[1].TargetKw > 1, $"discharges at 200 EUR/MWh: {report.Slots[1].TargetKw} kW");
        Assert.All(report.Slots, s =>
        {
            Assert.True(s.Complete, $"slot {s.Start:HH:mm} metered completely");

            // The fleet learns each target within a round (10 s of 900) and ramps to it in 2 s.
            Assert.InRange(s.DeliveredKwh, (s.TargetKw * 0.25) - (Math.Abs(s.TargetKw) * 0.25 * 0.05) - 0.1, (s.TargetKw * 0.25) + (Math.Abs(s.TargetKw) * 0.25 * 0.05) + 0.1);
        });
        Assert.InRange(report.SettledRevenueEur, report.ExpectedRevenueEur - (Math.Abs(report.ExpectedRevenueEur) * 0.1), report.ExpectedRevenueEur + (Math.Abs(report.ExpectedRevenueEur) * 0.1));
        Assert.Equal(report.Slots.Sum(s => s.PriceEurPerMwh * s.DeliveredKwh / 1000), report.SettledRevenueEur, 9);
        Assert.Contains(lines, l => l.Contains("slot 1/2: 20.00 EUR/MWh", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("slot 2/2: 200.00 EUR/MWh", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("the schedule ended: fleet target 0 kW", StringComparison.Ordinal));
        Assert.Equal(0, (await gateway.GetFleetAsync(fleetId, CancellationToken.None))!.TargetKw);
    }

    [Fact]
    public void A_price_file_with_a_gap_or_a_bad_row_is_refused_naming_the_line()
    {
        var error = Assert.Throws<ScenarioException>(() => PriceFile.Parse(
            ["from,eurPerMwh", "2026-04-19T00:00:00Z,20", "2026-04-19T00:30:00Z,30", "2026-04-19T00:45:00Z,cheap"], "prices.csv", slots: null));

        Assert.Equal(2, error.Problems.Count);
        Assert.StartsWith("line 3:", error.Problems[0], StringComparison.Ordinal);
        Assert.StartsWith("line 4:", error.Problems[1], StringComparison.Ordinal);
        Assert.Equal([20, 30], PriceFile.Parse(["from,eurPerMwh", "2026-04-19T00:00:00Z,20", "2026-04-19T00:15:00Z,30", "2026-04-19T00:30:00Z,40"], "p", slots: 2));
    }
}
