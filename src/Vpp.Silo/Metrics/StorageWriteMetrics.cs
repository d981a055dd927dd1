using System.Diagnostics;
using Orleans.Storage;
using Vpp.Grains.Diagnostics;

namespace Vpp.Silo.Metrics;

/// <summary>Times grain state writes and counts the ones refused for a stale version (the grain re-reads and retries).</summary>
public static class StorageWriteMetrics
{
    public static async Task MeasureAsync(Task write)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await write;
        }
        catch (InconsistentStateException)
        {
            VppMetrics.StorageWriteConflicts.Add(1);
            throw;
        }
        finally
        {
            VppMetrics.StorageWriteDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}
