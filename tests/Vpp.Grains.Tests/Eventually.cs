namespace Vpp.Grains.Tests;

/// <summary>
/// Waits for a condition that other grains bring about asynchronously (a partition pushing to its fleet),
/// polling with a hard bound. Not a sleep-and-hope: it returns as soon as the condition holds and fails loudly after the bound.
/// </summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        var value = await read();
        while (!condition(value))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}; last value: {value}");
            }

            await Task.Delay(20);
            value = await read();
        }

        return value;
    }
}
