namespace Vpp.StorageBenchmarks;

/// <summary>The floor of an activation's cost: a grain with one number, no state, no timer (what Orleans alone holds per grain).</summary>
public interface IFloorGrain : IGrainWithStringKey
{
    ValueTask<double> SetAsync(double kw);
}

public sealed class FloorGrain : Grain, IFloorGrain
{
    private double _kw;

    public ValueTask<double> SetAsync(double kw)
    {
        _kw = Math.Clamp(kw, -100, 100);
        return ValueTask.FromResult(_kw);
    }
}
