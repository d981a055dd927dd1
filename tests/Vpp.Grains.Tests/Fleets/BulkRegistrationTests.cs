using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Domain.Fleets;
using Vpp.Grains.Contracts;
using Vpp.Grains.Fleets;

namespace Vpp.Grains.Tests.Fleets;

/// <summary>
/// Bulk registration stores and joins assets never registered without activating them; they then behave as assets
/// registered one by one. Assets with a row already go through their own grain.
/// </summary>
[Collection(VppClusterCollection.Name)]
public sealed class BulkRegistrationTests(VppClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private static AssetSpec Battery(string fleetId) => new()
    {
        FleetId = fleetId, Kind = AssetKind.Battery, MinPowerKw = -100, MaxPowerKw = 100, EnergyCapacityKwh = 400,
    };

    private Task<AssetRegistrationResult> RegisterAsync(string fleetId, IEnumerable<string> assetIds, Func<string, AssetSpec>? spec = null) =>
        _grains.GetGrain<IAssetRegistrationGrain>(0).RegisterAsync(fleetId, [.. assetIds.Select(id => new AssetRegistration(id, (spec ?? Battery)(fleetId)))]);

    private Task<FleetView> FleetWhenAsync(string fleetId, Func<FleetView, bool> condition, string what) =>
        Eventually.Until(async () => await _grains.GetGrain<IFleetGrain>(fleetId).GetAsync(), v => v is not null && condition(v), what)!;

    private IReadOnlyList<StorageCalls.Call> AssetCalls(string assetId) => fixture.StorageCalls.Of(GrainId.Create("asset", assetId));

    [Fact]
    public async Task A_batch_of_new_assets_is_stored_and_joined_without_activating_one_of_them()
    {
        var fleetId = VppClusterFixture.NewId("bulk");
        var ids = Enumerable.Range(0, 30).Select(i => VppClusterFixture.NewId($"b{i}")).ToArray();

        var result = await RegisterAsync(fleetId, ids);

        Assert.Equal(ids, result.Outcomes.Select(o => o.AssetId));
        Assert.All(result.Outcomes, o => Assert.True(o.Registered));
        var fleet = await _grains.GetGrain<IFleetGrain>(fleetId).GetAsync();
        Assert.Equal(ids.Length, fleet!.Counts.AssetCount);

        // Each asset's row was written once, by its partition; no asset activated (an activation reads its row).
        Assert.All(ids, id => Assert.Equal([StorageCalls.Kind.Write], AssetCalls(id).Select(c => c.Kind)));
        var management = _grains.GetGrain<IManagementGrain>(0);
        Assert.All(await Task.WhenAll(ids.Select(id => management.GetGrainActivationCount((GrainReference)_grains.GetGrain<IAssetGrain>(id)))), n => Assert.Equal(0, n));
    }

    [Fact]
    public async Task A_fleet_scoped_batch_stores_new_assets_without_activating_them_and_refuses_only_an_asset_of_another_fleet()
    {
        var (fleetId, otherFleet) = (VppClusterFixture.NewId("scoped"), VppClusterFixture.NewId("elsewhere"));
        var foreign = VppClusterFixture.NewId("foreign");
        await _grains.GetGrain<IAssetGrain>(foreign).ConfigureAsync(Battery(otherFleet));
        var fresh = Enumerable.Range(0, 12).Select(i => VppClusterFixture.NewId($"s{i}")).ToArray();
        AssetRegistration[] batch = [new(foreign, Battery(fleetId)), .. fresh.Select(id => new AssetRegistration(id, Battery(fleetId)))];

        var result = await _grains.GetGrain<IAssetRegistrationInternal>(0).RegisterInScopeAsync(fleetId, batch, [fleetId]);

        var refused = result.Outcomes[0];
        Assert.False(refused.Registered || refused.Retryable);
        Assert.Equal("assetId", Assert.Single(refused.Problems).Field);
        Assert.Equal(otherFleet, (await _grains.GetGrain<IAssetGrain>(foreign).GetAsync())!.Spec.FleetId);
        Assert.All(result.Outcomes.Skip(1), o => Assert.True(o.Registered));
        Assert.All(fresh, id => Assert.Equal([StorageCalls.Kind.Write], AssetCalls(id).Select(c => c.Kind)));
        var management = _grains.GetGrain<IManagementGrain>(0);
        Assert.All(await Task.WhenAll(fresh.Select(id => management.GetGrainActivationCount((GrainReference)_grains.GetGrain<IAssetGrain>(id)))), n => Assert.Equal(0, n));
        Assert.Equal(fresh.Length, (await _grains.GetGrain<IFleetGrain>(fleetId).GetAsync())!.Counts.AssetCount);
    }

    [Fact]
    public async Task A_new_fleets_partitions_are_stored_in_one_fleet_write_before_any_partition_reports()
    {
        var fleetId = VppClusterFixture.NewId("bulkparts");
        var ids = Enumerable.Range(0, 40).Select(i => VppClusterFixture.NewId($"p{i}")).ToArray();
        var partitionKeys = ids.Select(id => FleetPartitioning.PartitionKeyFor(fleetId, id, VppClusterFixture.PartitionsPerFleet)).ToHashSet();
        Assert.Equal(VppClusterFixture.PartitionsPerFleet, partitionKeys.Count);
        var fleetGrainId = GrainId.Create("fleet", fleetId);
        Task<AssetRegistrationResult> registration;
        var holds = ids.Select(HeldStatusReports.HoldFor).ToList();
        try
        {
            registration = RegisterAsync(fleetId, ids);

            // No report has reached the fleet, yet its stored state lists every partition the batch fills: the
            // partitions' reports then add nothing to store, instead of one fleet write per partition.
            var written = await Eventually.Until(
                () => Task.FromResult(fixture.StorageCalls.Of(fleetGrainId).FirstOrDefault(c => c.Kind == StorageCalls.Kind.Write && c.StateName == FleetGrain.StateName)),
                c => c is not null, "the fleet's state written before any report");
            Assert.Equal(partitionKeys.Order(), ((FleetState)written!.State!).PartitionKeys.Order());
        }
        finally
        {
            holds.ForEach(hold => hold.Dispose());
        }

        Assert.All((await registration).Outcomes, o => Assert.True(o.Registered));
        Assert.Equal(ids.Length, (await _grains.GetGrain<IFleetGrain>(fleetId).GetAsync())!.Counts.AssetCount);
    }

    [Fact]
    public async Task An_asset_registered_in_bulk_answers_get_telemetry_status_and_dispatch_as_one_registered_singly()
    {
        var bulkFleet = VppClusterFixture.NewId("bulk");
        var singleFleet = VppClusterFixture.NewId("single");
        var bulk = VppClusterFixture.NewId("inbulk");
        var single = VppClusterFixture.NewId("alone");
        await RegisterAsync(bulkFleet, [bulk]);
        await _grains.GetGrain<IAssetGrain>(single).ConfigureAsync(Battery(singleFleet));

        var bulkView = (await _grains.GetGrain<IAssetGrain>(bulk).GetAsync())!;
        var singleView = (await _grains.GetGrain<IAssetGrain>(single).GetAsync())!;
        Assert.Equal(singleView with { AssetId = bulk, Spec = singleView.Spec with { FleetId = bulkFleet } }, bulkView);

        foreach (var (fleetId, assetId) in new[] { (bulkFleet, bulk), (singleFleet, single) })
        {
            var asset = _grains.GetGrain<IAssetGrain>(assetId);
            await asset.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: 50));
            await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 1, "the asset online");
            var dispatch = await _grains.GetGrain<IFleetGrain>(fleetId).DispatchAsync(new DispatchRequest(60, DispatchStrategy.ProRata, IncludeSetpoints: true));
            Assert.Equal(60, dispatch.AllocatedKw, 3);
            Assert.Equal(60, (await asset.GetAsync())!.Live.SetpointKw!.Value, 3);

            var maintenance = await asset.ReportStatusAsync(AssetStatus.Maintenance, "inverter swap");
            Assert.Equal(AssetStatus.Maintenance, maintenance.Live.Status);
            await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 0 && v.Counts.AssetCount == 1, "the asset in maintenance");
        }
    }

    [Fact]
    public async Task An_asset_asked_for_before_its_bulk_registration_answers_it_afterwards()
    {
        var fleetId = VppClusterFixture.NewId("bulk");
        var assetId = VppClusterFixture.NewId("early");
        var asset = _grains.GetGrain<IAssetGrain>(assetId);
        Assert.Null(await asset.GetAsync()); // activates it with nothing registered

        await RegisterAsync(fleetId, [assetId]);

        var view = await Eventually.Until(() => asset.GetAsync(), v => v is not null, "the asset registered");
        Assert.Equal(fleetId, view!.Spec.FleetId);
        await asset.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: 50));
        await FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 1, "the asset online");
    }

    [Fact]
    public async Task An_asset_that_comes_online_between_its_row_and_its_join_joins_online()
    {
        const int partitionsPerFleet = 4; // as configured in VppClusterFixture
        var fleetId = VppClusterFixture.NewId("bulk");
        var early = VppClusterFixture.NewId("early");
        var partition = FleetPartitioning.PartitionKeyFor(fleetId, early, partitionsPerFleet);
        var held = Enumerable.Range(0, 100).Select(i => VppClusterFixture.NewId($"held{i}"))
            .First(id => FleetPartitioning.PartitionKeyFor(fleetId, id, partitionsPerFleet) == partition);

        Task<AssetRegistrationResult> registration;
        using (var hold = HeldStateWrites.HoldFor(_grains.GetGrain<IAssetGrain>(held).GetGrainId()))
        {
            // The partition waits for the held row before it joins either asset; the other row is stored meanwhile.
            registration = RegisterAsync(fleetId, [early, held]);
            await hold.Reached.Task.WaitAsync(Eventually.DefaultBound);
            var asset = _grains.GetGrain<IAssetGrain>(early);
            await Eventually.Until(() => asset.GetAsync(), v => v is not null, "the early asset's row stored");
            await asset.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: 50));
            Assert.False(registration.IsCompleted);
        }

        Assert.Equal(2, (await registration).RegisteredCount);
        await FleetWhenAsync(fleetId, v => v.Counts.AssetCount == 2 && v.Counts.OnlineCount == 1, "the asset that came online counted online");
    }

    [Fact]
    public async Task Assets_registered_before_go_through_their_own_grain_moving_fleets_and_refusing_a_kind_change()
    {
        var oldFleet = VppClusterFixture.NewId("old");
        var newFleet = VppClusterFixture.NewId("new");
        var moving = VppClusterFixture.NewId("moving");
        var pv = VppClusterFixture.NewId("pv");
        var fresh = VppClusterFixture.NewId("fresh");
        await _grains.GetGrain<IAssetGrain>(moving).ConfigureAsync(Battery(oldFleet));
        await _grains.GetGrain<IAssetGrain>(pv).ConfigureAsync(new AssetSpec { FleetId = oldFleet, Kind = AssetKind.Solar, MinPowerKw = 0, MaxPowerKw = 10 });

        var result = await RegisterAsync(newFleet, [moving, pv, fresh]);

        Assert.Equal([true, false, true], result.Outcomes.Select(o => o.Registered));
        Assert.Equal("kind", Assert.Single(result.Outcomes[1].Problems).Field);
        Assert.False(result.Outcomes[1].Retryable);
        Assert.Equal(newFleet, (await _grains.GetGrain<IAssetGrain>(moving).GetAsync())!.Spec.FleetId);
        await FleetWhenAsync(newFleet, v => v.Counts.AssetCount == 2, "the moved and the fresh asset in the new fleet");
        await FleetWhenAsync(oldFleet, v => v.Counts.AssetCount == 1, "only the refused asset left in the old fleet");
    }
}
