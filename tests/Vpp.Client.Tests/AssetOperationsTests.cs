using Vpp.Abstractions.Assets;
using Vpp.Client.Errors;
using Vpp.Domain.Assets;

namespace Vpp.Client.Tests;

[Collection(SdkClusterCollection.Name)]
public sealed class AssetOperationsTests(SdkClusterFixture fixture)
{
    private VppClient Vpp => fixture.Client;

    [Fact]
    public async Task An_asset_is_registered_updated_read_and_removed()
    {
        var fleetId = SdkClusterFixture.NewId("fleet");
        var assetId = SdkClusterFixture.NewId("bat");

        var registered = await Vpp.RegisterAssetAsync(assetId, SdkClusterFixture.Battery(fleetId, maxKw: 50));
        Assert.Equal(AssetStatus.Offline, registered.Live.Status);
        var updated = await Vpp.RegisterAssetAsync(assetId, SdkClusterFixture.Battery(fleetId, maxKw: 80));
        Assert.Equal(80, updated.Spec.MaxPowerKw);
        Assert.Equal(80, (await Vpp.GetAssetAsync(assetId)).Spec.MaxPowerKw);
        Assert.Equal(1, (await Vpp.GetFleetAsync(fleetId)).Counts.AssetCount);

        await Vpp.RemoveAssetAsync(assetId);

        var missing = await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.GetAssetAsync(assetId));
        Assert.Equal(("asset", assetId), (missing.Entity, missing.Id));
        await Eventually.Until(() => Vpp.GetFleetAsync(fleetId), f => f.Counts.AssetCount == 0, "the fleet to lose the removed asset");
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.RemoveAssetAsync(assetId));
    }

    [Fact]
    public async Task Many_assets_are_registered_in_batches_and_an_invalid_one_stops_the_whole_import()
    {
        var fleetId = SdkClusterFixture.NewId("fleet");
        var assets = Enumerable.Range(0, 40)
            .Select(i => new AssetRegistration(SdkClusterFixture.NewId("imp"), SdkClusterFixture.Battery(fleetId, maxKw: 10 + i)))
            .ToList();

        var result = await Vpp.RegisterAssetsAsync(fleetId, assets);

        Assert.Equal(40, result.RegisteredCount);
        Assert.Equal(assets.Select(a => a.AssetId), result.Outcomes.Select(o => o.AssetId));
        Assert.Equal(49, (await Vpp.GetAssetAsync(assets[39].AssetId)).Spec.MaxPowerKw);
        await Eventually.Until(() => Vpp.GetFleetAsync(fleetId), f => f.Counts.AssetCount == 40, "the fleet to count all 40", describe: f => $"{f.Counts.AssetCount}");

        // One item for another fleet: nothing of the import is sent.
        var next = new AssetRegistration(SdkClusterFixture.NewId("imp"), SdkClusterFixture.Battery(fleetId));
        var stray = new AssetRegistration(SdkClusterFixture.NewId("imp"), SdkClusterFixture.Battery(SdkClusterFixture.NewId("fleet")));
        var refused = await Assert.ThrowsAsync<VppValidationException>(() => Vpp.RegisterAssetsAsync(fleetId, [next, stray]));
        Assert.Equal(["[1].fleetId"], refused.Fields);
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.GetAssetAsync(next.AssetId));
    }

    [Fact]
    public async Task Telemetry_from_the_future_and_out_of_order_telemetry_throw_typed_errors()
    {
        var assetId = SdkClusterFixture.NewId("bat");
        await Vpp.RegisterAssetAsync(assetId, SdkClusterFixture.Battery(SdkClusterFixture.NewId("fleet")));
        var now = DateTimeOffset.UtcNow;
        await Vpp.ReportTelemetryAsync(assetId, new Telemetry(now, 5, StateOfChargePercent: 50));

        var ahead = await Assert.ThrowsAsync<VppValidationException>(
            () => Vpp.ReportTelemetryAsync(assetId, new Telemetry(now.AddMinutes(1), 6, StateOfChargePercent: 50)));
        var late = await Assert.ThrowsAsync<VppConflictException>(
            () => Vpp.ReportTelemetryAsync(assetId, new Telemetry(now.AddSeconds(-10), 7, StateOfChargePercent: 50)));

        Assert.Equal(["timestamp"], ahead.Fields);
        Assert.Equal("timestamp", late.Field);
        Assert.Equal(5, (await Vpp.GetAssetAsync(assetId)).Live.ActivePowerKw);
    }

    [Fact]
    public async Task Telemetry_brings_an_asset_online_and_a_status_report_takes_it_out()
    {
        var assetId = SdkClusterFixture.NewId("bat");
        await Vpp.RegisterAssetAsync(assetId, SdkClusterFixture.Battery(SdkClusterFixture.NewId("fleet")));

        await Vpp.ReportTelemetryAsync(assetId, new Telemetry(DateTimeOffset.UtcNow, 12.5, StateOfChargePercent: 60));
        var online = await Vpp.GetAssetAsync(assetId);
        Assert.Equal((AssetStatus.Online, 12.5, 60d), (online.Live.Status, online.Live.ActivePowerKw!.Value, online.Live.StateOfChargePercent!.Value));

        var maintenance = await Vpp.ReportStatusAsync(assetId, AssetStatus.Maintenance, "inverter swap");
        Assert.Equal((AssetStatus.Maintenance, "inverter swap"), (maintenance.Live.Status, maintenance.Live.StatusReason));
    }

    [Fact]
    public async Task Invalid_input_is_refused_with_the_fields_named_and_nothing_changes()
    {
        var fleetId = SdkClusterFixture.NewId("fleet");
        var assetId = SdkClusterFixture.NewId("bat");
        await Vpp.RegisterAssetAsync(assetId, SdkClusterFixture.Battery(fleetId, maxKw: 50));

        var badSpec = await Assert.ThrowsAsync<VppValidationException>(
            () => Vpp.RegisterAssetAsync(assetId, SdkClusterFixture.Battery(fleetId) with { MinPowerKw = 10, MaxPowerKw = double.NaN }));
        Assert.Contains("maxPowerKw", badSpec.Fields);
        var digitsOnly = await Assert.ThrowsAsync<VppValidationException>(() => Vpp.GetAssetAsync("12345"));
        Assert.Equal(["assetId"], digitsOnly.Fields);
        var badFleetId = await Assert.ThrowsAsync<VppValidationException>(() => Vpp.GetFleetAsync("no spaces allowed"));
        Assert.Equal(["fleetId"], badFleetId.Fields);

        // Refused by the grain (needs the spec): state of charge on a battery beyond 100 %.
        var badTelemetry = await Assert.ThrowsAsync<VppValidationException>(
            () => Vpp.ReportTelemetryAsync(assetId, new Telemetry(null, 0, StateOfChargePercent: 140)));
        Assert.Equal(["stateOfChargePercent"], badTelemetry.Fields);
        var badStatus = await Assert.ThrowsAsync<VppValidationException>(() => Vpp.ReportStatusAsync(assetId, (AssetStatus)42));
        Assert.Equal(["status"], badStatus.Fields);

        var after = await Vpp.GetAssetAsync(assetId);
        Assert.Equal((50d, AssetStatus.Offline, (double?)null), (after.Spec.MaxPowerKw, after.Live.Status, after.Live.StateOfChargePercent));
    }

    [Fact]
    public async Task Changing_the_kind_of_an_asset_is_a_conflict()
    {
        var fleetId = SdkClusterFixture.NewId("fleet");
        var assetId = SdkClusterFixture.NewId("bat");
        await Vpp.RegisterAssetAsync(assetId, SdkClusterFixture.Battery(fleetId));

        var conflict = await Assert.ThrowsAsync<VppConflictException>(() => Vpp.RegisterAssetAsync(
            assetId, new AssetSpec { FleetId = fleetId, Kind = AssetKind.Solar, MinPowerKw = 0, MaxPowerKw = 100 }));

        Assert.Equal("kind", conflict.Field);
        Assert.Equal(AssetKind.Battery, (await Vpp.GetAssetAsync(assetId)).Spec.Kind);
    }

    [Fact]
    public async Task Operations_on_unknown_assets_are_not_found()
    {
        var unknown = SdkClusterFixture.NewId("ghost");

        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.GetAssetAsync(unknown));
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.RemoveAssetAsync(unknown));
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.ReportTelemetryAsync(unknown, new Telemetry(null, 1)));
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.ReportStatusAsync(unknown, AssetStatus.Online));
    }

    [Fact]
    public async Task A_cancelled_token_stops_the_call()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Vpp.GetAssetAsync(SdkClusterFixture.NewId("bat"), cancelled.Token));
    }
}
