using Orleans.Runtime;

namespace Vpp.Silo.Api;

/// <summary>
/// Retries a grain call that failed only because the silo hosting the grain left the cluster (a rolling
/// update, or a crash once declared dead): the next attempt activates the grain on a live silo. Without it
/// the caller of a healthy silo would see a 500 for another silo's shutdown.
/// </summary>
/// <remarks>
/// Every API operation is safe to repeat: PUT, status and telemetry set the same values again; a dispatch sets
/// the same standing target again (if the first attempt had been applied, the fleet records two dispatches).
/// </remarks>
public static class TransientRetry
{
    /// <summary>Pauses before the 2nd, 3rd and 4th attempt: enough for the directory to drop the departed silo.</summary>
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(1)];

    public static async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (attempt < Backoff.Length && IsTransient(ex))
            {
                await Task.Delay(Backoff[attempt]);
            }
        }
    }

    /// <summary>
    /// The grain's silo is gone or going: <see cref="SiloUnavailableException"/> (declared dead, or shutting down
    /// while the message was being addressed) and the runtime's "Silo stopping" rejection of queued messages.
    /// </summary>
    public static bool IsTransient(Exception ex) => ex is SiloUnavailableException or OrleansMessageRejectionException;

    public static Task RunAsync(Func<Task> call) =>
        RunAsync(async () =>
        {
            await call();
            return true;
        });
}
