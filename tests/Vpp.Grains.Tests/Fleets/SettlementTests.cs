using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Schedules;

namespace Vpp.Grains.Tests.Fleets;

/// <summary>Settlement of a real fleet against a case computed by hand: requested, delivered, shares, compensation, gaps.</summary>
[Collection(VppClusterCollection.Name)]
public sealed class SettlementTests(VppClusterFixture fixture)
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    private readonly IGrainFactory _grains = fixture.Grains;

    private async Task<string> AddBatteryAsync(string fleetId, string prefix)
    {
        var assetId = VppClusterFixture.NewId(prefix);
        await _grains.GetGrain<IAssetGrain>(assetId).ConfigureAsync(TestSpecs.LosslessBattery(fleetId, maxKw: 100, capacityKwh: 10_000));
        return assetId;
    }

    private Task MeasureAsync(string assetId, double kw) => fixture.MeasureAsync(assetId, kw);

    /// <summary>Every 10 s until <paramref name="until"/> (inclusive), advancing the clock: each asset reports its given power.</summary>
    private Task ReportUntilAsync(DateTimeOffset until, params (string AssetId, double Kw)[] reports) => fixture.ReportUntilAsync(until, Every, reports);

    [Fact]
    public async Task A_closed_quarter_hours_deviation_is_recorded_as_a_metric_for_the_fleet()
    {
        var fleetId = VppClusterFixture.NewId("settlemetric");
        var deviations = new System.Collections.Concurrent.ConcurrentQueue<double>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Diagnostics.VppMetrics.MeterName && instrument.Name == "vpp.settlement.deviation")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, kwh, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "fleet" && Equals(tag.Value, fleetId))
                {
                    deviations.Enqueue(kwh);
                }
            }
        });
        listener.Start();

        // Asked for 100 kW from a minute before slot S, the battery delivers 80 kW: 20 kWh of 25 kWh in slot S.
        var a = await AddBatteryAsync(fleetId, "a");
        var fleet = _grains.GetGrain<IFleetGrain>(fleetId);
        var s = QuarterHour.Floor(fixture.Clock.GetUtcNow()) + TimeSpan.FromMinutes(30);
        fixture.Clock.Advance(s - TimeSpan.FromMinutes(1) - fixture.Clock.GetUtcNow());
        await MeasureAsync(a, 0);
        await Eventually.Until(() => fleet.GetAsync(), v => v?.Counts.OnlineCount == 1, "online");
        await fleet.DispatchAsync(new DispatchRequest(100));
        await ReportUntilAsync(s + TimeSpan.FromMinutes(15), (a, 80));

        // The first measurement of the next slot (at S + 15:00) closes slot S.
        await Eventually.Until(
            () => Task.FromResult(deviations.ToArray()),
            d => d.Length > 0 && Math.Abs(d[^1] - -5) < 1e-6,
            "slot S's deviation of −5 kWh recorded",
            describe: d => string.Join(", ", d));
    }

    [Fact]
    public async Task Settlement_matches_a_hand_computed_case_with_a_drop_out_and_a_telemetry_gap()
    {
        var fleetId = VppClusterFixture.NewId("settle");
        var a = await AddBatteryAsync(fleetId, "a");
        var b = await AddBatteryAsync(fleetId, "b");
        var fleet = _grains.GetGrain<IFleetGrain>(fleetId);

        // One minute before slot S both come online and the fleet is asked for 100 kW: 50 kW each.
        var s = QuarterHour.Floor(fixture.Clock.GetUtcNow()) + TimeSpan.FromMinutes(30);
        fixture.Clock.Advance(s - TimeSpan.FromMinutes(1) - fixture.Clock.GetUtcNow());
        await MeasureAsync(a, 0);
        await MeasureAsync(b, 0);
        await Eventually.Until(() => fleet.GetAsync(), v => v?.Counts.OnlineCount == 2, "both online");
        var dispatch = await fleet.DispatchAsync(new DispatchRequest(100));
        Assert.All(dispatch.Setpoints, sp => Assert.Equal(50, sp.SetpointKw, 6));

        // Both deliver 50 kW until S + 4:50. At S + 5:00 B goes into maintenance; A picks up its share and delivers
        // 100 kW, B 0 kW, until S + 20:00, when B falls silent. A keeps delivering until S + 30:00.
        await ReportUntilAsync(s + TimeSpan.FromSeconds(290), (a, 50), (b, 50));
        fixture.Clock.Advance(Every);
        await _grains.GetGrain<IAssetGrain>(b).ReportStatusAsync(AssetStatus.Maintenance, "service");
        await Eventually.Until(
            async () => (await _grains.GetGrain<IAssetGrain>(a).GetAsync())!.Live.SetpointKw,
            kw => kw == 100,
            "A to pick up B's share");
        await MeasureAsync(a, 100);
        await MeasureAsync(b, 0);
        await ReportUntilAsync(s + TimeSpan.FromMinutes(20), (a, 100), (b, 0));
        await ReportUntilAsync(s + TimeSpan.FromMinutes(30), (a, 100));

        // Settled beside the fleet, never in its turn: the fleet grain hears nothing of it (only its own timers and its
        // partitions' reports run meanwhile).
        var fleetCalls = Fleets.CallFaults.Watch(fleetId);
        var settlement = await _grains.GetGrain<ISettlementQueryGrain>(fleetId).GetSettlementAsync(s, s + TimeSpan.FromMinutes(30));

        Assert.Equal(2, settlement.Slots.Length);
        var first = settlement.Slots[0];
        Assert.Equal(s, first.Start);

        // Slot 1. Requested: 100 kW × 0.25 h = 25 kWh.
        // A: 50 kW for 290 s, a 10 s ramp 50 → 100 kW (75 kW mean), 100 kW for 600 s = 75,250 kWs = 20.902778 kWh.
        // B: 50 kW for 290 s, a 10 s ramp 50 → 0 kW (25 kW mean), 0 for 600 s = 14,750 kWs = 4.097222 kWh.
        Assert.Equal(25, first.RequestedKwh, 6);
        Assert.Equal(25, first.DeliveredKwh, 6);
        Assert.True(first.Complete);
        Assert.Equal(0, first.DeviationKwh!.Value, 6);
        Assert.Equal(0, first.DeviationPercent!.Value, 6);
        var (slotA, slotB) = (first.Assets.Single(x => x.AssetId == a), first.Assets.Single(x => x.AssetId == b));
        Assert.Equal(75_250.0 / 3600, slotA.DeliveredKwh, 6);
        Assert.Equal(14_750.0 / 3600, slotB.DeliveredKwh, 6);
        Assert.Equal(100 * 75_250.0 / 90_000, slotA.SharePercent!.Value, 6);
        Assert.Equal(100, slotA.CoveragePercent, 6);

        // Planned shares come from the setpoints at the slot start (50/50): 12.5 kWh each. B fell short by
        // 12.5 - 4.097222 = 8.402778 kWh, and A made exactly that up: A compensated for B.
        Assert.Equal(12.5, slotA.PlannedKwh, 6);
        Assert.Equal(12.5, slotB.PlannedKwh, 6);
        var compensation = Assert.Single(first.Compensations);
        Assert.Equal(a, compensation.CompensatingAssetId);
        Assert.Equal(b, compensation.ForAssetId);
        Assert.Equal(30_250.0 / 3600, compensation.Kwh, 6);

        // Slot 2. B reported for 5 of its 15 minutes: its energy for the rest is unknown, so the slot's deviation
        // is unknown too (not zero), and B is named as the gap. What the meters prove is still reported.
        var second = settlement.Slots[1];
        Assert.Equal(25, second.RequestedKwh, 6);
        Assert.False(second.Complete);
        Assert.Null(second.DeviationKwh);
        Assert.Null(second.DeviationPercent);
        Assert.Equal([b], second.AssetsWithGaps);
        var gapB = second.Assets.Single(x => x.AssetId == b);
        Assert.Equal(100.0 / 3, gapB.CoveragePercent, 6);
        Assert.Equal(TimeSpan.FromMinutes(10), gapB.UnknownTime);
        Assert.Null(gapB.DeviationKwh);
        Assert.Equal(25, second.Assets.Single(x => x.AssetId == a).DeliveredKwh, 6);
        Assert.Equal((2, 0), (first.AssetCount, first.AssetsWithGapsCount));
        Assert.Equal((2, 1), (second.AssetCount, second.AssetsWithGapsCount));

        // The fleet totals (summed in the partitions, for fleets too large to list) agree with the full settlement.
        var totals = await _grains.GetGrain<ISettlementQueryGrain>(fleetId).GetSettlementTotalsAsync(s, s + TimeSpan.FromMinutes(30));
        fleetCalls.Dispose();
        Assert.Contains(fleetCalls.Methods, call => call.StartsWith("settlementquery.", StringComparison.Ordinal));
        Assert.DoesNotContain(fleetCalls.Methods, call => call.StartsWith("fleet.", StringComparison.Ordinal)
            && !call.EndsWith(" from fleetpartition", StringComparison.Ordinal) // its partitions' own reports
            && !call.EndsWith(" from fleet", StringComparison.Ordinal)); // its own timers
        Assert.Equal(2, totals.Slots.Length);
        foreach (var (full, total) in settlement.Slots.Zip(totals.Slots))
        {
            Assert.Equal((full.Start, full.End, full.Complete, full.AssetCount, full.AssetsWithGapsCount), (total.Start, total.End, total.Complete, total.AssetCount, total.AssetsWithGapsCount));
            Assert.Equal(full.RequestedKwh, total.RequestedKwh, 9);
            Assert.Equal(full.DeliveredKwh, total.DeliveredKwh, 9);
            Assert.Equal(full.DeviationKwh, total.DeviationKwh);
            Assert.Equal(full.DeviationPercent, total.DeviationPercent);
            Assert.Equal(full.AssetsWithGaps, total.AssetsWithGaps);
            Assert.Empty(total.Assets);
            Assert.Empty(total.Compensations);
        }

        // The meters are stored: after every idle grain was deactivated (partitions store their meters on the way
        // out and read them back when activated again), the settlement is the same.
        await _grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var again = await _grains.GetGrain<ISettlementQueryGrain>(fleetId).GetSettlementAsync(s, s + TimeSpan.FromMinutes(30));
        Assert.Equal(first.DeliveredKwh, again.Slots[0].DeliveredKwh, 9);
        Assert.Equal(first.Compensations.Single().Kwh, again.Slots[0].Compensations.Single().Kwh, 9);
        Assert.Equal([b], again.Slots[1].AssetsWithGaps);
    }

    [Fact]
    public async Task A_fleet_registered_just_after_a_quarter_hour_began_meters_measurements_taken_before_it()
    {
        // The clock stands 5 s into a quarter hour when the fleet's first asset registers (its partition activates);
        // the asset's first measurements were taken 30, 20 and 10 s earlier, in the previous quarter hour.
        var slot = QuarterHour.Floor(fixture.Clock.GetUtcNow()) + TimeSpan.FromMinutes(15);
        fixture.Clock.Advance(slot + TimeSpan.FromSeconds(5) - fixture.Clock.GetUtcNow());
        var fleetId = VppClusterFixture.NewId("late-start");
        var asset = _grains.GetGrain<IAssetGrain>(await AddBatteryAsync(fleetId, "a"));
        foreach (var secondsBefore in new[] { 30, 20, 10 })
        {
            await asset.ReportTelemetryAsync(new Telemetry(slot - TimeSpan.FromSeconds(secondsBefore), 36, StateOfChargePercent: 50));
        }

        // 2 × 10 s × 36 kW = 720 kWs = 0.2 kWh, in the quarter hour before the fleet existed.
        var settlement = await Eventually.Until(
            () => _grains.GetGrain<ISettlementQueryGrain>(fleetId).GetSettlementAsync(slot - QuarterHour.Length, slot + QuarterHour.Length),
            r => r.Slots.Sum(x => x.DeliveredKwh) > 0,
            "the measurements to be metered");
        Assert.Equal(0.2, settlement.Slots[0].DeliveredKwh, 6);
        Assert.Equal(0, settlement.Slots[1].DeliveredKwh, 6);
    }

    [Fact]
    public async Task Settlement_refuses_a_bad_range_and_an_unknown_fleet()
    {
        var fleetId = VppClusterFixture.NewId("srange");
        await AddBatteryAsync(fleetId, "r");
        var now = fixture.Clock.GetUtcNow();

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => _grains.GetGrain<ISettlementQueryGrain>(fleetId).GetSettlementAsync(now, now.AddHours(-1)));
        Assert.Equal("to", Assert.Single(refused.Problems).Field);
        refused = await Assert.ThrowsAsync<InvalidInputException>(() => _grains.GetGrain<ISettlementQueryGrain>(fleetId).GetSettlementAsync(null, now));
        Assert.Equal("from", Assert.Single(refused.Problems).Field);
        await Assert.ThrowsAsync<NotFoundException>(() => _grains.GetGrain<ISettlementQueryGrain>(VppClusterFixture.NewId("nof")).GetSettlementAsync(now, now.AddHours(1)));

        // Every asset is listed in every slot: an answer beyond Vpp:Market:MaxSettlementAssetSlots (500 in these tests)
        // is refused before anything is gathered, saying how much may be asked.
        var start = Domain.Schedules.QuarterHour.Floor(now);
        Assert.Equal(500, (await _grains.GetGrain<ISettlementQueryGrain>(fleetId).GetSettlementAsync(start, start.AddMinutes(15 * 500))).Slots.Length);
        var tooMany = await Assert.ThrowsAsync<InvalidInputException>(() => _grains.GetGrain<ISettlementQueryGrain>(fleetId).GetSettlementAsync(start, start.AddMinutes(15 * 501)));
        var problem = Assert.Single(tooMany.Problems);
        Assert.Equal("to", problem.Field);
        Assert.Contains("1 assets × 501 quarter hours exceed 500 asset rows", problem.Message);
        Assert.Contains("at most 500 quarter hours", problem.Message);

        // The totals have no per-asset rows: the same range is answered.
        Assert.Equal(501, (await _grains.GetGrain<ISettlementQueryGrain>(fleetId).GetSettlementTotalsAsync(start, start.AddMinutes(15 * 501))).Slots.Length);
    }
}
