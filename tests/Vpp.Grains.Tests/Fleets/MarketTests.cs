using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Forecasts;
using Vpp.Domain.Assets;
using Vpp.Domain.Schedules;
using Vpp.Grains.Contracts;
using Vpp.Grains.Tests.GridServices;

namespace Vpp.Grains.Tests.Fleets;

/// <summary>Flexibility and bids of a real fleet: partitions pool their members, the fleet rounds to market sizes.</summary>
[Collection(VppClusterCollection.Name)]
public sealed class MarketTests(VppClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    /// <summary>
    /// A 50 kW battery of 200 kWh at 50 % SoC, lossless, usable from 0 to 100 %: 100 kWh each way, so it can hold
    /// 50 kW for 15 minutes (FCR's activation time) but only 100 kWh / 4 h = 25 kW for a 4-hour aFRR block.
    /// </summary>
    private async Task AddSmallBatteriesAsync(string fleetId, int count)
    {
        var adds = Enumerable.Range(0, count).Select(async _ =>
        {
            var assetId = VppClusterFixture.NewId("small");
            var asset = _grains.GetGrain<IAssetGrain>(assetId);
            await asset.ConfigureAsync(TestSpecs.LosslessBattery(fleetId, maxKw: 50, capacityKwh: 200));
            await asset.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: 50));
        });
        await Task.WhenAll(adds);
        await Eventually.Until(
            () => _grains.GetGrain<IFleetGrain>(fleetId).GetAsync(),
            v => v?.Counts.OnlineCount == count,
            $"{count} batteries online");
    }

    private DateTimeOffset NextHour => QuarterHour.Floor(fixture.Clock.GetUtcNow()).AddHours(1);

    [Fact]
    public async Task Twenty_five_assets_far_below_the_minimum_bid_reach_it_together_rounded_down()
    {
        var fleetId = VppClusterFixture.NewId("pool");
        await AddSmallBatteriesAsync(fleetId, 25);
        var market = _grains.GetGrain<IFleetQueryGrain>(fleetId);
        var from = NextHour;

        // FCR: 25 × 50 kW = 1,250 kW both ways; one 4-hour block, symmetric, rounded down to 1 MW.
        var fcr = await market.GetBidsAsync("fcr", from, from.AddMinutes(15));
        var bid = Assert.Single(fcr.Bids);
        Assert.Equal("symmetric", bid.Direction);
        Assert.Equal(1250, bid.PooledKw, 6);
        Assert.Equal(1000, bid.QuantityKw);
        Assert.Null(bid.Problem);
        Assert.Equal(TimeSpan.FromHours(4), bid.End - bid.Start);
        Assert.True(bid.Start <= from && bid.End > from, "the block holds the queried slot");

        // Intraday: one slot per quarter hour, up and down, rounded down to 0.1 MW steps.
        var intraday = await market.GetBidsAsync("intraday", from, from.AddMinutes(30));
        Assert.Equal(4, intraday.Bids.Length);
        Assert.All(intraday.Bids, b => Assert.Equal(1200, b.QuantityKw));
        Assert.Equal(["up", "down", "up", "down"], intraday.Bids.Select(b => b.Direction));

        // aFRR must be held for the whole 4-hour block: 100 kWh / 4 h = 25 kW each, 625 kW together: no bid, and why.
        var afrr = await market.GetBidsAsync("afrr", from, from.AddMinutes(15));
        Assert.Equal(2, afrr.Bids.Length);
        Assert.All(afrr.Bids, b =>
        {
            Assert.Equal(625, b.PooledKw, 6);
            Assert.Equal(0, b.QuantityKw);
            Assert.Contains("below the minimum bid of 1000 kW", b.Problem);
        });
    }

    [Fact]
    public async Task A_single_small_asset_makes_no_fcr_bid_and_says_why()
    {
        var fleetId = VppClusterFixture.NewId("alone");
        await AddSmallBatteriesAsync(fleetId, 1);
        var from = NextHour;

        var fcr = await _grains.GetGrain<IFleetQueryGrain>(fleetId).GetBidsAsync("fcr", from, from.AddMinutes(15));

        var bid = Assert.Single(fcr.Bids);
        Assert.Equal(0, bid.QuantityKw);
        Assert.Equal(50, bid.PooledKw, 6);
        Assert.Contains("short by 950 kW", bid.Problem);
    }

    [Fact]
    public async Task Flexibility_per_slot_limits_energy_by_the_product_duration()
    {
        var fleetId = VppClusterFixture.NewId("flex");
        await AddSmallBatteriesAsync(fleetId, 4);
        var market = _grains.GetGrain<IFleetQueryGrain>(fleetId);
        var from = NextHour;

        var quarter = await market.GetFlexibilityAsync(from, from.AddHours(1), TimeSpan.FromMinutes(15));
        Assert.Equal(4, quarter.Slots.Length);
        Assert.All(quarter.Slots, s =>
        {
            Assert.Equal(200, s.UpKw, 6);
            Assert.Equal(200, s.DownKw, 6);
            Assert.Equal(50, s.UpKwh, 6); // 200 kW for 15 minutes
            Assert.Equal(4, s.AssetsCounted);
            Assert.Equal(0, s.AssetsNotCounted);
        });
        Assert.Equal(from, quarter.Slots[0].Start);

        var fourHours = await market.GetFlexibilityAsync(from, from.AddMinutes(15), TimeSpan.FromHours(4));
        var slot = Assert.Single(fourHours.Slots);
        Assert.Equal(100, slot.UpKw, 6);   // 4 × 100 kWh / 4 h
        Assert.Equal(400, slot.UpKwh, 6);  // 100 kW for 4 hours
    }

    [Fact]
    public async Task Scheduled_slots_and_the_fcr_band_are_not_offered_again()
    {
        var fleetId = VppClusterFixture.NewId("committed");
        await AddSmallBatteriesAsync(fleetId, 4);
        var market = _grains.GetGrain<IFleetQueryGrain>(fleetId);
        var from = NextHour;

        // The second quarter hour is sold at +60 kW; the fleet holds a ±40 kW FCR band throughout.
        await _grains.GetGrain<Abstractions.Schedules.IFleetScheduleGrain>(fleetId).SubmitAsync(
            new Abstractions.Schedules.ScheduleRequest(from.AddMinutes(15), [new(60)]));
        await _grains.GetGrain<Abstractions.GridServices.IFleetGridServicesGrain>(fleetId).SetFcrContractAsync(40, fixture.Clock);
        try
        {
            var flexibility = await market.GetFlexibilityAsync(from, from.AddMinutes(30), TimeSpan.FromMinutes(15));

            Assert.Equal(1, flexibility.ScheduledSlots);
            Assert.Equal(40, flexibility.FcrReserveKw);
            // Free slot: 200 kW each way less the band.
            Assert.Equal((160d, 160d), (flexibility.Slots[0].UpKw, flexibility.Slots[0].DownKw));
            // Sold slot: 60 kW of the headroom up is used, and the fleet could come down from +60 as well.
            Assert.Equal((100d, 220d), (flexibility.Slots[1].UpKw, flexibility.Slots[1].DownKw));
        }
        finally
        {
            await _grains.GetGrain<Abstractions.GridServices.IFleetGridServicesGrain>(fleetId).SetFcrContractAsync(0, fixture.Clock);
        }
    }

    [Fact]
    public async Task An_fcr_award_is_held_back_only_in_the_slots_of_its_period()
    {
        var fleetId = VppClusterFixture.NewId("fcrperiod");
        await AddSmallBatteriesAsync(fleetId, 4);
        var fleet = _grains.GetGrain<IFleetGrain>(fleetId);
        var market = _grains.GetGrain<IFleetQueryGrain>(fleetId);
        var services = _grains.GetGrain<Abstractions.GridServices.IFleetGridServicesGrain>(fleetId);
        var from = NextHour;

        await services.SetFcrContractAsync(new Abstractions.GridServices.FcrAwardInput(40, From: from.AddMinutes(15), To: from.AddMinutes(30)));
        try
        {
            var flexibility = await market.GetFlexibilityAsync(from, from.AddMinutes(45), TimeSpan.FromMinutes(15));

            Assert.Equal([200d, 160d, 200d], flexibility.Slots.Select(s => Math.Round(s.UpKw, 6)));
            Assert.Equal([200d, 160d, 200d], flexibility.Slots.Select(s => Math.Round(s.DownKw, 6)));
            Assert.Equal(40, flexibility.FcrReserveKw);
            Assert.Equal(0, (await fleet.GetAsync())!.Services.Fcr!.ContractedKw); // not due before its period
        }
        finally
        {
            await services.EndFcrContractsAsync();
        }
    }

    [Fact]
    public async Task An_fcr_bid_offers_no_more_than_the_band_an_award_check_accepts_less_the_awards_in_its_block()
    {
        // Two ±2,000 kW batteries with energy to spare, based at +2,000 kW: a band of at most ±2,000 kW fits around the
        // base, though a future block's flexibility (from the batteries' idle point) is 4,000 kW each way.
        var fleetId = VppClusterFixture.NewId("fcrcap");
        for (var i = 0; i < 2; i++)
        {
            var asset = _grains.GetGrain<IAssetGrain>(VppClusterFixture.NewId("big"));
            await asset.ConfigureAsync(TestSpecs.LosslessBattery(fleetId, maxKw: 2000, capacityKwh: 16000));
            await asset.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: 50));
        }

        var fleet = _grains.GetGrain<IFleetGrain>(fleetId);
        var market = _grains.GetGrain<IFleetQueryGrain>(fleetId);
        await fixture.FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 2 && v.Capacity.MaxKw >= 4000, "both batteries online");
        await fleet.DispatchAsync(new DispatchRequest(2000));

        var first = Assert.Single((await market.GetBidsAsync("fcr", NextHour, NextHour.AddMinutes(15))).Bids);
        var second = Assert.Single((await market.GetBidsAsync("fcr", first.End, first.End.AddMinutes(15))).Bids);
        var services = _grains.GetGrain<Abstractions.GridServices.IFleetGridServicesGrain>(fleetId);
        await services.SetFcrContractAsync(new Abstractions.GridServices.FcrAwardInput(1000, From: second.Start, To: second.End));
        try
        {
            var bids = (await market.GetBidsAsync("fcr", first.Start, second.End)).Bids;

            Assert.Equal([first.Start, second.Start], bids.Select(b => b.Start));
            Assert.Equal([2000d, 1000d], bids.Select(b => Math.Round(b.PooledKw, 6)));
            Assert.Equal([2000d, 1000d], bids.Select(b => b.QuantityKw));
        }
        finally
        {
            await services.EndFcrContractsAsync();
        }
    }

    [Fact]
    public async Task Bad_queries_are_refused_naming_the_field()
    {
        var fleetId = VppClusterFixture.NewId("badq");
        await AddSmallBatteriesAsync(fleetId, 1);
        var market = _grains.GetGrain<IFleetQueryGrain>(fleetId);
        var from = NextHour;

        Assert.Equal("product", Field(await Assert.ThrowsAsync<InvalidInputException>(() => market.GetBidsAsync("mfrr", from, from.AddHours(1)))));
        Assert.Equal("from", Field(await Assert.ThrowsAsync<InvalidInputException>(() => market.GetBidsAsync("fcr", null, from))));
        Assert.Equal("to", Field(await Assert.ThrowsAsync<InvalidInputException>(() => market.GetFlexibilityAsync(from, from, TimeSpan.FromMinutes(15)))));
        Assert.Equal("to", Field(await Assert.ThrowsAsync<InvalidInputException>(() => market.GetFlexibilityAsync(from, from.AddDays(8), TimeSpan.FromMinutes(15)))));
        Assert.Equal("durationMinutes", Field(await Assert.ThrowsAsync<InvalidInputException>(() => market.GetFlexibilityAsync(from, from.AddHours(1), TimeSpan.FromMinutes(5)))));
        await Assert.ThrowsAsync<NotFoundException>(() => _grains.GetGrain<IFleetQueryGrain>(VppClusterFixture.NewId("none")).GetBidsAsync("fcr", from, from.AddHours(1)));
    }

    [Fact]
    public async Task Flexibility_and_bids_ask_the_partitions_from_the_query_grain_and_take_only_a_snapshot_from_the_fleet()
    {
        var fleetId = VppClusterFixture.NewId("beside");
        using var calls = await WatchedFleetAsync(fleetId);
        var market = _grains.GetGrain<IFleetQueryGrain>(fleetId);
        await market.GetFlexibilityAsync(NextHour, NextHour.AddHours(1), QuarterHour.Length);
        await market.GetBidsAsync("fcr", NextHour, NextHour.AddMinutes(15));

        // Each partition pooled its members for both queries, asked by the query grain: the fleet's activation
        // never waited on a partition for them, it answered one snapshot per query from memory.
        calls.AssertAskedFromTheQueryGrainOnly(nameof(IFleetPartitionGrain.PoolFlexibilityAsync), times: 2);
    }

    [Fact]
    public async Task Optimisation_input_asks_the_partitions_from_the_query_grain_and_takes_only_a_snapshot_from_the_fleet()
    {
        var fleetId = VppClusterFixture.NewId("planned");
        using var calls = await WatchedFleetAsync(fleetId);

        // The VPP's own pv forecast folds the fleet's groups: the same input the optimiser plans on.
        await _grains.GetGrain<IFleetForecastGrain>(fleetId).GetAsync("pv");

        // Each partition folded its members, asked by the query grain: the fleet's activation never waited on a
        // partition for it, it answered one snapshot from memory.
        calls.AssertAskedFromTheQueryGrainOnly(nameof(IFleetPartitionGrain.GetOptimisationGroupsAsync), times: 1);
    }

    /// <summary>A fleet of 8 small batteries whose fleet and partition grains record who calls them.</summary>
    private async Task<WatchedCalls> WatchedFleetAsync(string fleetId)
    {
        await AddSmallBatteriesAsync(fleetId, 8);
        var partitionKeys = await _grains.GetGrain<IFleetPartitionListGrain>(fleetId).GetPartitionKeysAsync();
        Assert.NotEmpty(partitionKeys);
        return new WatchedCalls([.. partitionKeys.Select(CallFaults.Watch)], CallFaults.Watch(fleetId));
    }

    private sealed class WatchedCalls(CallFaults.CallCounter[] partitions, CallFaults.CallCounter fleet) : IDisposable
    {
        /// <summary>Every partition was asked <paramref name="method"/> by the query grain only, and the fleet answered it one snapshot per question.</summary>
        public void AssertAskedFromTheQueryGrainOnly(string method, int times)
        {
            Assert.All(partitions, p => Assert.Equal(
                Enumerable.Repeat($"fleetpartition.{method} from fleetquery", times),
                p.Methods.Where(m => m.Contains(method, StringComparison.Ordinal))));
            Assert.Equal(
                Enumerable.Repeat("fleet.GetMarketSnapshotAsync from fleetquery", times),
                fleet.Methods.Where(m => m.StartsWith("fleet.", StringComparison.Ordinal) && m.EndsWith("from fleetquery", StringComparison.Ordinal)));
        }

        public void Dispose()
        {
            foreach (var counter in partitions.Append(fleet))
            {
                counter.Dispose();
            }
        }
    }

    private static string Field(InvalidInputException refused) => Assert.Single(refused.Problems).Field;
}
