using Vpp.Abstractions.Assets;
using Vpp.Grains.Contracts;

namespace Vpp.Benchmarks;

/// <summary>
/// The baseline: one grain that holds every asset id and, per dispatch, resolves each id and awaits every asset
/// itself ("one grain awaiting every asset"). It drives the same, real <see cref="IAssetGrain"/> activations as the
/// fleet does.
/// </summary>
public interface INaiveFleetGrain : IGrainWithStringKey
{
    /// <summary>Sets the assets this grain dispatches: ids <c>AssetIds.For(fleetId, 0..count-1)</c>.</summary>
    Task SetAssetsAsync(string fleetId, int count);

    /// <summary>Splits the target evenly: every asset gets target / count.</summary>
    Task<NaiveDispatchResult> DispatchAsync(double targetKw);
}

[GenerateSerializer, Immutable]
public sealed record NaiveDispatchResult(
    [property: Id(0)] int AssetCount,
    [property: Id(1)] int AcknowledgedCount,
    [property: Id(2)] double AllocatedKw);

public sealed class NaiveFleetGrain : Grain, INaiveFleetGrain
{
    private string[] _assetIds = [];

    public Task SetAssetsAsync(string fleetId, int count)
    {
        _assetIds = new string[count];
        for (var i = 0; i < count; i++)
        {
            _assetIds[i] = AssetIds.For(fleetId, i);
        }

        return Task.CompletedTask;
    }

    public async Task<NaiveDispatchResult> DispatchAsync(double targetKw)
    {
        var perAssetKw = _assetIds.Length == 0 ? 0 : targetKw / _assetIds.Length;
        var calls = new Task<SetpointAck>[_assetIds.Length];
        for (var i = 0; i < _assetIds.Length; i++)
        {
            calls[i] = GrainFactory.GetGrain<IAssetMember>(_assetIds[i]).ApplySetpointAsync(perAssetKw).AsTask();
        }

        var acks = await Task.WhenAll(calls);
        int acknowledged = 0;
        double allocatedKw = 0;
        foreach (var ack in acks)
        {
            if (ack.Accepted)
            {
                acknowledged++;
                allocatedKw += ack.AcceptedKw;
            }
        }

        return new NaiveDispatchResult(_assetIds.Length, acknowledged, allocatedKw);
    }
}

public static class AssetIds
{
    /// <summary>Asset ids of a benchmark fleet; they contain letters, so Orleans never reads them as integer keys.</summary>
    public static string For(string fleetId, int index) => $"{fleetId}-a{index:D7}";
}
