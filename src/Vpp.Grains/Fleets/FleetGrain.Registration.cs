namespace Vpp.Grains.Fleets;

public sealed partial class FleetGrain
{
    public async Task AddPartitionsAsync(string[] partitionKeys)
    {
        ArgumentNullException.ThrowIfNull(partitionKeys);
        var added = false;
        foreach (var key in partitionKeys)
        {
            added |= S.PartitionKeys.Add(key);
        }

        if (added)
        {
            // Durable before any of these partitions stores a row: after a restart the fleet finds every partition
            // that may hold its assets (an empty one answers with nothing, like a partition whose assets all left).
            await WriteStateAsync();

            // The fleet's upkeep reminder wakes it (and so its partitions) after a restart. Registered here, before the
            // partitions store anything, it is not written while their first reports wait for this grain.
            await EnsureUpkeepReminderAsync();
        }
    }
}
