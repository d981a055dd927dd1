using Orleans.Runtime;
using Orleans.TestingHost;
using Vpp.Abstractions.Fleets;

namespace Vpp.Client.Tests;

/// <summary>A cluster of its own: these tests take silos away.</summary>
public sealed class RestartableClusterFixture : SdkClusterFixture;

public sealed class ResubscribeTests(RestartableClusterFixture fixture) : IClassFixture<RestartableClusterFixture>
{
    [Fact]
    public async Task A_subscription_survives_the_silo_hosting_the_fleet_going_away_and_says_so()
    {
        var vpp = fixture.Client;
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 2, maxKw: 100);
        using var stop = new CancellationTokenSource();
        var last = (await vpp.GetFleetEventsAsync(fleetId)).Select(e => e.Sequence).DefaultIfEmpty(0).Max();
        await using var events = new EventReader(vpp.SubscribeAsync(fleetId, last, stop.Token).GetAsyncEnumerator(stop.Token), stop);
        var before = events.NextAsync<DispatchEvent>("the dispatch before the restart");
        var first = await vpp.DispatchAsync(fleetId, 100);
        Assert.Equal(first.DispatchId, (await before).DispatchId);

        var hostingSilo = await SiloHostingAsync(fleetId);
        await fixture.Cluster.KillSiloAsync(hostingSilo);

        var notice = await events.NextAsync(
            e => e.Kind == FleetEventKinds.Resubscribed, "the resubscribed notice", TimeSpan.FromSeconds(90));
        Assert.Contains(fleetId, notice.Message);

        var after = events.NextAsync<DispatchEvent>("a dispatch after the restart");
        var second = await Eventually.Until(
            async () =>
            {
                try
                {
                    return await vpp.DispatchAsync(fleetId, 150);
                }
                catch (Errors.VppUnavailableException)
                {
                    return null; // the cluster is still noticing the silo is gone
                }
            },
            r => r is not null, "a dispatch to succeed after the silo was killed", TimeSpan.FromSeconds(60));
        Assert.Equal(second!.DispatchId, (await after).DispatchId);
        Assert.NotEqual(hostingSilo.SiloAddress, (await SiloHostingAsync(fleetId)).SiloAddress);
    }

    private async Task<SiloHandle> SiloHostingAsync(string fleetId)
    {
        var fleetGrainId = fixture.Client.Grains.GetGrain<IFleetGrain>(fleetId).GetGrainId();
        // Only the silos still running: one that was killed may not be declared dead yet.
        var running = fixture.Cluster.GetActiveSilos().Select(s => s.SiloAddress).ToArray();
        var activations = await fixture.SiloGrains().GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics(hostsIds: running);
        var silo = activations.Single(a => a.GrainId == fleetGrainId).SiloAddress;
        return fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(silo));
    }
}
