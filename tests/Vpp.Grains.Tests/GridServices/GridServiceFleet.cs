using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.GridServices;
using Vpp.Domain.Assets;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Tests.GridServices;

/// <summary>A fleet of batteries on the shared test cluster, with the grid-service calls the tests make on it.</summary>
public sealed class GridServiceFleet(VppClusterFixture fixture, string fleetId, string[] assetIds)
{
    public string FleetId { get; } = fleetId;

    public string[] AssetIds { get; } = assetIds;

    public IFleetGrain Fleet => fixture.Grains.GetGrain<IFleetGrain>(FleetId);

    public IFleetGridServicesGrain Services => fixture.Grains.GetGrain<IFleetGridServicesGrain>(FleetId);

    public static IGridAreaInternal Area(VppClusterFixture fixture) => fixture.Grains.GetGrain<IGridAreaInternal>(GridAreas.ContinentalEurope);

    /// <summary>
    /// Batteries of ±<paramref name="maxKw"/> and 2 h of energy each, online at <paramref name="socPercent"/>, ramping at
    /// <paramref name="rampKwPerSecond"/> (null: they step).
    /// </summary>
    public static Task<GridServiceFleet> CreateAsync(
        VppClusterFixture fixture, string prefix, int count, double maxKw, double socPercent = 50, double? rampKwPerSecond = null) =>
        CreateAsync(fixture, prefix, maxKw, Enumerable.Repeat(socPercent, count).ToArray(), rampKwPerSecond);

    /// <summary>One battery of ±<paramref name="maxKw"/> and 2 h of energy per entry of <paramref name="socPercents"/>, cost 10 + its index.</summary>
    public static async Task<GridServiceFleet> CreateAsync(
        VppClusterFixture fixture, string prefix, double maxKw, double[] socPercents, double? rampKwPerSecond = null)
    {
        var fleetId = VppClusterFixture.NewId(prefix);
        var count = socPercents.Length;
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = VppClusterFixture.NewId($"{prefix}-b{i}");
            var asset = fixture.Grains.GetGrain<IAssetGrain>(ids[i]);
            await asset.ConfigureAsync(new AssetSpec
            {
                FleetId = fleetId,
                Kind = AssetKind.Battery,
                MinPowerKw = -maxKw,
                MaxPowerKw = maxKw,
                MarginalCostEurPerMwh = 10 + i,
                EnergyCapacityKwh = maxKw * 2,
                RampRateKwPerSecond = rampKwPerSecond,
            });
            await asset.ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: socPercents[i]));
        }

        var fleet = new GridServiceFleet(fixture, fleetId, ids);
        await fleet.ViewWhenAsync(v => v.Counts.OnlineCount == count && v.Capacity.MaxKw > 0, $"{count} batteries online");
        return fleet;
    }

    public Task<FleetView> ViewWhenAsync(Func<FleetView, bool> condition, string what) =>
        Eventually.Until(
            async () => await Fleet.GetAsync() ?? throw new Xunit.Sdk.XunitException("fleet unknown"),
            condition,
            what,
            describe: v => $"target {v.Dispatch.TargetKw}, base {v.Services.BaseTargetKw}, allocated {v.Dispatch.AllocatedKw}, fcr {v.Services.Fcr}, afrr {v.Services.AfrrSetpointKw}");

    /// <summary>The setpoint each asset holds now, in the order of <see cref="AssetIds"/>.</summary>
    public async Task<double[]> SetpointsKwAsync()
    {
        var views = await Task.WhenAll(AssetIds.Select(id => fixture.Grains.GetGrain<IAssetGrain>(id).GetAsync()));
        return [.. views.Select(v => Math.Round(v!.Live.SetpointKw ?? 0, 3))];
    }

    /// <summary>The setpoints the assets hold now, summed.</summary>
    public async Task<double> SetpointSumKwAsync()
    {
        var views = await Task.WhenAll(AssetIds.Select(id => fixture.Grains.GetGrain<IAssetGrain>(id).GetAsync()));
        return views.Sum(v => v!.Live.SetpointKw ?? 0);
    }
}
