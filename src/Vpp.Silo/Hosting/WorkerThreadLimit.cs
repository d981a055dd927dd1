namespace Vpp.Silo.Hosting;

/// <summary>
/// Caps the .NET thread pool's worker threads at <c>Runtime:MaxWorkerThreadsPerCore</c> per core.
/// </summary>
/// <remarks>
/// The pool adds a worker whenever its queue makes no progress for half a second. Where the cores are shared (several
/// silos on one machine, a database beside the silo, a container throttled to its CPU limit) the queue stalls for want
/// of CPU, not of threads, so the pool keeps adding workers, each of them runnable. A garbage collection suspends the
/// process and then waits for the CPU behind all of them: with three silos on 2 cores each silo grew to 74–76 threads
/// and paused up to 7.8 s for GC; with 2 workers per core, 1.4–3.3 s at most (docs/benchmarks.md, "Several silos"). The
/// grains and the storage providers are asynchronous, so a few workers per core keep the cores busy; the cap leaves room
/// for the SQLite provider's synchronous writes.
/// </remarks>
public static class WorkerThreadLimit
{
    public const string Key = "Runtime:MaxWorkerThreadsPerCore";

    /// <summary>The most worker threads for this many cores, or null for the runtime's own limit (0 or unset).</summary>
    public static int? For(int? perCore, int cores, int minWorkerThreads)
    {
        if (perCore is null or 0)
        {
            return null;
        }

        if (perCore < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(perCore), perCore, $"{Key} must be 0 (the runtime's own limit) or more");
        }

        // The pool refuses a maximum under its minimum (one worker per core unless raised).
        return Math.Max(perCore.Value * cores, minWorkerThreads);
    }

    /// <summary>What is wrong with the configured value, or null: it must be a whole number, 0 or more.</summary>
    public static string? Problem(IConfiguration configuration) =>
        configuration[Key] is { Length: > 0 } value && !(int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var perCore) && perCore >= 0)
            ? $"{Key} must be a whole number of worker threads per core, 0 or more (0: the runtime's own limit), not '{value}'"
            : null;

    /// <summary>Applies the configured cap to this process's thread pool; returns the cap, or null when none is set.</summary>
    public static int? Apply(IConfiguration configuration)
    {
        ThreadPool.GetMinThreads(out var minWorkers, out _);
        ThreadPool.GetMaxThreads(out _, out var maxCompletionPorts);
        if (For(configuration.GetValue<int?>(Key), Environment.ProcessorCount, minWorkers) is not { } max)
        {
            return null;
        }

        return ThreadPool.SetMaxThreads(max, maxCompletionPorts)
            ? max
            : throw new InvalidOperationException($"{Key}: the thread pool refused {max} worker threads");
    }
}
