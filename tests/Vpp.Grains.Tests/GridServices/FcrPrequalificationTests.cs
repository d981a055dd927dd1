using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.GridServices;
using Vpp.Domain.Assets;
using Vpp.Domain.GridServices;
using Vpp.Domain.Simulation;

namespace Vpp.Grains.Tests.GridServices;

/// <summary>
/// The FCR prequalification profile against the simulator's battery physics: the fleet's grains decide the setpoints,
/// simulated batteries (ramp-limited, energy-limited) follow them second by second on the fake clock and report
/// telemetry, and their summed output must track the required response within 5 % of the band 30 s after each step.
/// </summary>
[Collection(VppClusterCollection.Name)]
public sealed class FcrPrequalificationTests(VppClusterFixture fixture)
{
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Simulated_batteries_follow_steps_to_49_8_and_50_2_Hz_within_5_percent_after_30_s()
    {
        const double contractedKw = 800;
        var fleetId = VppClusterFixture.NewId("prequal");
        var random = new Random(6);
        var batteries = new List<(IAssetGrain Grain, SimulatedBattery Sim)>();
        for (var i = 0; i < 4; i++)
        {
            var spec = new AssetSpec
            {
                FleetId = fleetId,
                Kind = AssetKind.Battery,
                MinPowerKw = -250,
                MaxPowerKw = 250,
                RampRateKwPerSecond = 50, // 5 s from idle to full power: the physics the fleet has to live with
                EnergyCapacityKwh = 1000,
                MarginalCostEurPerMwh = 10 + i,
            };
            var grain = fixture.Grains.GetGrain<IAssetGrain>(VppClusterFixture.NewId($"pq{i}"));
            await grain.ConfigureAsync(spec);
            var sim = new SimulatedBattery(spec, random, initialSocPercent: 50);
            await grain.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: sim.StateOfChargePercent));
            batteries.Add((grain, sim));
        }

        var fleet = fixture.Grains.GetGrain<IFleetGrain>(fleetId);
        await Eventually.Until(() => fleet.GetAsync(), v => v?.Counts.OnlineCount == 4, "four simulated batteries online");
        await fleet.DispatchAsync(new DispatchRequest(0));
        await fixture.Grains.GetGrain<IFleetGridServicesGrain>(fleetId).SetFcrContractAsync(contractedKw, fixture.Clock);
        var area = fixture.Grains.GetGrain<IGridAreaGrain>(GridAreas.ContinentalEurope);

        var profile = FcrPrequalification.StepProfile(Hold);
        var start = fixture.Clock.GetUtcNow();
        var observations = new List<FcrObservation>();
        var ticks = (int)(FcrPrequalification.Duration(profile, Hold) / Tick);
        for (var t = 0; t < ticks; t++)
        {
            var frequencyHz = FcrPrequalification.FrequencyAt(profile, t * Tick);
            await area.ReportFrequencyAsync(new FrequencyMeasurement(frequencyHz, fixture.Clock.GetUtcNow()));

            // One second of physics under the setpoints the grains hold now, then the telemetry of its end.
            var views = await Task.WhenAll(batteries.Select(b => b.Grain.GetAsync()));
            fixture.Clock.Advance(Tick);
            var now = fixture.Clock.GetUtcNow();
            var reports = batteries.Select((b, i) => b.Grain.ReportTelemetryAsync(b.Sim.Step(Tick, now, views[i]!.Live.SetpointKw)!));
            await Task.WhenAll(reports);
            observations.Add(new FcrObservation(now, FcrDroop.ResponseKw(contractedKw, frequencyHz), batteries.Sum(b => b.Sim.ActivePowerKw)));
        }

        var violations = FcrPrequalification.Violations(profile, start, observations, contractedKw, settlingTime: TimeSpan.FromSeconds(30));
        Assert.True(violations.Count == 0, $"{violations.Count} observations outside ±5 %: {string.Join("; ", violations.Take(5))}");

        // The profile really moved the fleet: full export at 49.8 Hz, full import at 50.2 Hz.
        Assert.Contains(observations, o => Math.Abs(o.DeliveredKw - contractedKw) < contractedKw * 0.05);
        Assert.Contains(observations, o => Math.Abs(o.DeliveredKw + contractedKw) < contractedKw * 0.05);
    }
}
