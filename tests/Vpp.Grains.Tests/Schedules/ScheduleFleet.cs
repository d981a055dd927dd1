using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Tests.Schedules;

/// <summary>A fleet of online batteries on the shared test cluster, kept reporting as the fake clock moves on.</summary>
public sealed class ScheduleFleet(VppClusterFixture fixture, string prefix)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    public string FleetId { get; } = VppClusterFixture.NewId(prefix);

    public List<string> AssetIds { get; } = [];

    public IFleetGrain Fleet => _grains.GetGrain<IFleetGrain>(FleetId);

    public IAssetGrain Asset(string assetId) => _grains.GetGrain<IAssetGrain>(assetId);

    public IAssetMember Member(string assetId) => _grains.GetGrain<IAssetMember>(assetId);

    public async Task<string> AddBatteryAsync(string name, double maxKw, double costEurPerMwh, double capacityKwh, double socPercent = 50)
    {
        var assetId = VppClusterFixture.NewId(name);
        await Asset(assetId).ConfigureAsync(new AssetSpec
        {
            FleetId = FleetId,
            Kind = AssetKind.Battery,
            MinPowerKw = -maxKw,
            MaxPowerKw = maxKw,
            MarginalCostEurPerMwh = costEurPerMwh,
            EnergyCapacityKwh = capacityKwh,
        });
        AssetIds.Add(assetId);
        await Asset(assetId).ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: socPercent));
        return assetId;
    }

    /// <summary>Every asset reports now (on the fake clock), so none goes silent while a test moves time on.</summary>
    public async Task ReportAllAsync(double socPercent = 50)
    {
        foreach (var assetId in AssetIds)
        {
            await Asset(assetId).ReportTelemetryAsync(new Telemetry(fixture.Clock.GetUtcNow(), 0, StateOfChargePercent: socPercent));
        }
    }

    public Task<FleetView> WhenAsync(Func<FleetView, bool> condition, string what) =>
        Eventually.Until(
            async () => await Fleet.GetAsync() ?? throw new Xunit.Sdk.XunitException("fleet unknown"),
            condition,
            what,
            describe: v => v.ToString());

    /// <summary>Moves the fake clock to <paramref name="instant"/> (never backwards).</summary>
    public void MoveClockTo(DateTimeOffset instant) => fixture.Clock.Advance(instant - fixture.Clock.GetUtcNow());
}
