using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using Orleans.TestingHost;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Forecasts;
using Vpp.Abstractions.Optimisation;
using Vpp.Domain.Assets;
using Vpp.Domain.Fleets;
using Vpp.Domain.Schedules;
using Vpp.Grains.Contracts;
using Vpp.Grains.Fleets;
using Vpp.Grains.Storage;

namespace Vpp.Grains.Tests.Forecasts;

/// <summary>The VPP's own load forecast from the partitions' stored meters of the same weekday last week.</summary>
[Collection(VppClusterCollection.Name)]
public sealed class SimilarDayLoadTests(VppClusterFixture fixture)
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);
    private readonly IGrainFactory _grains = fixture.Grains;

    private IGrainStorage Storage =>
        ((InProcessSiloHandle)fixture.Cluster.Silos[0]).ServiceProvider.GetRequiredKeyedService<IGrainStorage>(VppOptions.StorageName);

    /// <summary>Stores one slot of a partition's meters as the partition itself stores a closed slot (its own state in the ring).</summary>
    private async Task StoreMeterAsync(GrainId partition, string assetId, DateTimeOffset slotStart, double consumedKw)
    {
        var ring = new MeterRing(null!, partition, VppClusterFixture.SettlementRetention, new HistoryReads(), NullLogger.Instance); // names only
        var cell = new GrainState<PartitionMeterSlotState>(new PartitionMeterSlotState());
        await Storage.ReadStateAsync(ring.StateNameOf(slotStart), partition, cell);
        cell.State = new PartitionMeterSlotState
        {
            SlotStart = slotStart,
            Readings = [new MeterReading(assetId, slotStart, -consumedKw * QuarterHour.Hours, QuarterHour.Length, 0, 0)],
        };
        await Storage.WriteStateAsync(ring.StateNameOf(slotStart), partition, cell);
    }

    [Fact]
    public async Task Last_weeks_metered_load_replaces_the_registered_baseline_in_the_forecast_and_the_proposal()
    {
        var fleetId = VppClusterFixture.NewId("simday");
        var assetId = VppClusterFixture.NewId("load");
        var now = fixture.Clock.GetUtcNow();
        var from = QuarterHour.Floor(now);
        var partition = _grains.GetGrain<IFleetPartitionGrain>(FleetPartitioning.PartitionKeyFor(fleetId, assetId, VppClusterFixture.PartitionsPerFleet));
        double[] lastWeekKw = [30, 40, 50, 60];
        for (var t = 0; t < lastWeekKw.Length; t++)
        {
            await StoreMeterAsync(partition.GetGrainId(), assetId, from - Week + (QuarterHour.Length * t), lastWeekKw[t]);
        }

        // A 200 kW load (50 kW minimum), curtailable at 150 EUR/MWh, online now.
        var load = _grains.GetGrain<IAssetGrain>(assetId);
        await load.ConfigureAsync(new AssetSpec
        {
            FleetId = fleetId, Kind = AssetKind.FlexibleLoad, MinPowerKw = -200, MaxPowerKw = -50, MarginalCostEurPerMwh = 150,
        });
        await load.ReportTelemetryAsync(new Telemetry(now, -200));
        await fixture.FleetWhenAsync(fleetId, v => v.Counts.OnlineCount == 1, "the load online");

        var forecast = await _grains.GetGrain<IFleetForecastGrain>(fleetId).GetAsync("load");

        Assert.Equal(ForecastView.Vpp, forecast.Source);
        Assert.Equal(from, forecast.From);
        Assert.Equal([30, 40, 50, 60, 200, 200], forecast.Points.Take(6).Select(p => Math.Round(p.Kw, 6)));
        Assert.StartsWith("similar day: in 4 of 192 quarter hours", forecast.Method, StringComparison.Ordinal);

        // Below its curtailment cost the load consumes what the forecast says, slot by slot.
        var proposal = await _grains.GetGrain<IScheduleOptimiserGrain>(0).OptimiseAsync(fleetId, new OptimiseRequest(
            from, from.AddHours(1.5), [.. Enumerable.Range(0, 6).Select(i => new PricePoint(from + (QuarterHour.Length * i), 10))]));
        Assert.Equal([-30, -40, -50, -60, -200, -200], proposal.Slots.Select(s => Math.Round(s.TargetKw, 3)));
    }
}
