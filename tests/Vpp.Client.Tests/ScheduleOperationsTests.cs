using Vpp.Client.Errors;
using Vpp.Domain.Assets;
using Vpp.Domain.Schedules;

namespace Vpp.Client.Tests;

/// <summary>Schedules and unavailabilities through the SDK against a real cluster (real clock: slots lie ahead).</summary>
[Collection(SdkClusterCollection.Name)]
public sealed class ScheduleOperationsTests(SdkClusterFixture fixture)
{
    private VppClient Vpp => fixture.Client;

    private static DateTimeOffset NextQuarterHour => QuarterHour.Floor(DateTimeOffset.UtcNow) + TimeSpan.FromMinutes(30);

    [Fact]
    public async Task A_schedule_is_stored_read_replaced_and_deleted()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 2, maxKw: 100);
        var start = NextQuarterHour;

        var stored = await Vpp.PutScheduleAsync(fleetId, start, [50, 150, -80]);
        Assert.Equal([50, 150, -80], stored.Slots.Select(s => s.TargetKw));
        Assert.Equal(start, stored.Slots[0].Start);
        await Vpp.PutScheduleAsync(fleetId, start + QuarterHour.Length, [10]);

        var read = await Vpp.GetScheduleAsync(fleetId, start, start + TimeSpan.FromHours(1));
        Assert.Equal([50, 10, -80], read.Slots.Select(s => s.TargetKw));

        Assert.Equal(2, await Vpp.DeleteScheduleAsync(fleetId, start, start + TimeSpan.FromMinutes(30)));
        Assert.Equal([-80], (await Vpp.GetScheduleAsync(fleetId, start, start + TimeSpan.FromHours(1))).Slots.Select(s => s.TargetKw));
    }

    [Fact]
    public async Task A_local_day_needs_the_days_number_of_quarter_hours()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 1, maxKw: 100);
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var count = LocalDay.Slots(day, zone).Count;

        var wrong = await Assert.ThrowsAsync<VppValidationException>(() => Vpp.PutLocalDayScheduleAsync(fleetId, day, "Europe/Berlin", [.. Enumerable.Repeat(5d, count + 1)]));
        Assert.Equal(["slots"], wrong.Fields);

        var stored = await Vpp.PutLocalDayScheduleAsync(fleetId, day, "Europe/Berlin", [.. Enumerable.Repeat(5d, count)]);
        Assert.Equal(count, stored.Slots.Length);
        Assert.Equal(LocalDay.Slots(day, zone)[0].StartUtc, stored.Slots[0].Start);
    }

    [Fact]
    public async Task Invalid_schedules_are_refused_with_typed_exceptions_naming_the_slot()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 1, maxKw: 100);

        var beyond = await Assert.ThrowsAsync<VppValidationException>(() => Vpp.PutScheduleAsync(fleetId, NextQuarterHour, [10, 10, 500]));
        Assert.Equal(["slots[2].targetKw"], beyond.Fields);
        var misaligned = await Assert.ThrowsAsync<VppValidationException>(() => Vpp.PutScheduleAsync(fleetId, NextQuarterHour.AddMinutes(1), [10]));
        Assert.Equal(["start"], misaligned.Fields);
        var reversed = await Assert.ThrowsAsync<VppValidationException>(() => Vpp.GetScheduleAsync(fleetId, NextQuarterHour, NextQuarterHour.AddHours(-1)));
        Assert.Equal(["to"], reversed.Fields);
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.PutScheduleAsync(SdkClusterFixture.NewId("nofleet"), NextQuarterHour, [1]));
        await Assert.ThrowsAsync<VppValidationException>(() => Vpp.GetScheduleAsync("12345", NextQuarterHour, NextQuarterHour.AddHours(1)));
        Assert.Empty((await Vpp.GetScheduleAsync(fleetId, NextQuarterHour.AddDays(-1), NextQuarterHour.AddDays(1))).Slots);
    }

    [Fact]
    public async Task Unavailabilities_are_added_listed_and_removed_and_an_outage_in_force_takes_the_asset_out()
    {
        var (fleetId, assetIds) = await fixture.OnlineFleetAsync(assets: 2, maxKw: 100);
        var asset = assetIds[0];
        var now = DateTimeOffset.UtcNow;

        var planned = await Vpp.AddUnavailabilityAsync(asset, now.AddDays(1), now.AddDays(1).AddHours(4), planned: true, "annual service");
        var current = await Vpp.AddUnavailabilityAsync(asset, now.AddMinutes(-5), now.AddHours(1), planned: false, "breaker tripped");
        Assert.Equal(("planned", "annual service"), (planned.Kind, planned.Reason));
        Assert.Equal([current.Id, planned.Id], (await Vpp.GetUnavailabilitiesAsync(asset)).Select(w => w.Id));

        var inOutage = await Eventually.Until(() => Vpp.GetAssetAsync(asset), a => a.Live.Status == AssetStatus.Maintenance, "maintenance now");
        Assert.Contains("breaker tripped", inOutage.Live.StatusReason);
        await Eventually.Until(() => Vpp.GetFleetAsync(fleetId), f => f.Counts.OnlineCount == 1, "the fleet counts it out");

        await Vpp.RemoveUnavailabilityAsync(asset, current.Id);
        await Eventually.Until(() => Vpp.GetAssetAsync(asset), a => a.Live.Status == AssetStatus.Online, "back online");
        Assert.Equal([planned.Id], (await Vpp.GetUnavailabilitiesAsync(asset)).Select(w => w.Id));

        var reversed = await Assert.ThrowsAsync<VppValidationException>(() => Vpp.AddUnavailabilityAsync(asset, now.AddHours(2), now.AddHours(1), planned: true));
        Assert.Equal(["until"], reversed.Fields);
        var gone = await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.RemoveUnavailabilityAsync(asset, current.Id));
        Assert.Equal(("unavailability", current.Id), (gone.Entity, gone.Id));
        await Assert.ThrowsAsync<VppNotFoundException>(() => Vpp.GetUnavailabilitiesAsync(SdkClusterFixture.NewId("ghost")));
    }
}
