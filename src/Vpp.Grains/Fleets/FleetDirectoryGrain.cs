
namespace Vpp.Grains.Fleets;

[GenerateSerializer]
public sealed class FleetDirectoryState
{
    [Id(0)] public SortedSet<string> FleetIds { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The list of fleets for the console's overview. Fleets register only when they gain a partition (rare), so one
/// grain is no bottleneck; reads interleave.
/// </summary>
public sealed class FleetDirectoryGrain(
    [PersistentState("fleetDirectory", VppOptions.StorageName)] IPersistentState<FleetDirectoryState> state) : Grain, IFleetDirectoryGrain
{
    public async Task RegisterAsync(string fleetId)
    {
        if (!state.State.FleetIds.Add(fleetId))
        {
            return;
        }

        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.FleetIds.Remove(fleetId); // not stored, so not listed: the fleet's next call tries again
            throw;
        }
    }

    public Task<string[]> GetFleetIdsAsync() => Task.FromResult(state.State.FleetIds.ToArray());
}
