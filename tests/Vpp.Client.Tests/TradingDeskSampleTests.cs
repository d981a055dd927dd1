using System.Globalization;
using System.Reflection;
using Vpp.Abstractions.VirtualBatteries;

namespace Vpp.Client.Tests;

/// <summary>
/// The sample trading program (samples/Vpp.TradingDesk) run through its entry point against the test cluster, the
/// way a trader runs it from the command line.
/// </summary>
[Collection(SdkClusterCollection.Name)]
public sealed class TradingDeskSampleTests(SdkClusterFixture fixture)
{
    /// <summary>How long the sample may take to connect, trade and stop before the test gives up on it.</summary>
    private static readonly TimeSpan RunBound = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_sample_trading_program_trades_a_slice_with_its_slice_mode()
    {
        var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 2, maxKw: 100);
        var slice = SdkClusterFixture.NewId("vb");
        var other = SdkClusterFixture.NewId("vb");
        await fixture.Client.PutVirtualBatteryAsync(slice, new VirtualBatteryConfig("trader-a", fleetId, 40, 100, 50));
        await fixture.Client.PutVirtualBatteryAsync(other, new VirtualBatteryConfig("trader-b", fleetId, 40, 100, 50));
        var options = fixture.Options();

        var exitCode = await RunDeskAsync(
            "--fleet", fleetId, "--slice", slice, "--target-kw", (-25.5).ToString(CultureInfo.InvariantCulture),
            "--gateways", string.Join(',', options.Gateways), "--cluster-id", options.ClusterId, "--service-id", options.ServiceId,
            "--watch-seconds", "0");

        Assert.Equal(0, exitCode);
        var traded = await fixture.Client.GetVirtualBatteryAsync(slice);
        Assert.Equal(-25.5, traded.RequestedKw, 6);
        Assert.Equal(-25.5, traded.SetpointKw, 6);
        Assert.Equal(0, (await fixture.Client.GetVirtualBatteryAsync(other)).RequestedKw);
        Assert.Equal(-25.5, (await fixture.Client.GetSliceBookAsync(fleetId)).NetKw, 6);
    }

    /// <summary>Runs the sample's entry point with <paramref name="args"/> on a pool thread; its exit code.</summary>
    private static async Task<int> RunDeskAsync(params string[] args)
    {
        var entry = Assembly.Load("Vpp.TradingDesk").EntryPoint ?? throw new InvalidOperationException("Vpp.TradingDesk has no entry point");
        var result = await Task.Run(() => entry.Invoke(null, [args])).WaitAsync(RunBound);
        return result is Task<int> running ? await running.WaitAsync(RunBound) : (int)result!;
    }
}
