// A minimal trading desk on the VPP SDK: connect, read the fleet's capacity, dispatch a target (to the fleet, or with
// --slice to one of its virtual batteries), and print the fleet's events as they come until Ctrl+C (or --watch-seconds). Run a silo first: dotnet run --project src/Vpp.Silo -- --demo
using System.Globalization;
using Vpp.Client;
using Vpp.Client.Errors;
using Vpp.Domain.Dispatch;
using Vpp.TradingDesk;

var settings = DeskSettings.Parse(args);
if (settings is null)
{
    Console.Error.WriteLine(DeskSettings.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
try
{
    await using var vpp = await VppClient.ConnectAsync(settings.Client, stop.Token);
    var fleet = await vpp.GetFleetAsync(settings.FleetId, stop.Token);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Fleet {fleet.FleetId}: {fleet.Counts.OnlineCount}/{fleet.Counts.AssetCount} assets online, capacity {fleet.Capacity.MinKw:0.#} .. {fleet.Capacity.MaxKw:0.#} kW (unconstrained {fleet.Capacity.PreferredKw:0.#} kW)"));

    // Subscribe before dispatching, so the dispatch's own event is printed too.
    var printing = PrintEventsAsync(vpp, settings.FleetId, stop.Token);
    if (settings.SliceId is { } sliceId && settings.TargetKw is { } sliceKw)
    {
        var slice = await vpp.DispatchVirtualBatteryAsync(sliceId, sliceKw, stop.Token);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Virtual battery {slice.Id}: asked {slice.RequestedKw:0.#} kW, given {slice.SetpointKw:0.#} kW{(slice.CurtailmentReason is { } why ? $" (curtailed: {why})" : "")}, virtual SoC {slice.SocPercent:0.#} %"));
    }
    else if (settings.TargetKw is { } targetKw)
    {
        var result = await vpp.DispatchAsync(settings.FleetId, new Vpp.Abstractions.Fleets.DispatchRequest(targetKw, settings.Strategy, IncludeSetpoints: false), stop.Token);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Dispatch {result.DispatchId}: target {result.TargetKw:0.#} kW, acknowledged {result.AllocatedKw:0.#} kW, shortfall {result.ShortfallKw:0.#} kW, {result.AcknowledgedCount} assets in {result.Rounds} round(s)"));
    }

    Console.WriteLine("Watching events (Ctrl+C to stop)...");
    if (settings.WatchSeconds is { } seconds)
    {
        stop.CancelAfter(TimeSpan.FromSeconds(seconds));
    }

    await printing;
    return 0;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    return 0;
}
catch (VppException ex)
{
    Console.Error.WriteLine($"{ex.GetType().Name}: {ex.Message}");
    return 1;
}

static async Task PrintEventsAsync(VppClient vpp, string fleetId, CancellationToken cancellationToken)
{
    try
    {
        await foreach (var e in vpp.SubscribeAsync(fleetId, cancellationToken))
        {
            Console.WriteLine($"  [{e.At:HH:mm:ss}] #{e.Sequence} {e.Kind}: {e.Message}");
        }
    }
    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
    {
    }
}
