using Vpp.Abstractions.Fleets;
using Vpp.Client.Errors;
using Vpp.Domain.Dispatch;

namespace Vpp.Client.Tests;

[Collection(SdkClusterCollection.Name)]
public sealed class FleetOperationsTests(SdkClusterFixture fixture)
{
    private VppClient Vpp => fixture.Client;

    [Fact]
    public async Task Capacity_is_read_and_a_dispatch_is_split_over_the_online_assets()
    {
        var (fleetId, assetIds) = await fixture.OnlineFleetAsync(assets: 3, maxKw: 100);

        var fleet = await Vpp.GetFleetAsync(fleetId);
        Assert.Equal((3, 3, -300d, 300d), (fleet.Counts.AssetCount, fleet.Counts.OnlineCount, fleet.Capacity.MinKw, fleet.Capacity.MaxKw));

        var result = await Vpp.DispatchAsync(fleetId, 150, DispatchStrategy.ProRata);

        Assert.Equal((150d, 150d, 0d, DispatchStrategy.ProRata), (result.TargetKw, result.AllocatedKw, result.ShortfallKw, result.Strategy));
        Assert.Equal(assetIds.Order(StringComparer.Ordinal), result.Setpoints.Select(s => s.AssetId));
        Assert.All(result.Setpoints, s => Assert.Equal(50, s.SetpointKw, 3));
        Assert.Equal(150, (await Vpp.GetFleetAsync(fleetId)).Dispatch.TargetKw);
        var events = await Vpp.GetFleetEventsAsync(fleetId, limit: 5);
        Assert.Equal(result.DispatchId, Assert.IsType<DispatchEvent>(events[0]).DispatchId);
        var older = await Vpp.GetFleetEventsBeforeAsync(fleetId, events[0].Sequence, limit: 4);
        Assert.Equal(events.Skip(1).Take(4).Select(e => e.Sequence), older.Select(e => e.Sequence));
    }

    [Fact]
    public async Task A_target_beyond_the_fleet_reports_the_shortfall()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 2, maxKw: 100);

        var result = await Vpp.DispatchAsync(fleetId, 500);

        Assert.Equal((200d, 300d), (result.AllocatedKw, result.ShortfallKw));
    }

    [Fact]
    public async Task Invalid_dispatches_are_refused_with_the_field_named()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 1);

        var nan = await Assert.ThrowsAsync<VppValidationException>(() => Vpp.DispatchAsync(fleetId, double.NaN));
        Assert.Equal(["targetKw"], nan.Fields);
        var strategy = await Assert.ThrowsAsync<VppValidationException>(() => Vpp.DispatchAsync(fleetId, 10, (DispatchStrategy)9));
        Assert.Equal(["strategy"], strategy.Fields);
        var limit = await Assert.ThrowsAsync<VppValidationException>(() => Vpp.GetFleetEventsAsync(fleetId, limit: 0));
        Assert.Equal(["limit"], limit.Fields);
        var cursor = await Assert.ThrowsAsync<VppValidationException>(() => Vpp.GetFleetEventsBeforeAsync(fleetId, 0, limit: 0));
        Assert.Equal(["beforeSequence", "limit"], cursor.Fields);
        Assert.Null((await Vpp.GetFleetAsync(fleetId)).Dispatch.TargetKw);
    }

    [Fact]
    public async Task Operations_on_unknown_fleets_are_not_found()
    {
        var unknown = SdkClusterFixture.NewId("nofleet");

        var missing = await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.GetFleetAsync(unknown));
        Assert.Equal(("fleet", unknown), (missing.Entity, missing.Id));
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.DispatchAsync(unknown, 10));
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.GetFleetEventsAsync(unknown));
        await Assert.ThrowsAsync<VppNotFoundException>(async () =>
        {
            await foreach (var _ in Vpp.SubscribeAsync(unknown))
            {
            }
        });
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.SubscribeAsync(unknown, _ => ValueTask.CompletedTask));
    }

    [Fact]
    public async Task Removing_a_dispatched_asset_makes_the_fleet_reallocate_its_share()
    {
        var (fleetId, assetIds) = await fixture.OnlineFleetAsync(assets: 3, maxKw: 100);
        await Vpp.DispatchAsync(fleetId, 150, DispatchStrategy.ProRata);

        await Vpp.RemoveAssetAsync(assetIds[0]);

        var fleet = await Eventually.Until(
            () => Vpp.GetFleetEventsAsync(fleetId), e => e.Any(x => x is ReallocationEvent), "a reallocation event");
        var reallocation = fleet.OfType<ReallocationEvent>().First();
        Assert.Equal((50d, 50d, 0d), (reallocation.LostKw, reallocation.PickedUpKw, reallocation.ShortfallKw));
        var view = await Vpp.GetFleetAsync(fleetId);
        Assert.Equal((2, 150d), (view.Counts.AssetCount, view.Dispatch.AllocatedKw));
    }
}
