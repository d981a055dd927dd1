using System.Threading.Channels;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;

namespace Vpp.Client.Tests;

[Collection(SdkClusterCollection.Name)]
public sealed class SubscriptionTests(SdkClusterFixture fixture)
{
    private VppClient Vpp => fixture.Client;

    [Fact]
    public async Task A_subscriber_sees_dispatches_status_changes_and_reallocations_as_they_happen()
    {
        var (fleetId, ids) = await fixture.OnlineFleetAsync(assets: 2, maxKw: 100);
        using var stop = new CancellationTokenSource();
        // Subscribing happens on the first read: resume after what the fleet has already, so a dispatch sent while
        // the subscription is being set up is still delivered (it was flaky under load without).
        var last = (await Vpp.GetFleetEventsAsync(fleetId)).Select(e => e.Sequence).DefaultIfEmpty(0).Max();
        await using var events = new EventReader(Vpp.SubscribeAsync(fleetId, last, stop.Token).GetAsyncEnumerator(stop.Token), stop);
        var firstRead = events.NextAsync<DispatchEvent>("the dispatch event");

        var dispatch = await Vpp.DispatchAsync(fleetId, 120);
        Assert.Equal(dispatch.DispatchId, (await firstRead).DispatchId);

        await Vpp.ReportStatusAsync(ids[0], AssetStatus.Offline, "breaker tripped");
        var status = await events.NextAsync<AssetStatusEvent>("the status event");
        Assert.Equal((ids[0], "offline"), (status.AssetId, status.Status));
        var reallocation = await events.NextAsync<ReallocationEvent>("the reallocation event");
        Assert.True(reallocation.LostKw > 0, reallocation.Message);

        // In order, each once.
        var sequences = events.Seen.Select(e => e.Sequence).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Distinct().Count(), sequences.Count);
    }

    [Fact]
    public async Task A_subscription_after_a_known_sequence_first_delivers_what_came_after_it()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 1);
        var first = await Vpp.DispatchAsync(fleetId, 10);
        var second = await Vpp.DispatchAsync(fleetId, 20);
        var retained = await Vpp.GetFleetEventsAsync(fleetId);
        var firstSequence = retained.OfType<DispatchEvent>().Single(e => e.DispatchId == first.DispatchId).Sequence;

        using var stop = new CancellationTokenSource();
        await using var events = new EventReader(Vpp.SubscribeAsync(fleetId, firstSequence, stop.Token).GetAsyncEnumerator(stop.Token), stop);
        var resumed = await events.NextAsync<DispatchEvent>("the dispatch after the known sequence");

        Assert.Equal(second.DispatchId, resumed.DispatchId);
        Assert.All(events.Seen, e => Assert.True(e.Sequence > firstSequence, $"{e.Sequence} {e.Kind} is not after {firstSequence}"));
    }

    [Fact]
    public async Task A_callback_subscriber_receives_events_until_it_disposes_its_subscription()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 1);
        var received = Channel.CreateUnbounded<FleetEvent>();
        var subscription = await Vpp.SubscribeAsync(fleetId, e => received.Writer.WriteAsync(e));

        var dispatch = await Vpp.DispatchAsync(fleetId, 10);
        await using (var events = new EventReader(received.Reader.ReadAllAsync().GetAsyncEnumerator()))
        {
            Assert.Equal(dispatch.DispatchId, (await events.NextAsync<DispatchEvent>("the dispatch")).DispatchId);
            await subscription.DisposeAsync();
            await Vpp.DispatchAsync(fleetId, 20);
        }

        // The subscription is gone: the second dispatch reached nobody. Checked after a round trip to the fleet
        // that happened after the dispatch, so a push in flight would have arrived before it.
        await Vpp.GetFleetEventsAsync(fleetId);
        Assert.DoesNotContain(Drain(received.Reader), e => e is DispatchEvent { TargetKw: 20 });
    }

    private static List<FleetEvent> Drain(ChannelReader<FleetEvent> reader)
    {
        var items = new List<FleetEvent>();
        while (reader.TryRead(out var item))
        {
            items.Add(item);
        }

        return items;
    }
}
