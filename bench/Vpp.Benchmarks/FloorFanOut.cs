namespace Vpp.Benchmarks;

/// <summary>
/// The floor: the cheapest fan-out with one grain call per asset that this benchmark knows — the tuned prototype
/// of shared/docs/orleans.md. A trivial asset grain (clamp, store, answer with a <see cref="ValueTask{T}"/>), 256
/// partition grains that keep their members' references, issue every call and then read the answers. No spec, no
/// envelope, no capability bookkeeping, no multi-round reallocation: what is left is the cost of Orleans messaging
/// itself, which bounds what any design with one grain per asset can reach on this machine.
/// </summary>
public interface IFloorAssetGrain : IGrainWithStringKey
{
    ValueTask<double> ApplySetpointAsync(double setpointKw);
}

public interface IFloorPartitionGrain : IGrainWithStringKey
{
    Task SetMembersAsync(string fleetId, int partition, int partitions, int assets);

    Task<FloorPartitionResult> DispatchAsync(double perAssetKw);
}

public interface IFloorFleetGrain : IGrainWithStringKey
{
    Task SetAssetsAsync(int assets, int partitions);

    Task<FloorPartitionResult> DispatchAsync(double targetKw);
}

[GenerateSerializer, Immutable]
public readonly record struct FloorPartitionResult([property: Id(0)] int Acknowledged, [property: Id(1)] double AllocatedKw);

public sealed class FloorAssetGrain : Grain, IFloorAssetGrain
{
    private const double LimitKw = 10;
    private double _setpointKw;

    public ValueTask<double> ApplySetpointAsync(double setpointKw)
    {
        _setpointKw = Math.Clamp(setpointKw, -LimitKw, LimitKw);
        return ValueTask.FromResult(_setpointKw);
    }
}

public sealed class FloorPartitionGrain : Grain, IFloorPartitionGrain
{
    private IFloorAssetGrain[] _members = [];

    public Task SetMembersAsync(string fleetId, int partition, int partitions, int assets)
    {
        var members = new List<IFloorAssetGrain>();
        for (var i = partition; i < assets; i += partitions)
        {
            members.Add(GrainFactory.GetGrain<IFloorAssetGrain>(AssetIds.For(fleetId + "-floor", i)));
        }

        _members = [.. members];
        return Task.CompletedTask;
    }

    public async Task<FloorPartitionResult> DispatchAsync(double perAssetKw)
    {
        var calls = new ValueTask<double>[_members.Length];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = _members[i].ApplySetpointAsync(perAssetKw);
        }

        double allocatedKw = 0;
        foreach (var call in calls)
        {
            allocatedKw += await call;
        }

        return new FloorPartitionResult(calls.Length, allocatedKw);
    }
}

public sealed class FloorFleetGrain : Grain, IFloorFleetGrain
{
    private IFloorPartitionGrain[] _partitions = [];
    private int _assets;

    public async Task SetAssetsAsync(int assets, int partitions)
    {
        var fleetId = this.GetPrimaryKeyString();
        _assets = assets;
        _partitions = [.. Enumerable.Range(0, partitions).Select(p => GrainFactory.GetGrain<IFloorPartitionGrain>($"{fleetId}~floor{p:D3}"))];
        await Task.WhenAll(_partitions.Select((partition, p) => partition.SetMembersAsync(fleetId, p, partitions, assets)));
    }

    public async Task<FloorPartitionResult> DispatchAsync(double targetKw)
    {
        var perAssetKw = _assets == 0 ? 0 : targetKw / _assets;
        var results = await Task.WhenAll(_partitions.Select(p => p.DispatchAsync(perAssetKw)));
        return new FloorPartitionResult(results.Sum(r => r.Acknowledged), results.Sum(r => r.AllocatedKw));
    }
}
