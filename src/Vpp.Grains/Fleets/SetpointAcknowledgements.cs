using System.Diagnostics;
using Vpp.Abstractions.Assets;

namespace Vpp.Grains.Fleets;

/// <summary>How a partition reads its members' setpoint acknowledgements against one deadline per round.</summary>
public static class SetpointAcknowledgements
{
    /// <summary>
    /// Reads one acknowledgement, waiting at most until the round's deadline. All calls were issued before the first
    /// is read, so by then most have completed and are read without waiting: cheaper than a Task per call and one
    /// WhenAll. Once the deadline has passed, pending calls are no longer waited for.
    /// </summary>
    public static async ValueTask<(bool Answered, SetpointAck Ack)> ReadAsync(
        string assetId, ValueTask<SetpointAck> ack, long deadline, bool deadlinePassed, Action<string, string?> failed)
    {
        try
        {
            if (ack.IsCompleted)
            {
                return (true, await ack);
            }

            var pending = ack.AsTask();
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (deadlinePassed || remaining <= TimeSpan.Zero)
            {
                ObserveLateFailure(assetId, pending, failed);
                return (false, default);
            }

            try
            {
                return (true, await pending.WaitAsync(remaining));
            }
            catch (TimeoutException)
            {
                ObserveLateFailure(assetId, pending, failed);
                return (false, default);
            }
        }
        catch (Exception ex)
        {
            failed(assetId, ex.GetBaseException().Message);
            return (false, default);
        }
    }

    private static void ObserveLateFailure(string assetId, Task<SetpointAck> ack, Action<string, string?> failed)
    {
        if (ack.IsFaulted)
        {
            failed(assetId, ack.Exception?.GetBaseException().Message);
        }
        else if (!ack.IsCompleted)
        {
            _ = ack.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        }
    }
}
