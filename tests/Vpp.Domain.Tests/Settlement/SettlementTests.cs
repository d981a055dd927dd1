using Vpp.Domain.Schedules;
using Vpp.Domain.Settlement;

namespace Vpp.Domain.Tests.Settlement;

/// <summary>
/// A hand-computed case: the fleet is scheduled at 100 kW for two slots; assets A and B are each set to 50 kW and
/// report every 5 s. In the second slot A drops to 0 kW at 00:20:00 and the fleet re-dispatches B to 100 kW.
/// </summary>
public sealed class SettlementTests
{
    private static readonly DateTimeOffset T = new(2026, 10, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset DropAt = T.AddMinutes(20);
    private static readonly SlotRange TwoSlots = new(T, T.AddMinutes(30));

    private static StepProfile FleetRequest => StepProfile.Of([(T, 100.0), (T.AddMinutes(30), 0.0)]);

    private static IReadOnlyList<(DateTimeOffset At, double Kw)> Every5Seconds(Func<DateTimeOffset, double> kwAt, DateTimeOffset until) =>
        Enumerable.Range(0, (int)((until - T).TotalSeconds / 5) + 1).Select(i => T.AddSeconds(5 * i)).Select(t => (t, kwAt(t))).ToList();

    private static MeteredAsset A(DateTimeOffset? silentFrom = null) => new(
        "asset-a",
        StepProfile.Of([(T, 50.0)]),
        Every5Seconds(t => t < DropAt ? 50 : 0, silentFrom ?? T.AddMinutes(30)));

    private static MeteredAsset B => new(
        "asset-b",
        StepProfile.Of([(T, 50.0), (DropAt, 100.0)]),
        Every5Seconds(t => t < DropAt ? 50 : 100, T.AddMinutes(30)));

    /// <summary>One asset's setpoints and telemetry, as its partition sees them.</summary>
    private sealed record MeteredAsset(string AssetId, StepProfile RequestedKw, IReadOnlyList<(DateTimeOffset At, double Kw)> Samples);

    /// <summary>
    /// The path settlement takes in the silo: each measurement goes through the asset's <see cref="SlotMeter"/> with
    /// the setpoint in force from then on, and each slot is settled from the meters' readings.
    /// </summary>
    private static List<SlotSettlement> Settle(SlotRange range, StepProfile fleetRequestedKw, IReadOnlyList<MeteredAsset> assets)
    {
        var meters = assets.Select(a =>
        {
            var meter = new SlotMeter(TimeSpan.FromSeconds(15));
            foreach (var (at, kw) in a.Samples)
            {
                meter.Record(at, kw, a.RequestedKw.KwAt(at));
            }

            return (a.AssetId, Meter: meter);
        }).ToList();
        return range.Starts.Select(start => SettlementCalculator.SettleSlot(
                start,
                fleetRequestedKw.EnergyKwh(start, start + QuarterHour.Length),
                meters.Where(m => m.Meter.Slots.ContainsKey(start)).Select(m => new AssetSlotReading(m.AssetId, m.Meter.Slots[start])).ToList()))
            .ToList();
    }

    [Fact]
    public void A_slot_delivered_as_requested_has_no_deviation_and_equal_shares()
    {
        var slot = Settle(TwoSlots, FleetRequest, [A(), B])[0];

        Assert.Equal(25, slot.RequestedKwh, 9);
        Assert.Equal(25, slot.DeliveredKwh, 9);
        Assert.Equal(0, slot.DeviationKwh!.Value, 9);
        Assert.Equal(0, slot.DeviationPercent!.Value, 9);
        Assert.All(slot.Assets, a => Assert.Equal(50, a.SharePercent!.Value, 9));
        Assert.Empty(slot.Compensations);
    }

    [Fact]
    public void When_an_asset_drops_out_the_one_that_picked_up_is_named_with_the_energy()
    {
        var slot = Settle(TwoSlots, FleetRequest, [A(), B])[1];

        // A: 50 kW for 295 s, a 5 s ramp to 0 (125 kW·s), then 0: 14875 kW·s.
        // B: 50 kW for 295 s, a 5 s ramp to 100 (375 kW·s), then 100 kW for 600 s: 75125 kW·s.
        var (a, b) = (slot.Assets[0], slot.Assets[1]);
        Assert.Equal(14875.0 / 3600, a.DeliveredKwh, 9);
        Assert.Equal(75125.0 / 3600, b.DeliveredKwh, 9);
        Assert.Equal(25, slot.DeliveredKwh, 9);
        Assert.Equal(0, slot.DeviationKwh!.Value, 9);

        // Against their own setpoints: A fell 8.37 kWh short, B only lagged its new setpoint by the ramp.
        Assert.Equal((14875.0 / 3600) - 12.5, a.DeviationKwh!.Value, 9);
        Assert.Equal(125.0 / 3600, b.DeviationKwh!.Value, 9);

        // Against the plan at the slot start (12.5 kWh each), B made up exactly what A missed.
        var compensation = Assert.Single(slot.Compensations);
        Assert.Equal(("asset-b", "asset-a"), (compensation.CompensatingAssetId, compensation.ForAssetId));
        Assert.Equal(12.5 - (14875.0 / 3600), compensation.Kwh, 9);
        Assert.Equal(100 * 75125.0 / 90000, b.SharePercent!.Value, 9);
    }

    [Fact]
    public void Mixed_sign_setpoints_show_no_compensation_when_the_fleet_request_changes_within_the_slot()
    {
        // Solar +1000 kW and a battery −900 kW for 100 kW; halfway through the slot the fleet is asked for 300 kW and
        // the battery moves to −700 kW. Both deliver exactly what they are asked: nobody compensated for anybody.
        var solar = new AssetSlotReading("solar", new SlotReading(250, QuarterHour.Length, 250, 1000));
        var battery = new AssetSlotReading("battery", new SlotReading(-200, QuarterHour.Length, -200, -900));

        var slot = SettlementCalculator.SettleSlot(T, 50, [solar, battery]);

        Assert.Equal(0, slot.DeviationKwh!.Value, 9);
        Assert.Equal(250, slot.Assets[0].PlannedKwh, 9);
        Assert.Equal(-225, slot.Assets[1].PlannedKwh, 9);
        Assert.Empty(slot.Compensations);
    }

    [Fact]
    public void In_a_large_fleet_the_compensations_name_the_largest_twenty_on_each_side()
    {
        // 200 assets planned at 1 kWh each: 100 fell short by 1..100 Wh, 100 made up 1..100 Wh.
        var readings = Enumerable.Range(1, 100).SelectMany(i => new[]
        {
            new AssetSlotReading($"short-{i:000}", new SlotReading(1 - (i / 1000.0), QuarterHour.Length, 1, 4)),
            new AssetSlotReading($"extra-{i:000}", new SlotReading(1 + (i / 1000.0), QuarterHour.Length, 1, 4)),
        }).ToList();

        var slot = SettlementCalculator.SettleSlot(T, 200, readings);

        // 20 × 20 pairs, not 100 × 100: the pairs grow as the product of the two sides.
        Assert.Equal(SettlementCalculator.MaxCompensationParties * SettlementCalculator.MaxCompensationParties, slot.Compensations.Count);
        Assert.All(slot.Compensations, c => Assert.True(string.CompareOrdinal(c.CompensatingAssetId, "extra-081") >= 0 && string.CompareOrdinal(c.ForAssetId, "short-081") >= 0, c.ToString()));

        // Each named pair keeps its pro-rata share of all that was matched (5.05 kWh each way).
        var largest = Assert.Single(slot.Compensations, c => c is { CompensatingAssetId: "extra-100", ForAssetId: "short-100" });
        Assert.Equal(5.05 * (0.1 / 5.05) * (0.1 / 5.05), largest.Kwh, 9);
    }

    [Fact]
    public void A_telemetry_gap_makes_the_slot_incomplete_instead_of_counting_zero()
    {
        var slots = Settle(TwoSlots, FleetRequest, [A(silentFrom: DropAt), B]);

        Assert.True(slots[0].IsComplete);
        var slot = slots[1];
        Assert.False(slot.IsComplete);
        Assert.Null(slot.DeviationKwh);
        Assert.Null(slot.DeviationPercent);
        Assert.Equal(["asset-a"], slot.AssetsWithGaps);
        Assert.Equal(TimeSpan.FromMinutes(10), slot.Assets[0].UnknownTime);
        Assert.Equal(100.0 / 3, slot.Assets[0].CoveragePercent, 9);
        Assert.Null(slot.Assets[0].DeviationKwh);
        Assert.Empty(slot.Compensations); // a silent asset proves nothing either way
    }

    [Fact]
    public void A_shortfall_shows_as_negative_deviation_in_kwh_and_percent()
    {
        var slot = Settle(new SlotRange(T.AddMinutes(15), T.AddMinutes(30)), FleetRequest,
            [A(), new MeteredAsset("asset-b", StepProfile.Of([(T, 50.0)]), Every5Seconds(_ => 50, T.AddMinutes(30)))])[0];

        Assert.Equal(14875.0 / 3600 + 12.5 - 25, slot.DeviationKwh!.Value, 9);
        Assert.Equal(100 * slot.DeviationKwh.Value / 25, slot.DeviationPercent!.Value, 9);
    }

    [Fact]
    public void The_csv_has_a_fleet_row_and_asset_rows_per_slot_with_empty_cells_for_unknowns()
    {
        var csv = SettlementCsv.ToCsv(Settle(TwoSlots, FleetRequest, [A(silentFrom: T.AddMinutes(25)), B]));
        var lines = csv.TrimEnd('\n').Split('\n');

        Assert.Equal(SettlementCsv.Header, lines[0]);
        Assert.Equal(7, lines.Length);
        Assert.Equal("2026-10-25T00:00:00Z,2026-10-25T00:15:00Z,,25,25,0,0,100,100,true,", lines[1]);
        Assert.StartsWith("2026-10-25T00:15:00Z,2026-10-25T00:30:00Z,,25,", lines[4]);
        Assert.EndsWith(",,,66.666667,100,false,", lines[4]);
        // A's meter counts requested energy while A reports: 50 kW for the 10 min up to its last measurement.
        Assert.Equal("2026-10-25T00:15:00Z,2026-10-25T00:30:00Z,asset-a,8.333333,4.131944,,,66.666667,16.527778,false,", lines[5]);
        Assert.EndsWith(",asset-b,20.833333,20.868056,0.034722,,100,83.472222,true,", lines[6]);
    }

    [Fact]
    public void Csv_cells_that_a_spreadsheet_would_run_as_formulas_or_split_are_defused()
    {
        var reading = new SlotReading(0, QuarterHour.Length, 0, 0);
        var lines = SettlementCsv.ToCsv([SettlementCalculator.SettleSlot(T, 0, [new("-2+3", reading), new("a,\"b\"", reading)])]).Split('\n');

        Assert.Contains(",'-2+3,", lines[2]);
        Assert.Contains(",\"a,\"\"b\"\"\",", lines[3]);
    }
}
