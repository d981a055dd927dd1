using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Vpp.Abstractions.Assets;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Tests.Assets;

/// <summary>A member report carries its battery through the serializer surrogate field for field.</summary>
[Collection(VppClusterCollection.Name)]
public sealed class BatteryReportWireTests(VppClusterFixture fixture)
{
    [Fact]
    public void A_member_report_carries_its_battery_and_soc_across_the_wire()
    {
        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        var battery = new BatteryEnergy(200, 10, 90, 0.95, 0.94, 50, 100);
        var report = new MemberReport(AssetStatus.Online, new Capability(-50, 100, 0, 12), 5, Battery: new BatteryAtSoc(battery, 42.5), Kind: AssetKind.Battery);

        var read = serializer.Deserialize<MemberReport>(serializer.SerializeToArray(report));

        Assert.Equal(report.Battery, read.Battery);
        Assert.Null(serializer.Deserialize<MemberReport>(serializer.SerializeToArray(report with { Battery = null })).Battery);
    }
}
