using Vpp.Abstractions.Assets;

namespace Vpp.Grains.Fleets;

/// <summary>
/// What the fleet's members are registered for, online or not: the sum of their power ranges and their batteries'
/// FCR reserves. An FCR award comes a day ahead of delivery, so it is checked against this rather than against the
/// assets that happen to be online when it arrives; what the online ones can deliver is shown beside it.
/// </summary>
public sealed class RegisteredCapability(TimeSpan fcrActivationTime)
{
    public double MinKw { get; private set; }

    public double MaxKw { get; private set; }

    /// <summary>Every member battery with its energy-limited FCR reserve (<see cref="BatteryPool.FcrReserveKw"/>).</summary>
    public BatteryPool Batteries { get; } = new(fcrActivationTime);

    public void Add(MemberReport report)
    {
        MinKw += report.RegisteredMinKw;
        MaxKw += report.RegisteredMaxKw;
        Batteries.Add(report);
    }
}
