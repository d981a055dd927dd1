using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.GridServices;
using Vpp.Abstractions.Optimisation;
using Vpp.Abstractions.Schedules;
using Vpp.Abstractions.VirtualBatteries;
using Vpp.Domain.Assets;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Schedules;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Tests.Optimisation;

/// <summary>The optimiser worker on a small real fleet: partitions fold their members, the worker solves.</summary>
[Collection(VppClusterCollection.Name)]
public sealed class ScheduleOptimiserGrainTests(VppClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private IScheduleOptimiserGrain Optimiser => _grains.GetGrain<IScheduleOptimiserGrain>(0);

    private DateTimeOffset NextHour => QuarterHour.Floor(fixture.Clock.GetUtcNow()).AddHours(1);

    /// <summary>Lossless 50 kW / 200 kWh batteries at 50 % SoC, usable 0–100 %: 100 kWh each way each.</summary>
    private async Task<string[]> AddBatteriesAsync(string fleetId, int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => VppClusterFixture.NewId("opt")).ToArray();
        await Task.WhenAll(ids.Select(async assetId =>
        {
            var asset = _grains.GetGrain<IAssetGrain>(assetId);
            await asset.ConfigureAsync(TestSpecs.LosslessBattery(fleetId, maxKw: 50, capacityKwh: 200));
            await asset.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: 50));
        }));
        await fixture.FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == count, $"{count} batteries online");
        return ids;
    }

    /// <summary>100 kW CHP units (min stable 100 kW, 50 EUR/MWh), online and off.</summary>
    private async Task<string[]> AddChpUnitsAsync(string fleetId, int count, double minUpSeconds, double? startUpCostEur = null)
    {
        var ids = Enumerable.Range(0, count).Select(_ => VppClusterFixture.NewId("optchp")).ToArray();
        await Task.WhenAll(ids.Select(async assetId =>
        {
            var asset = _grains.GetGrain<IAssetGrain>(assetId);
            await asset.ConfigureAsync(new AssetSpec
            {
                FleetId = fleetId, Kind = AssetKind.Chp, MinPowerKw = 0, MaxPowerKw = 100, MinStablePowerKw = 100,
                MarginalCostEurPerMwh = 50, MinUpTimeSeconds = minUpSeconds, StartUpCostEur = startUpCostEur,
            });
            await asset.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0));
        }));
        await fixture.FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == count, $"{count} CHP units online");
        return ids;
    }

    private static OptimiseRequest Request(DateTimeOffset from, double[] prices, double? endSocPercent = null) => new(
        from, from + (QuarterHour.Length * prices.Length), [.. prices.Select((p, i) => new PricePoint(from + (QuarterHour.Length * i), p))],
        EndSocPercent: endSocPercent);

    [Fact]
    public async Task Identical_batteries_are_one_group_that_buys_cheap_and_sells_dear()
    {
        var fleetId = VppClusterFixture.NewId("optfleet");
        await AddBatteriesAsync(fleetId, 4);

        var proposal = await Optimiser.OptimiseAsync(fleetId, Request(NextHour, [10, 10, 100, 100]));

        // 4 × 50 kW: 200 kW in for half an hour (100 kWh at 10 EUR/MWh), out at 100 EUR/MWh: 10 − 1 = 9 EUR.
        var group = Assert.Single(proposal.Groups);
        Assert.Equal(4, group.AssetCount);
        Assert.Equal("battery", group.Kind);
        Assert.Equal([-200, -200, 200, 200], proposal.Slots.Select(s => Math.Round(s.TargetKw, 3)));
        Assert.Equal(9, proposal.ProfitEur, 6);
        Assert.Equal(9, proposal.GreedyProfitEur!.Value, 6);
        Assert.Equal(50, group.EndSocPercent!.Value, 6);
        Assert.True(proposal.Optimal);
        Assert.Equal(NextHour.AddHours(1), proposal.To);
    }

    [Fact]
    public async Task The_fleets_sold_afrr_capacity_is_held_free_in_the_proposal()
    {
        var fleetId = VppClusterFixture.NewId("optafrr");
        await AddBatteriesAsync(fleetId, 4);
        await _grains.GetGrain<IFleetGridServicesInternal>(fleetId).SetAfrrCapacityAsync(new AfrrCapacity(UpKw: 60, DownKw: 40));

        var proposal = await Optimiser.OptimiseAsync(fleetId, Request(NextHour, [10, 20, 100, 100]));

        // 200 kW of batteries: 40 kW stay free below (charge at most 160 kW), 60 kW above (sell at most 140 kW).
        // Lossless: the 70 kWh sold are bought back, 40 kWh in the cheapest slot, the other 30 kWh in the next.
        Assert.Equal([-160, -120, 140, 140], proposal.Slots.Select(s => Math.Round(s.TargetKw, 3)));
        Assert.Contains("fleet.reserveUp", proposal.Slots[2].Binding);
    }

    [Fact]
    public async Task A_planned_unavailability_takes_its_battery_out_of_the_slots_it_covers()
    {
        var fleetId = VppClusterFixture.NewId("optout");
        var ids = await AddBatteriesAsync(fleetId, 4);
        var from = NextHour;
        await _grains.GetGrain<IAssetAvailabilityGrain>(ids[0]).AddUnavailabilityAsync(
            new UnavailabilityRequest(from.AddMinutes(30), from.AddMinutes(60), "planned", "inverter service"));

        var proposal = await Optimiser.OptimiseAsync(fleetId, Request(from, [10, 10, 100, 100]));

        // Three of four batteries can sell in the dear slots: 150 kW; what is bought stays what is sold (end SoC).
        Assert.Equal([150, 150], proposal.Slots.Skip(2).Select(s => Math.Round(s.TargetKw, 3)));
        Assert.Equal(-300, proposal.Slots.Take(2).Sum(s => s.TargetKw), 3);
    }

    [Fact]
    public async Task An_end_soc_the_batteries_cannot_reach_is_refused_naming_the_constraint_and_the_last_slot()
    {
        var fleetId = VppClusterFixture.NewId("optfull");
        await AddBatteriesAsync(fleetId, 2);
        var from = NextHour;

        // 2 × 50 kW for an hour add 100 kWh; reaching 100 % from 50 % needs 200 kWh: 0.1 MWh short.
        var error = await Assert.ThrowsAsync<InfeasibleScheduleException>(() => Optimiser.OptimiseAsync(fleetId, Request(from, [10, 10, 10, 10], endSocPercent: 100)));

        Assert.Equal("endSoc", error.Constraint);
        Assert.Equal(from.AddMinutes(45), error.SlotStart);
        Assert.StartsWith("SoC end condition cannot be met: 0.1 MWh short at", error.Message);
    }

    [Fact]
    public async Task Batteries_near_their_min_soc_are_planned_within_the_derating_their_assets_apply()
    {
        // Two lossless 10 kW / 200 kWh batteries at 3 % (6 kWh), derated over the silo's 5 % (10 kWh) as their
        // operating envelope derates them: 10 × 6/10 = 6 kW each in the first quarter hour (1.5 kWh), 10 × 4.5/10 =
        // 4.5 kW in the second, although the energy alone would let them sell 24 kW each.
        var fleetId = VppClusterFixture.NewId("optderate");
        await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            var asset = _grains.GetGrain<IAssetGrain>(VppClusterFixture.NewId("optderate"));
            await asset.ConfigureAsync(TestSpecs.LosslessBattery(fleetId, maxKw: 10, capacityKwh: 200));
            await asset.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: 3));
        }));
        await fixture.FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 2, "2 batteries online");

        var proposal = await Optimiser.OptimiseAsync(fleetId, Request(NextHour, [100, 100], endSocPercent: 0));

        Assert.Equal([12, 9], proposal.Slots.Select(s => Math.Round(s.TargetKw, 3)));
        Assert.All(proposal.Slots, s => Assert.Contains(s.Binding, b => b.EndsWith(".derated", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Prices_that_miss_a_slot_are_refused_naming_the_field()
    {
        var fleetId = VppClusterFixture.NewId("optgap");
        await AddBatteriesAsync(fleetId, 1);
        var from = NextHour;
        var request = Request(from, [10, 10, 100, 100]) with { To = from.AddMinutes(75) };

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => Optimiser.OptimiseAsync(fleetId, request));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("prices", problem.Field);
        Assert.Contains("1 missing", problem.Message);
    }

    [Fact]
    public async Task A_later_day_starts_at_the_soc_the_stored_schedule_leaves_the_batteries_at()
    {
        var fleetId = VppClusterFixture.NewId("optproj");
        await AddBatteriesAsync(fleetId, 4);
        var current = QuarterHour.Floor(fixture.Clock.GetUtcNow());
        await _grains.GetGrain<IFleetScheduleGrain>(fleetId).SubmitAsync(new ScheduleRequest(
            current.AddMinutes(15), [.. Enumerable.Repeat(new ScheduleSlotRequest(100), 4)]));

        var proposal = await Optimiser.OptimiseAsync(fleetId, Request(current.AddHours(2), [50, 50, 50, 50]));

        // 4 lossless 200 kWh batteries at 50 %: 400 of 800 kWh. The schedule sells 100 kW for the hour from the next
        // quarter hour (100 kWh) and then runs out to 0 kW: the day starts at 300 kWh, 37.5 %, not at 50 %.
        var group = Assert.Single(proposal.Groups);
        Assert.Equal(37.5, group.StartSocPercent!.Value, 6);
        Assert.Equal(37.5, group.EndSocPercent!.Value, 6);
    }

    [Fact]
    public async Task A_later_day_starts_where_the_virtual_batteries_own_plans_leave_them_and_the_fleet()
    {
        var fleetId = VppClusterFixture.NewId("optslice");
        await AddBatteriesAsync(fleetId, 2);
        var current = QuarterHour.Floor(fixture.Clock.GetUtcNow());
        var slice = _grains.GetGrain<IVirtualBatteryGrain>(VppClusterFixture.NewId("vbopt"));
        await slice.ConfigureAsync(new VirtualBatteryConfig("trader-a", fleetId, PowerKw: 40, EnergyKwh: 100, InitialSocPercent: 50));
        await slice.SubmitScheduleAsync(new ScheduleRequest(current.AddMinutes(15), [new ScheduleSlotRequest(40), new ScheduleSlotRequest(40)]));

        var proposal = await Optimiser.OptimiseAsync(fleetId, Request(current.AddHours(1), [10, 10, 100, 100]));

        // The slice sells 40 kW for the half hour from the next quarter hour, then returns to 0 kW: 20 kWh of its
        // 100 kWh, so its part of the day starts at 30 %; the fleet nets it into its target, so its lossless batteries
        // (2 × 200 kWh at 50 %) deliver the 20 kWh and the day starts at 180 of 400 kWh, 45 %.
        Assert.Equal(30, Assert.Single(proposal.Slices!).StartSocPercent, 6);
        Assert.Equal(45, Assert.Single(proposal.Groups).StartSocPercent!.Value, 6);
    }

    [Fact]
    public async Task A_later_day_keeps_running_the_chp_units_the_stored_schedule_starts_before_it_until_their_min_up_time_is_served()
    {
        // Two 100 kW units (min stable 100 kW, 50 EUR/MWh, min up 1 h = 4 quarter hours), off now. The stored schedule
        // asks 200 kW in the next two quarter hours, so both start there and must run until the fourth quarter hour after
        // the current one ends; the day planned from the third quarter hour on runs them its first two quarter hours
        // even at 20 EUR/MWh, and then stops them. Planned from their state now, they would not run at all.
        var fleetId = VppClusterFixture.NewId("optchpproj");
        await AddChpUnitsAsync(fleetId, 2, minUpSeconds: 3600);
        var current = QuarterHour.Floor(fixture.Clock.GetUtcNow());
        await _grains.GetGrain<IFleetScheduleGrain>(fleetId).SubmitAsync(new ScheduleRequest(
            current.AddMinutes(15), [new ScheduleSlotRequest(200), new ScheduleSlotRequest(200)]));

        var proposal = await Optimiser.OptimiseAsync(fleetId, Request(current.AddMinutes(45), [20, 20, 20, 20]));

        Assert.Equal([200.0, 200, 0, 0], proposal.Slots.Select(s => Math.Round(s.TargetKw, 3)));
        Assert.Contains(proposal.Slots[0].Binding, b => b.EndsWith(".minUp", StringComparison.Ordinal));
        var group = Assert.Single(proposal.Groups);
        Assert.Equal(2, group.UnitsOnAtStart);
        Assert.Equal(0, group.Starts);
    }

    [Fact]
    public async Task An_unknown_fleet_is_not_found()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => Optimiser.OptimiseAsync(VppClusterFixture.NewId("nofleet"), Request(NextHour, [10, 20])));
    }

    [Fact]
    public async Task Chp_min_up_times_reach_the_program_through_the_partitions()
    {
        // Two 100 kW units (min stable 100 kW, 50 EUR/MWh) that must run an hour once started: the one-slot spike earns
        // 2 × 70 × 25 kWh = 3.5 EUR but the three slots after it would lose 2 × 3 × 30 × 25 kWh = 4.5 EUR, so neither starts.
        var fleetId = VppClusterFixture.NewId("optchp");
        await AddChpUnitsAsync(fleetId, 2, minUpSeconds: 3600);

        var proposal = await Optimiser.OptimiseAsync(fleetId, Request(NextHour, [20, 120, 20, 20, 20, 20]));

        var group = Assert.Single(proposal.Groups);
        Assert.Equal(2, group.AssetCount);
        Assert.All(proposal.Slots, s => Assert.Equal(0, s.TargetKw, 6));
        Assert.Equal(0, proposal.GreedyProfitEur!.Value, 6);
    }

    [Fact]
    public async Task Chp_start_up_costs_reach_the_program_through_the_partitions()
    {
        // Two 100 kW units, no min up time, 1.5 EUR a start: the dear slots earn 70 × 25 kWh = 1.75 EUR a unit each, the
        // cheap slot between loses 0.75 EUR, less than a second start: each unit starts once and runs slots 1–3,
        // 2 × (3.5 − 0.75 − 1.5) = 2.5 EUR.
        var fleetId = VppClusterFixture.NewId("optchpstart");
        await AddChpUnitsAsync(fleetId, 2, minUpSeconds: 0, startUpCostEur: 1.5);

        var proposal = await Optimiser.OptimiseAsync(fleetId, Request(NextHour, [20, 120, 20, 120]));

        var group = Assert.Single(proposal.Groups);
        Assert.Equal((2, 1.5, 2), (group.AssetCount, group.StartUpCostEur, group.Starts));
        Assert.Equal([0, 200, 200, 200], proposal.Slots.Select(s => Math.Round(s.TargetKw, 3)));
        Assert.Equal(2.5, proposal.ProfitEur, 6);
        Assert.Contains(proposal.Slots[2].Binding, b => b.EndsWith(".startUpCost", StringComparison.Ordinal));
        Assert.Equal(2.5, proposal.GreedyProfitEur!.Value, 6);
    }

    [Fact]
    public async Task A_running_chp_inside_its_min_up_time_keeps_running_in_the_first_slots_at_low_prices()
    {
        // One 100 kW unit (min stable 100 kW, 50 EUR/MWh) started now with a 2 h min up time: at 20 EUR/MWh it runs
        // only the slots its min up time still holds it in from the horizon's start, then stops.
        var fleetId = VppClusterFixture.NewId("optchprun");
        var asset = _grains.GetGrain<IAssetMember>(Assert.Single(await AddChpUnitsAsync(fleetId, 1, minUpSeconds: 7200)));
        var startedAt = fixture.Clock.GetUtcNow();
        var ack = await asset.ApplySetpointAsync(100);
        Assert.Equal(100, ack.AcceptedKw, 6);

        var from = NextHour;
        var proposal = await Optimiser.OptimiseAsync(fleetId, Request(from, [20, 20, 20, 20, 20, 20, 20, 20]));

        var held = (int)Math.Ceiling((startedAt.AddHours(2) - from) / QuarterHour.Length);
        Assert.InRange(held, 4, 5);
        Assert.Equal(
            [.. Enumerable.Range(0, 8).Select(t => t < held ? 100.0 : 0.0)],
            proposal.Slots.Select(s => Math.Round(s.TargetKw, 3)));
        Assert.Contains(proposal.Slots[0].Binding, b => b.EndsWith(".minUp", StringComparison.Ordinal));
        Assert.Equal(held * -0.75, proposal.GreedyProfitEur!.Value, 6);
    }

    [Fact]
    public void Group_totals_keep_the_chp_units_state_over_the_wire()
    {
        var serializer = fixture.Grains is IClusterClient client ? client.ServiceProvider.GetRequiredService<Serializer>() : throw new InvalidOperationException("no cluster client");
        var totals = new GroupTotals("chp@50~100/100kW", AssetKind.Chp, 50, 3, 300, 0, 300, null, 1, 0, 0, 0, 0, 100, 100, [])
        {
            UnitMinUpSlots = 4, UnitsOn = 2, UnitsHeldOn = [2, 1], UnitsHeldOff = [1], UnitStartUpCostEur = 40,
        };

        var copy = serializer.Deserialize<GroupTotals>(serializer.SerializeToArray(totals));

        Assert.NotNull(copy);
        Assert.Equal((4, 2), (copy.UnitMinUpSlots, copy.UnitsOn));
        Assert.Equal([2, 1], copy.UnitsHeldOn);
        Assert.Equal([1], copy.UnitsHeldOff);
        Assert.Equal(40, copy.UnitStartUpCostEur);
    }
}
