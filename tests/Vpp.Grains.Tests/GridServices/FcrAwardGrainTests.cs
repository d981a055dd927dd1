using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.GridServices;
using Vpp.Domain.Assets;
using Vpp.Domain.Market;

namespace Vpp.Grains.Tests.GridServices;

/// <summary>FCR awards follow the market: due only in their block or period, ended by themselves, checked against the registered fleet.</summary>
[Collection(VppClusterCollection.Name)]
public sealed class FcrAwardGrainTests(VppClusterFixture fixture)
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private IGridAreaGrain Area => GridServiceFleet.Area(fixture);

    [Fact]
    public async Task A_block_award_is_due_only_in_its_block_and_ends_by_itself()
    {
        var fleet = await GridServiceFleet.CreateAsync(fixture, "block", 2, maxKw: 100);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(0));
        var now = fixture.Clock.GetUtcNow();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Berlin).DateTime);
        var next = ProductBlocks.Of(today, Berlin, MarketProduct.Fcr.BlockLength)
            .Concat(ProductBlocks.Of(today.AddDays(1), Berlin, MarketProduct.Fcr.BlockLength))
            .First(b => b.From > now);

        var awarded = await fleet.Services.SetFcrContractAsync(new FcrAwardInput(100, next.Day, next.Index));
        Assert.Equal(0, awarded.ContractedKw);
        Assert.Equal(new FcrAwardView(100, next.From, next.To, next.SymmetricName(MarketProduct.Fcr.BlockLength)), Assert.Single(awarded.Awards!));
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(49.8));
        Assert.Equal(0, (await fleet.Fleet.GetAsync())!.Dispatch.AllocatedKw, 3); // before its block: no response

        await AdvanceToAsync(fleet, next.From);
        await fleet.ViewWhenAsync(v => v.Services.Fcr is { ContractedKw: 100 }, "the band due once its block started");
        await Area.ReportFrequencyAsync(new FrequencyMeasurement(49.8));
        Assert.Equal(100, (await fleet.Fleet.GetAsync())!.Dispatch.AllocatedKw, 3);

        await AdvanceToAsync(fleet, next.To);
        var ended = await fleet.ViewWhenAsync(
            v => v.Services.Fcr is { ContractedKw: 0, Awards.Length: 0 } && Math.Abs(v.Dispatch.AllocatedKw) < 1e-3, "the band ended and the award dropped with its block");
        Assert.Equal(0, ended.Services.Fcr!.ResponseKw);


        // The event follows the re-dispatch that ends the band, which the view can show first.
        static bool Fcr(FleetEvent e, string what) => e.Kind == GridServiceEventKinds.Fcr && e.Message.Contains(what, StringComparison.Ordinal);
        await Eventually.Until(
            () => fleet.Fleet.GetEventsAsync(100),
            events => events.Any(e => Fcr(e, "period started")) && events.Any(e => Fcr(e, "period ended")),
            "the FCR events of the period's start and end");
    }

    /// <summary>Moves the fake clock on by hours; the batteries report at the new time so they stay online.</summary>
    private async Task AdvanceToAsync(GridServiceFleet fleet, DateTimeOffset at)
    {
        fixture.Clock.Advance(at - fixture.Clock.GetUtcNow());
        foreach (var id in fleet.AssetIds)
        {
            await fixture.Grains.GetGrain<IAssetGrain>(id).ReportTelemetryAsync(new Telemetry(at, 0, StateOfChargePercent: 50));
        }

        await fleet.ViewWhenAsync(v => v.Counts.OnlineCount == fleet.AssetIds.Length, "the batteries online at the new time");
    }

    [Fact]
    public async Task An_award_within_the_registered_fleet_is_accepted_while_an_asset_is_offline_and_shows_the_shortfall()
    {
        var fleet = await GridServiceFleet.CreateAsync(fixture, "offline", 2, maxKw: 100);
        await fleet.Fleet.DispatchAsync(new DispatchRequest(0));
        var battery = fixture.Grains.GetGrain<IAssetGrain>(fleet.AssetIds[1]);
        await battery.ReportStatusAsync(AssetStatus.Offline, "inverter fault");
        await fleet.ViewWhenAsync(v => v.Counts.OnlineCount == 1, "one battery offline");

        var contract = await fleet.Services.SetFcrContractAsync(150, fixture.Clock);

        Assert.Equal(150, contract.ContractedKw);
        Assert.Equal(200, contract.MaxBandKw, 3); // registered: both batteries
        Assert.Equal(100, contract.DeliverableKw, 3); // online now
        Assert.Equal(50, contract.ShortfallKw, 3);
        var short1 = Assert.Single(await fleet.Fleet.GetEventsAsync(100), e => e.Kind == GridServiceEventKinds.FcrShortfall);
        Assert.Contains("short by 50 kW", short1.Message, StringComparison.Ordinal);
        var beyond = await Assert.ThrowsAsync<InvalidInputException>(() => fleet.Services.SetFcrContractAsync(250, fixture.Clock));
        Assert.Equal(["contractedKw"], beyond.Problems.Select(p => p.Field));

        await battery.ReportStatusAsync(AssetStatus.Online, "repaired");
        await battery.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: 50));
        await fleet.ViewWhenAsync(v => v.Services.Fcr is { ShortfallKw: 0, DeliverableKw: >= 150 }, "the band covered again");
        fixture.Clock.Advance(TimeSpan.FromSeconds(2)); // the fleet's watch ticks on the clock
        await Eventually.Until(
            () => fleet.Fleet.GetEventsAsync(100),
            events => events.Any(e => e.Kind == GridServiceEventKinds.FcrShortfallEnded),
            "one fcr-shortfall-ended event",
            describe: events => string.Join(" | ", events.Select(e => $"{e.Kind}: {e.Message}")));
        Assert.Single(await fleet.Fleet.GetEventsAsync(100), e => e.Kind == GridServiceEventKinds.FcrShortfall);
        await fleet.Services.EndFcrContractsAsync();
    }
}
