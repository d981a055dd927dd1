using Vpp.Abstractions.Fleets;

namespace Vpp.Grains.Fleets;

/// <summary>Questions to all of a fleet's partitions at once.</summary>
public static class PartitionQueries
{
    /// <summary>
    /// Asks the partitions in parallel; one that cannot answer is reported and answers null, so a single partition
    /// never fails a question about the whole fleet (the caller says what its absence means).
    /// </summary>
    public static async Task<T?[]> AskAsync<T>(
        IGrainFactory grains, IEnumerable<string> partitionKeys, Func<IFleetPartitionGrain, Task<T>> ask, Action<string, Exception> failed)
        where T : class =>
        await Task.WhenAll(partitionKeys.Select(async key =>
        {
            try
            {
                return await ask(grains.GetGrain<IFleetPartitionGrain>(key));
            }
            catch (Exception ex)
            {
                failed(key, ex);
                return null;
            }
        }));
}
