using Microsoft.Extensions.Time.Testing;
using Vpp.Client;
using Vpp.Domain.Assets;
using Vpp.Simulator.Engine;
using Vpp.Simulator.Faults;
using Vpp.Simulator.Gateway;
using Vpp.Simulator.Scenarios;

namespace Vpp.Simulator.Tests.Gateway;

/// <summary>
/// The simulator engine against the real silo host (Program.cs in-process: Orleans silo, SQLite storage, HTTP
/// pipeline), through the .NET SDK over the silo's Orleans gateway and through the HTTP API. The simulator runs on a
/// fake clock, one round per simulated second; the silo runs on its own clock, as it would in production.
/// </summary>
[Collection(VppApiCollection.Name)]
public sealed class SimulatorAgainstSiloTests(VppApiFixture silo)
{
    private const int Batteries = 10;
    private const double BatteryKw = 10;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData("sdk")]
    [InlineData("http")]
    public async Task Simulated_assets_come_online_and_follow_a_dispatch(string transport)
    {
        var fleetId = VppApiFixture.NewId("sim-" + transport);
        await using var gateway = await ConnectAsync(transport);
        var (engine, clock) = await StartAsync(gateway, BatteryRun(fleetId));

        await RoundsUntilAsync(engine, clock, s => s.FleetOnlineCount == Batteries, "the VPP to see every simulated battery online");

        var allocatedKw = await gateway.DispatchAsync(fleetId, 60, CancellationToken.None);
        Assert.Equal(60, allocatedKw, 6);
        var settled = await RoundsUntilAsync(
            engine, clock, s => Math.Abs(s.RequestedKw - 60) < 1e-6 && Math.Abs(s.DeliveredKw - 60) < 1e-6, "the batteries to deliver the 60 kW dispatched");

        Assert.Equal(Batteries, settled.ReportingCount);
        Assert.All(engine.Devices, d => Assert.Equal(d.SetpointKw!.Value, d.Physics.ActivePowerKw, 6));
        var asset = await silo.Client.GetAssetAsync(engine.Devices[0].AssetId);
        Assert.Equal(engine.Devices[0].Physics.StateOfChargePercent!.Value, asset.Number("stateOfChargePercent"), 6);
    }

    [Fact]
    public async Task An_injected_outage_makes_the_vpp_reallocate_and_the_summary_counts_it()
    {
        var fleetId = VppApiFixture.NewId("sim-outage");
        await using var gateway = await ConnectAsync("sdk");
        var run = BatteryRun(fleetId) with
        {
            Faults = new FaultRates { OfflineRate = 0.2 },
            Duration = TimeSpan.FromSeconds(40),
            StandingTargetKw = 40,
        };
        var (engine, clock) = await StartAsync(gateway, run);
        var outaged = engine.Devices.Where(d => d.Faults.Offline is not null).Select(d => d.AssetId).ToArray();
        Assert.Equal(2, outaged.Length);

        // The target goes out once the VPP sees the fleet online; the outages start 4–28 simulated seconds in. The first
        // round reports every battery, then the simulated clock stands still until the VPP shows them online (it reaches
        // the fleet through partitions, as fast as the machine allows), so the next round sets the target in time.
        await engine.RunRoundAsync(CancellationToken.None);
        await silo.Client.WaitForFleetAsync(fleetId, f => f.Number("onlineCount") == Batteries, "every simulated battery online");
        var targetSet = await RoundsUntilAsync(engine, clock, s => s.FleetTargetKw == 40, "the standing target to be set");
        Assert.True(targetSet.Elapsed < outaged.Min(id => engine.Devices.Single(d => d.AssetId == id).Faults.Offline!.Value.Start));
        await RoundsUntilAsync(engine, clock, s => s.Elapsed >= run.Duration, "the end of the run");

        // Each outage (going offline, coming back) makes the fleet re-dispatch its standing target and record it.
        await Eventually.Until(
            () => silo.Client.GetEventsAsync(fleetId),
            events => events.Count(e => e.Text("kind") == "reallocation" && e.Text("message").Contains("status change", StringComparison.Ordinal)) >= 2,
            "a reallocation for each outage");
        var summary = await engine.FinishAsync(worstCount: 3, CancellationToken.None);

        Assert.True(summary.ReallocationsSeen >= 2, $"expected a reallocation per outage, saw {summary.ReallocationsSeen}");
        Assert.Equal(1, summary.DispatchesSeen);
        Assert.All(outaged, id => Assert.False(engine.Devices.Single(d => d.AssetId == id).ReportedOffline));
        await silo.Client.WaitForFleetAsync(fleetId, f => f.Number("onlineCount") == Batteries, "both assets back online after their outage");
    }

    private static SimulationRun BatteryRun(string fleetId) => new()
    {
        FleetId = fleetId,
        Assets = new Scenario(fleetId, [new ScenarioGroup { Kind = AssetKind.Battery, Count = Batteries, MaxPowerKw = BatteryKw, RampRateKwPerSecond = 5, EnergyCapacityKwh = 40 }]).CreateAssets(seed: 3),
        Seed = 3,
        Interval = Interval,
        Duration = TimeSpan.FromMinutes(5),
    };

    private Task<IAssetGateway> ConnectAsync(string transport) => SiloGateways.ConnectAsync(silo, transport);

    private static async Task<(SimulationEngine Engine, FakeTimeProvider Clock)> StartAsync(IAssetGateway gateway, SimulationRun run)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var engine = new SimulationEngine(gateway, run, clock);
        Assert.Equal(run.Assets.Count, await engine.RegisterAsync(null, CancellationToken.None));
        return (engine, clock);
    }

    /// <summary>
    /// Runs rounds, one simulated second apart, until the condition holds: bounded in real time, since what is awaited
    /// is the VPP catching up asynchronously (partitions pushing to the fleet, re-dispatches).
    /// </summary>
    private static Task<RoundSnapshot> RoundsUntilAsync(SimulationEngine engine, FakeTimeProvider clock, Func<RoundSnapshot, bool> condition, string what) =>
        Eventually.Until(
            async () =>
            {
                if (engine.History.Count > 0)
                {
                    clock.Advance(Interval);
                }

                return await engine.RunRoundAsync(CancellationToken.None);
            },
            condition,
            what,
            TimeSpan.FromSeconds(30));
}
