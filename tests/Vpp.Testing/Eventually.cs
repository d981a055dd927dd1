namespace Vpp.Testing;

/// <summary>
/// Waits for what grains bring about asynchronously (a partition pushing to its fleet, a re-dispatch), polling
/// with a hard bound: returns as soon as the condition holds and fails loudly after the bound. Not a sleep-and-hope.
/// </summary>
public static class Eventually
{
    /// <summary>A bound, not an expectation: on a loaded 2-core machine a re-dispatch that takes milliseconds alone can take seconds.</summary>
    public static TimeSpan DefaultBound { get; } = TimeSpan.FromSeconds(30);

    public static async Task<T> Until<T>(
        Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan? within = null, Func<T, string>? describe = null)
    {
        var deadline = DateTime.UtcNow + (within ?? DefaultBound);
        var value = await read();
        while (!condition(value))
        {
            if (DateTime.UtcNow > deadline)
            {
                var last = describe is null ? value?.ToString() ?? "null" : describe(value);
                throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}; last value: {last}");
            }

            await Task.Delay(20);
            value = await read();
        }

        return value;
    }
}
