using Vpp.Domain.Assets;

namespace Vpp.Grains.Tests;

/// <summary>Asset specs the market, metering and settlement tests share.</summary>
public static class TestSpecs
{
    /// <summary>A battery without losses, usable from 0 to 100 % SoC: its energy arithmetic is easy to do by hand.</summary>
    public static AssetSpec LosslessBattery(string fleetId, double maxKw, double capacityKwh) => new()
    {
        FleetId = fleetId,
        Kind = AssetKind.Battery,
        MinPowerKw = -maxKw,
        MaxPowerKw = maxKw,
        EnergyCapacityKwh = capacityKwh,
        MinSocPercent = 0,
        MaxSocPercent = 100,
        RoundTripEfficiencyPercent = 100,
    };
}
