using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Domain.Assets;

namespace Vpp.Grains.Tests.Schedules;

[Collection(VppClusterCollection.Name)]
public sealed class UnavailabilityGrainTests(VppClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private IAssetAvailabilityGrain Availability(string assetId) => _grains.GetGrain<IAssetAvailabilityGrain>(assetId);

    [Fact]
    public async Task During_a_maintenance_window_the_others_pick_up_the_share_and_afterwards_the_asset_rejoins()
    {
        var fleet = new ScheduleFleet(fixture, "maint");
        var cheap = await fleet.AddBatteryAsync("cheap", 100, 10, 1000);
        var middle = await fleet.AddBatteryAsync("middle", 100, 20, 1000);
        var dear = await fleet.AddBatteryAsync("dear", 100, 30, 1000);
        await fleet.WhenAsync(v => v.Counts.OnlineCount == 3, "three online");
        var first = await fleet.Fleet.DispatchAsync(new Abstractions.Fleets.DispatchRequest(150));

        var now = fixture.Clock.GetUtcNow();
        var window = await Availability(cheap).AddUnavailabilityAsync(new UnavailabilityRequest(now.AddMinutes(5), now.AddMinutes(35), "planned", "inverter service"));
        Assert.StartsWith("u", window.Id, StringComparison.Ordinal);
        var planned = (await fleet.Asset(cheap).GetAsync())!;
        Assert.Equal(AssetStatus.Online, planned.Live.Status);
        Assert.Equal(window, Assert.Single(planned.Unavailabilities!));

        // In advance of the start (Vpp:UnavailabilityLead) the asset goes into maintenance and the fleet still delivers
        // 150 kW from the other two: they have taken over before the asset stops.
        var lead = new VppOptions().UnavailabilityLead;
        Assert.True(lead > TimeSpan.Zero);
        fleet.MoveClockTo(now.AddMinutes(5) - lead - TimeSpan.FromSeconds(1));
        await fleet.ReportAllAsync();
        Assert.Equal(AssetStatus.Online, (await fleet.Asset(cheap).GetAsync())!.Live.Status);
        fleet.MoveClockTo(now.AddMinutes(5) - lead);
        await fleet.ReportAllAsync();
        var inMaintenance = await Eventually.Until(() => fleet.Asset(cheap).GetAsync(), v => v!.Live.Status == AssetStatus.Maintenance, "maintenance ahead of the start");
        Assert.Contains("inverter service", inMaintenance!.Live.StatusReason);
        // The re-dispatch, not the first dispatch's allocation seen with the new online count.
        var during = await fleet.WhenAsync(
            v => v.Counts.OnlineCount == 2 && v.Dispatch.LastDispatchId != first.DispatchId && Math.Abs(v.Dispatch.AllocatedKw - 150) < 1e-3, "the others pick up the share");
        Assert.Equal(0, during.Dispatch.ShortfallKw);
        // A re-dispatch for drift just before the maintenance (still three online) can be the one the view shows
        // first: the assets' setpoints say when the share has moved.
        await Eventually.Until(() => fleet.Asset(middle).GetAsync(), v => v!.Live.SetpointKw is { } kw && Math.Abs(kw - 100) < 1e-3, "the middle asset at 100 kW");
        await Eventually.Until(() => fleet.Asset(dear).GetAsync(), v => v!.Live.SetpointKw is { } kw && Math.Abs(kw - 50) < 1e-3, "the dear asset at 50 kW");

        // At the end it rejoins, and merit order gives it its share back.
        fleet.MoveClockTo(now.AddMinutes(35));
        await fleet.ReportAllAsync();
        await Eventually.Until(() => fleet.Asset(cheap).GetAsync(), v => v!.Live.Status == AssetStatus.Online, "online again at the end");
        await fleet.WhenAsync(v => v.Counts.OnlineCount == 3 && Math.Abs(v.Dispatch.AllocatedKw - 150) < 1e-3, "three online again");
        await Eventually.Until(() => fleet.Asset(cheap).GetAsync(), v => v!.Live.SetpointKw is { } kw && Math.Abs(kw - 100) < 1e-3, "the cheap asset's share back");
    }

    [Fact]
    public async Task Windows_are_listed_with_ids_merged_for_planning_refused_when_reversed_and_removing_one_ends_the_outage()
    {
        var fleet = new ScheduleFleet(fixture, "windows");
        var asset = await fleet.AddBatteryAsync("bat", 100, 10, 1000);
        await fleet.WhenAsync(v => v.Counts.OnlineCount == 1, "online");
        var now = fixture.Clock.GetUtcNow();

        var reversed = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Availability(asset).AddUnavailabilityAsync(new UnavailabilityRequest(now.AddHours(2), now.AddHours(1), "planned", null)));
        Assert.Contains(reversed.Problems, p => p.Field == "until");
        var unknownKind = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Availability(asset).AddUnavailabilityAsync(new UnavailabilityRequest(now, now.AddHours(1), "sometimes", null)));
        Assert.Contains(unknownKind.Problems, p => p.Field == "kind");
        Assert.Empty(await Availability(asset).GetUnavailabilitiesAsync());

        // An unplanned outage reported as it happens takes the asset out at once.
        var first = await Availability(asset).AddUnavailabilityAsync(new UnavailabilityRequest(now.AddMinutes(-1), now.AddHours(1), "unplanned", "grid fault"));
        var second = await Availability(asset).AddUnavailabilityAsync(new UnavailabilityRequest(now.AddMinutes(30), now.AddHours(2), "planned", null));
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal([first.Id, second.Id], (await Availability(asset).GetUnavailabilitiesAsync()).Select(w => w.Id));
        await Eventually.Until(() => fleet.Asset(asset).GetAsync(), v => v!.Live.Status == AssetStatus.Maintenance, "out at once");
        await fleet.WhenAsync(v => v.Counts.OnlineCount == 0, "the fleet counts it out");

        // Merged for planning: the partition hears of one outage until the later end.
        var report = await fleet.Member(asset).GetMemberReportAsync();
        var outage = Assert.Single(report!.Value.UpcomingOutages!);
        Assert.Equal((first.From, second.Until, false), (outage.From, outage.Until, outage.Planned));
        var offered = Assert.Single((await fleet.Member(asset).GetFlexOfferAsync())!.Outages); // flexibility counts it too
        Assert.Equal((first.From, second.Until, false), (offered.From, offered.Until, offered.Planned));

        await Availability(asset).RemoveUnavailabilityAsync(first.Id);
        await Availability(asset).RemoveUnavailabilityAsync(second.Id);
        await Assert.ThrowsAsync<NotFoundException>(() => Availability(asset).RemoveUnavailabilityAsync(second.Id));
        await Eventually.Until(() => fleet.Asset(asset).GetAsync(), v => v!.Live.Status == AssetStatus.Online, "back online when removed");
        await fleet.WhenAsync(v => v.Counts.OnlineCount == 1, "the fleet counts it in again");
        await Assert.ThrowsAsync<NotFoundException>(() => Availability(VppClusterFixture.NewId("ghost")).GetUnavailabilitiesAsync());
    }
}
