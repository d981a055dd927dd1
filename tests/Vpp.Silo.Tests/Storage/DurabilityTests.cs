using Microsoft.Extensions.Time.Testing;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.GridServices;
using Vpp.Domain.Assets;
using Vpp.Domain.GridServices;

namespace Vpp.Silo.Tests.Storage;

/// <summary>
/// The durability promise of docs/durability.md, proven on a real store: what an answered call made durable is
/// back after every silo stopped — gracefully or killed — and the durable periodic work (offline watchdog, event
/// pruning) resumes by itself through reminders. Runs once per storage profile (derived classes below).
/// </summary>
public abstract class DurabilityTests<TStore>(TStore store) where TStore : DurableStore
{
    protected TStore Store { get; } = store;

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    protected async Task<string[]> AddOnlineBatteriesAsync(IGrainFactory grains, string fleetId, int count, double maxKw = 100)
    {
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = NewId($"bat{i}");
            var asset = grains.GetGrain<IAssetGrain>(ids[i]);
            await asset.ConfigureAsync(Battery(fleetId, maxKw, costEurPerMwh: 10 * (i + 1)));
            await asset.ReportTelemetryAsync(new Telemetry(Clock.GetUtcNow(), 0, StateOfChargePercent: 50));
        }

        return ids;
    }

    /// <summary>A fleet of online batteries, left behind in storage by a cluster that then stopped gracefully.</summary>
    protected async Task<string[]> SeedOnlineFleetAndStopAsync(string fleetId, int count)
    {
        await using var cluster = await DurableCluster.StartAsync(Store, Clock);
        var assets = await AddOnlineBatteriesAsync(cluster.Grains, fleetId, count);
        await FleetWhenAsync(cluster.Grains, fleetId, v => v.Counts.OnlineCount == count, $"{count} online assets");
        await cluster.StopGracefullyAsync();
        return assets;
    }

    protected static AssetSpec Battery(string fleetId, double maxKw, double costEurPerMwh = 10) => new()
    {
        FleetId = fleetId,
        Kind = AssetKind.Battery,
        MinPowerKw = -maxKw,
        MaxPowerKw = maxKw,
        MarginalCostEurPerMwh = costEurPerMwh,
        EnergyCapacityKwh = maxKw * 4,
    };

    protected static Task<FleetView> FleetWhenAsync(IGrainFactory grains, string fleetId, Func<FleetView, bool> condition, string what) =>
        Eventually.Until(
            async () => await grains.GetGrain<IFleetGrain>(fleetId).GetAsync() ?? throw new Xunit.Sdk.XunitException("fleet unknown"),
            condition,
            what,
            TimeSpan.FromSeconds(60),
            v => v.ToString());

    private static StateUnavailableException Unavailable(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is StateUnavailableException unavailable)
            {
                return unavailable;
            }
        }

        throw new Xunit.Sdk.XunitException($"expected a StateUnavailableException inside, got {ex}");
    }

    [Fact]
    public async Task A_full_graceful_restart_brings_back_assets_membership_standing_target_and_events()
    {
        var fleetId = NewId("fleet");
        string[] assets;
        DispatchResult dispatch;
        AssetView before;
        string? lastDispatchBeforeStop;
        await using (var first = await DurableCluster.StartAsync(Store, Clock, silos: 2))
        {
            assets = await AddOnlineBatteriesAsync(first.Grains, fleetId, 3);
            await FleetWhenAsync(first.Grains, fleetId, v => v.Counts.OnlineCount == 3, "three online assets");
            dispatch = await first.Grains.GetGrain<IFleetGrain>(fleetId).DispatchAsync(new DispatchRequest(150));
            Assert.Equal(150, dispatch.AllocatedKw, 3);
            await first.Grains.GetGrain<IAssetGrain>(assets[2]).ReportStatusAsync(AssetStatus.Maintenance, "inverter swap");
            var settled = await FleetWhenAsync(
                first.Grains, fleetId, v => v.Counts.OnlineCount == 2 && v.Dispatch.LastDispatchId != dispatch.DispatchId, "the others to pick up its share");
            lastDispatchBeforeStop = settled.Dispatch.LastDispatchId;
            before = (await first.Grains.GetGrain<IAssetGrain>(assets[0]).GetAsync())!;
            await first.StopGracefullyAsync();
        }

        await using var second = await DurableCluster.StartAsync(Store, Clock, silos: 2);
        var asset0 = (await second.Grains.GetGrain<IAssetGrain>(assets[0]).GetAsync())!;
        Assert.Equal(before.Spec, asset0.Spec);
        Assert.Equal(AssetStatus.Online, asset0.Live.Status);
        Assert.Equal(50, asset0.Live.StateOfChargePercent); // telemetry written on deactivation
        var inMaintenance = (await second.Grains.GetGrain<IAssetGrain>(assets[2]).GetAsync())!;
        Assert.Equal(AssetStatus.Maintenance, inMaintenance.Live.Status);
        Assert.Equal("inverter swap", inMaintenance.Live.StatusReason);

        // The standing target comes back and is sent again to the assets that are online now.
        var fleet = await FleetWhenAsync(
            second.Grains, fleetId,
            v => v.Counts.AssetCount == 3 && v.Counts.OnlineCount == 2 && v.Dispatch.LastDispatchId != lastDispatchBeforeStop && Math.Abs(v.Dispatch.AllocatedKw - 150) < 0.01,
            "the fleet back with its target re-dispatched");
        Assert.Equal(150, fleet.Dispatch.TargetKw);
        var events = await second.Grains.GetGrain<IFleetGrain>(fleetId).GetEventsAsync(50);
        Assert.Contains(events, e => e is DispatchEvent d && d.DispatchId == dispatch.DispatchId);
        Assert.Contains(events, e => e.Kind == FleetEventKinds.Membership);
        Assert.Contains(events, e => e is AssetStatusEvent s && s.AssetId == assets[2]);
        Assert.Contains(events, e => e.Kind == FleetEventKinds.Reallocation && e.Message.Contains("reactivated"));
        var setpoints = await Task.WhenAll(assets[..2].Select(a => second.Grains.GetGrain<IAssetGrain>(a).GetAsync()));
        Assert.Equal(150, setpoints.Sum(v => v!.Live.SetpointKw ?? 0), 3);
    }

    [Fact]
    public async Task Killing_every_silo_keeps_what_was_answered_and_loses_at_most_the_unflushed_telemetry()
    {
        var fleetId = NewId("fleet");
        string[] assets;
        DispatchResult dispatch;
        await using (var first = await DurableCluster.StartAsync(Store, Clock, silos: 2))
        {
            assets = await AddOnlineBatteriesAsync(first.Grains, fleetId, 2);
            await FleetWhenAsync(first.Grains, fleetId, v => v.Counts.OnlineCount == 2, "two online assets");
            dispatch = await first.Grains.GetGrain<IFleetGrain>(fleetId).DispatchAsync(new DispatchRequest(-80));

            // Telemetry that waited a full write-behind interval is stored; a newer measurement may not be.
            var asset = first.Grains.GetGrain<IAssetGrain>(assets[0]);
            await asset.ReportTelemetryAsync(new Telemetry(Clock.GetUtcNow(), -40, StateOfChargePercent: 61));
            Clock.Advance(DurableCluster.LiveStateWriteInterval);
            await Eventually.Until(
                () => first.ReadStoredAssetAsync(assets[0]), s => s?.Live.StateOfChargePercent == 61, "the write-behind", TimeSpan.FromSeconds(30));
            await asset.ReportTelemetryAsync(new Telemetry(Clock.GetUtcNow(), -40, StateOfChargePercent: 62));
            await first.KillAllAsync();
        }

        // Fresh telemetry keeps the assets online after the restart (the clock moved on by a write interval).
        await using var second = await DurableCluster.StartAsync(Store, Clock, silos: 2);
        var view = (await second.Grains.GetGrain<IAssetGrain>(assets[0]).GetAsync())!;
        Assert.Equal(Battery(fleetId, 100, 10), view.Spec);
        Assert.Contains(view.Live.StateOfChargePercent, new double?[] { 61, 62 }); // bounded loss: at most one interval
        var fleet = await Eventually.Until(
            () => second.Grains.GetGrain<IFleetGrain>(fleetId).GetAsync(), v => v?.Counts.AssetCount == 2, "membership back", TimeSpan.FromSeconds(60));
        Assert.Equal(-80, fleet!.Dispatch.TargetKw);
        Assert.Equal(dispatch.DispatchId, (await second.Grains.GetGrain<IFleetGrain>(fleetId).GetEventsAsync(50))
            .OfType<DispatchEvent>().Select(e => e.DispatchId).Single());
    }

    [Fact]
    public async Task Fleet_events_stored_in_the_flat_row_shape_load_with_every_field_of_their_kind()
    {
        var fleetId = NewId("fleet");
        await SeedOnlineFleetAndStopAsync(fleetId, 1);
        var row = System.Text.Json.Nodes.JsonNode.Parse((await Store.PayloadOfAsync("fleet", fleetId))!)!.AsObject();
        row["Events"] = System.Text.Json.Nodes.JsonNode.Parse(StoredFleetEventRows.Events);
        row["NextSequence"] = StoredFleetEventRows.LastSequence + 1;
        Assert.Equal(1, await Store.OverwritePayloadAsync("fleet", fleetId, System.Text.Encoding.UTF8.GetBytes(row.ToJsonString())));

        await using var cluster = await DurableCluster.StartAsync(Store, Clock);
        var stored = (await cluster.Grains.GetGrain<IFleetGrain>(fleetId).GetEventsAsync(100))
            .Where(e => e.Sequence <= StoredFleetEventRows.LastSequence).OrderBy(e => e.Sequence).ToArray();

        Assert.Equal(["membership", "assetStatus", "dispatch", "reallocation", "sliceCurtailment"], stored.Select(e => e.Kind));
        Assert.Equal(["bat0-eec04d59321e"], Assert.IsType<MembershipEvent>(stored[0]).AssetIds);
        var status = Assert.IsType<AssetStatusEvent>(stored[1]);
        Assert.Equal(("bat0-eec04d59321e", "online", null), (status.AssetId, status.Status, status.LostKw));
        var dispatch = Assert.IsType<DispatchEvent>(stored[2]);
        Assert.Equal(("fleet-stored-row-20261125120000000-46ff6cd6", 150.0, 150.0, 0.0), (dispatch.DispatchId, dispatch.TargetKw, dispatch.AllocatedKw, dispatch.ShortfallKw));
        var reallocation = Assert.IsType<ReallocationEvent>(stored[3]);
        Assert.Equal((50.0, 50.0), (reallocation.LostKw, reallocation.PickedUpKw));
        Assert.Equal([new SetpointChange("bat0-eec04d59321e", 25), new SetpointChange("bat1-177d6660fc60", 25)], reallocation.PickedUpBy!);
        Assert.Equal(["bat2-ee7c16e27de0"], reallocation.AssetIds);
        var curtailment = Assert.IsType<SliceCurtailmentEvent>(stored[4]);
        Assert.Equal("trader-a", curtailment.TraderId);
        Assert.Equal(["vb-1", "vb-2"], curtailment.VirtualBatteryIds);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 12, 15, 0, TimeSpan.Zero), curtailment.At);

        // The fleet writes its events back in the same flat shape: every field the loaded rows held as it was (the
        // hand-written curtailment row leaves out fields a recorded one has), and a new event like them.
        await cluster.Grains.GetGrain<IFleetGrain>(fleetId).DispatchAsync(new DispatchRequest(5));
        var written = await Eventually.Until(
            async () => System.Text.Json.Nodes.JsonNode.Parse((await Store.PayloadOfAsync("fleet", fleetId))!)!["Events"]!["$values"]!.AsArray(),
            rows => rows.Count > StoredFleetEventRows.LastSequence, "the new dispatch event stored");
        var captured = System.Text.Json.Nodes.JsonNode.Parse(StoredFleetEventRows.Events)!["$values"]!.AsArray();
        foreach (var original in captured)
        {
            var rewritten = written.Single(w => (long)w!["Sequence"]! == (long)original!["Sequence"]!)!.AsObject();
            Assert.Equal(original!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal), rewritten.Select(p => p.Key).Order(StringComparer.Ordinal));
            Assert.All(
                original.AsObject().Where(p => p.Value is not null),
                p => Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(p.Value, rewritten[p.Key]), $"{p.Key} written back as {rewritten.ToJsonString()}"));
        }

        var fields = captured[0]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();
        var added = written.Single(w => (long)w!["Sequence"]! > StoredFleetEventRows.LastSequence)!.AsObject();
        Assert.Equal(fields, added.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(("Vpp.Abstractions.Fleets.FleetEvent, Vpp.Abstractions", "dispatch"), ((string?)added["$type"], (string?)added["Kind"]));
    }

    [Fact]
    public async Task Afrr_steps_stored_in_todays_row_shape_load_field_for_field()
    {
        var fleetId = NewId("fleet");
        await using (var first = await DurableCluster.StartAsync(Store, Clock))
        {
            await AddOnlineBatteriesAsync(first.Grains, fleetId, 1);
            await FleetWhenAsync(first.Grains, fleetId, v => v.Counts.OnlineCount == 1, "the battery online");
            var services = first.Grains.GetGrain<IFleetGridServicesGrain>(fleetId);
            await services.SetAfrrSetpointAsync(new AfrrSetpoint(10, Clock.GetUtcNow()));
            Clock.Advance(TimeSpan.FromSeconds(2));
            await services.SetAfrrSetpointAsync(new AfrrSetpoint(10, Clock.GetUtcNow()));
            await first.StopGracefullyAsync();
        }

        var row = System.Text.Json.Nodes.JsonNode.Parse((await Store.PayloadOfAsync("fleetGridServices", fleetId))!)!.AsObject();
        // Rows written by this build have the pinned shape: the same type names, the same fields in the same order.
        var written = row["AfrrSteps"]!.AsObject();
        var stored = System.Text.Json.Nodes.JsonNode.Parse(StoredAfrrStepRows.Steps)!.AsObject();
        Assert.Equal((string?)stored["$type"], (string?)written["$type"]);
        Assert.NotEmpty(written["$values"]!.AsArray());
        var fields = stored["$values"]![0]!.AsObject().Select(p => (p.Key, p.Key == "$type" ? (string?)p.Value : null)).ToArray();
        Assert.All(written["$values"]!.AsArray(), w => Assert.Equal(fields, w!.AsObject().Select(p => (p.Key, p.Key == "$type" ? (string?)p.Value : null))));
        row["AfrrSteps"] = System.Text.Json.Nodes.JsonNode.Parse(StoredAfrrStepRows.Steps);
        Assert.Equal(1, await Store.OverwritePayloadAsync("fleetGridServices", fleetId, System.Text.Encoding.UTF8.GetBytes(row.ToJsonString())));

        await using var second = await DurableCluster.StartAsync(Store, Clock);
        var steps = await second.Grains.GetGrain<IFleetGridServicesGrain>(fleetId)
            .GetAfrrStepsAsync(StoredAfrrStepRows.From, StoredAfrrStepRows.From.AddMinutes(1));

        Assert.Equal(
            [
                new AfrrStep(StoredAfrrStepRows.From, StoredAfrrStepRows.From.AddSeconds(2), 40, 20, 0.022222222222222223, 0.005555555555555556, "measured"),
                new AfrrStep(StoredAfrrStepRows.From.AddSeconds(2), StoredAfrrStepRows.From.AddSeconds(4), 40, 40, 0.022222222222222223, 0.016666666666666666, "allocated"),
            ],
            steps);
    }

    [Fact]
    public async Task The_offline_watchdog_resumes_after_a_restart_without_anyone_calling_the_assets()
    {
        var fleetId = NewId("fleet");
        var assets = await SeedOnlineFleetAndStopAsync(fleetId, 2);

        // Nothing runs while the silos are down; the assets fall silent meanwhile.
        Clock.Advance(DurableCluster.OfflineAfter + TimeSpan.FromSeconds(1));
        await using var second = await DurableCluster.StartAsync(Store, Clock);

        // Only the partitions' reminders can wake the assets: we read storage, never the grains.
        foreach (var assetId in assets)
        {
            var stored = await Eventually.Until(
                () => second.ReadStoredAssetAsync(assetId), s => s?.Live.Status == AssetStatus.Offline,
                $"{assetId} marked offline by its resumed watchdog", TimeSpan.FromSeconds(60), s => s?.Live.Status.ToString() ?? "no row");
            Assert.Contains("no telemetry", stored!.Live.StatusReason);
        }
    }

    [Fact]
    public async Task The_fleet_reminder_prunes_events_older_than_the_retention()
    {
        var fleetId = NewId("fleet");
        var retention = TimeSpan.FromHours(1);
        await using var cluster = await DurableCluster.StartAsync(Store, Clock, configure: o => o.EventRetention = retention);
        await AddOnlineBatteriesAsync(cluster.Grains, fleetId, 1);
        var fleet = cluster.Grains.GetGrain<IFleetGrain>(fleetId);
        await FleetWhenAsync(cluster.Grains, fleetId, v => v.Counts.OnlineCount == 1, "the asset online");
        var old = await fleet.DispatchAsync(new DispatchRequest(10));

        Clock.Advance(retention + TimeSpan.FromMinutes(1));
        var recent = await fleet.DispatchAsync(new DispatchRequest(20));
        var stored = await Eventually.Until(
            () => cluster.ReadStoredFleetAsync(fleetId), s => s is not null && s.Events.All(e => e.At >= Clock.GetUtcNow() - retention),
            "old events pruned from storage", TimeSpan.FromSeconds(60), s => string.Join(", ", s?.Events.Select(e => $"{e.Kind}@{e.At:HH:mm}") ?? []));
        Assert.DoesNotContain(stored!.Events, e => e is DispatchEvent d && d.DispatchId == old.DispatchId);
        Assert.Contains(stored.Events, e => e is DispatchEvent d && d.DispatchId == recent.DispatchId);
    }

    [Fact]
    public async Task An_answered_bulk_registration_is_stored_whole_and_rows_with_reference_ids_still_read_back()
    {
        var fleetId = NewId("fleet");
        var ids = Enumerable.Range(0, 40).Select(i => NewId($"bulk{i}")).ToArray();
        await using (var first = await DurableCluster.StartAsync(Store, Clock))
        {
            var result = await first.Grains.GetGrain<IAssetRegistrationGrain>(0)
                .RegisterAsync(fleetId, [.. ids.Select(id => new AssetRegistration(id, Battery(fleetId, 10)))]);
            Assert.Equal(ids.Length, result.RegisteredCount);

            // The partitions stored the new assets' rows themselves: no asset grain was activated.
            var management = first.Grains.GetGrain<IManagementGrain>(0);
            var activations = await Task.WhenAll(ids.Select(id => management.GetGrainActivationCount((GrainReference)first.Grains.GetGrain<IAssetGrain>(id))));
            Assert.All(activations, n => Assert.Equal(0, n));

            // New assets are offline: no partition has a member to watch yet, so none wrote a watchdog reminder.
            Assert.Empty(await Store.ReminderVersionsAsync(Vpp.Grains.Fleets.FleetPartitionGrain.WatchdogReminder, fleetId));
            await first.KillAllAsync(); // nothing is written on the way out: what was answered must already be stored
        }

        // States are plain JSON trees: no $id/$ref reference tracking (it hashed every object written).
        var payload = System.Text.Encoding.UTF8.GetString((await Store.PayloadOfAsync("asset", ids[0]))!);
        Assert.Contains("\"$type\"", payload);
        Assert.DoesNotContain("\"$id\"", payload);

        // A row as a serializer with reference tracking wrote it still reads back.
        var number = 0;
        var tracked = System.Text.RegularExpressions.Regex.Replace(payload, "\\{\"\\$type\"", _ => $"{{\"$id\":\"{++number}\",\"$type\"");
        Assert.True(number > 1);
        Assert.Equal(1, await Store.OverwritePayloadAsync("asset", ids[0], System.Text.Encoding.UTF8.GetBytes(tracked)));

        await using var second = await DurableCluster.StartAsync(Store, Clock);
        var views = await Task.WhenAll(ids.Select(id => second.Grains.GetGrain<IAssetGrain>(id).GetAsync()));
        Assert.All(views, v => Assert.Equal(Battery(fleetId, 10), v!.Spec));
        await FleetWhenAsync(second.Grains, fleetId, v => v.Counts.AssetCount == ids.Length, $"{ids.Length} assets in the fleet");

        // They come online by telemetry and take a dispatch as assets registered one by one do.
        await Task.WhenAll(ids.Select(id => second.Grains.GetGrain<IAssetGrain>(id).ReportTelemetryAsync(new Telemetry(Clock.GetUtcNow(), 0, StateOfChargePercent: 50))));
        await FleetWhenAsync(second.Grains, fleetId, v => v.Counts.OnlineCount == ids.Length, $"{ids.Length} assets online");
        var dispatch = await second.Grains.GetGrain<IFleetGrain>(fleetId).DispatchAsync(new DispatchRequest(200));
        Assert.Equal(200, dispatch.AllocatedKw, 3);

        // Online members are watched: each partition wrote its watchdog reminder once, not once per member online.
        await Eventually.Until(
            () => Store.ReminderVersionsAsync(Vpp.Grains.Fleets.FleetPartitionGrain.WatchdogReminder, fleetId),
            r => r.SequenceEqual([0L, 0L]), "one watchdog reminder per partition", TimeSpan.FromSeconds(60), r => string.Join(", ", r));
    }

    [Fact]
    public async Task A_corrupt_stored_asset_answers_a_typed_error_while_every_other_grain_keeps_serving()
    {
        var fleetId = NewId("fleet");
        var assets = await SeedOnlineFleetAndStopAsync(fleetId, 2);

        Assert.Equal(1, await Store.OverwritePayloadAsync("asset", assets[0], [0xde, 0xad, 0xbe, 0xef, 0x7b, 0x22]));
        await using var second = await DurableCluster.StartAsync(Store, Clock);
        var broken = second.Grains.GetGrain<IAssetGrain>(assets[0]);
        // Orleans wraps what failed an activation; the typed error is inside, where the HTTP API finds it.
        var error = Unavailable(await Assert.ThrowsAnyAsync<Exception>(() => broken.GetAsync()));
        Assert.Equal("asset", error.StateName);
        Assert.Contains(assets[0], error.GrainId);
        Assert.Contains("corrupt", error.Reason);

        // Asked again, the same clear error (not a hang, not a different failure) — and logged once, naming the grain.
        Unavailable(await Assert.ThrowsAnyAsync<Exception>(() => broken.ReportTelemetryAsync(new Telemetry(Clock.GetUtcNow(), 0, StateOfChargePercent: 50))));
        var reported = second.Logs.Records.Where(e => e.Category?.EndsWith("UnreadableStateGuard", StringComparison.Ordinal) == true
            && e.Level == Microsoft.Extensions.Logging.LogLevel.Error && e.Message.Contains("cannot be read")).ToList();
        var entry = Assert.Single(reported);
        Assert.Contains($"asset/{assets[0]}", entry.Message);
        Assert.Contains("(type asset)", entry.Message);

        // The healthy asset and the fleet keep working; the unreadable asset counts as offline.
        var healthy = second.Grains.GetGrain<IAssetGrain>(assets[1]);
        await healthy.ReportTelemetryAsync(new Telemetry(Clock.GetUtcNow(), 0, StateOfChargePercent: 55));
        Assert.Equal(55, (await healthy.GetAsync())!.Live.StateOfChargePercent);
        var fleet = await FleetWhenAsync(second.Grains, fleetId, v => v.Counts.OnlineCount == 1, "the fleet serving its readable asset");
        Assert.Equal(2, fleet.Counts.AssetCount);
        var dispatch = await second.Grains.GetGrain<IFleetGrain>(fleetId).DispatchAsync(new DispatchRequest(50));
        Assert.Equal(50, dispatch.AllocatedKw, 3);
    }
}

public sealed class PostgresDurabilityTests(PostgresDurableStore store)
    : DurabilityTests<PostgresDurableStore>(store), IClassFixture<PostgresDurableStore>;

public sealed class SqliteDurabilityTests(SqliteDurableStore store)
    : DurabilityTests<SqliteDurableStore>(store), IClassFixture<SqliteDurableStore>;
