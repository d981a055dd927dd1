using System.Collections;
using System.Reflection;

namespace Vpp.Benchmarks;

/// <summary>
/// Diagnostics for when a run gets stuck: reads the private fields of the live partition activations in this silo
/// (through Orleans' internal activation directory, by reflection). Only used to explain a failure, never on the
/// measured path.
/// </summary>
public static class GrainInspector
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    public static void DescribePartitions(IServiceProvider services, string fleetId)
    {
        try
        {
            var directoryType = Type.GetType("Orleans.Runtime.ActivationDirectory, Orleans.Runtime");
            if (directoryType is null || services.GetService(directoryType) is not IEnumerable directory)
            {
                Console.WriteLine("  (inspector: activation directory not available)");
                return;
            }

            var lines = new List<string>();
            foreach (var entry in directory)
            {
                var context = entry.GetType().GetProperty("Value")?.GetValue(entry) as IGrainContext;
                if (context?.GrainInstance is not { } grain || grain.GetType().Name != "FleetPartitionGrain"
                    || !context.GrainId.ToString().Contains(fleetId, StringComparison.Ordinal))
                {
                    continue;
                }

                var writer = Field(grain, "_writer");
                var flushing = Field(grain, "_flushing") as Task;
                var waiters = Field(grain, "_reportWaiters") as ICollection;
                var current = writer is null ? null : Field(writer, "_current") as Task;
                var next = writer is null ? null : Field(writer, "_next");
                var nextTask = next?.GetType().GetProperty("Task")?.GetValue(next) as Task;
                var suspicious = (flushing is { IsCompleted: true }) || (current is { IsCompleted: true }) || (waiters is { Count: > 0 } && flushing is null)
                    || (nextTask is { IsCompleted: false } && current is null);
                lines.Add(
                    $"    {context.GrainId.Key}: _dirty={Field(grain, "_dirty")}, _flushing={Describe(flushing)}, report waiters={waiters?.Count ?? 0}, "
                    + $"writer._current={Describe(current)}, writer._next={Describe(nextTask)}"
                    + (suspicious ? "   <-- stuck?" : ""));
            }

            Console.WriteLine($"  inspector: {lines.Count} partition activation(s) of {fleetId}:");
            foreach (var line in lines.Order(StringComparer.Ordinal))
            {
                Console.WriteLine(line);
            }
        }
        catch (Exception ex)
        {
            Console.WriteLine($"  (inspector failed: {ex.GetType().Name}: {ex.Message})");
        }
    }

    private static object? Field(object target, string name) => target.GetType().GetField(name, Instance)?.GetValue(target);

    private static string Describe(Task? task) => task is null ? "null" : task.Status.ToString();
}

/// <summary>
/// A tripwire for a partition whose report loop stopped for good: a completed task kept in a field <c>_flushing</c>
/// (the shape <c>_flushing ??= FlushLoopAsync()</c> takes when the loop completes synchronously), after which the
/// partition never reports again and every JoinAsync waiting for a report hangs. While the benchmark registers assets,
/// this watches the partitions of its fleet and, on the partition's own scheduler, clears such a task and restarts the
/// report loop. Every repair is counted and printed: registration figures of a run with repairs include the time until
/// the repair (at most ~0.5 s each). Not active while dispatching. <c>FleetPartitionGrain</c> marks its running loop
/// with a <c>bool</c> and has no <c>_flushing</c> field, so on the current grains it finds nothing to repair.
/// </summary>
public sealed class PartitionHealer : IAsyncDisposable
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    private readonly IServiceProvider _services;
    private readonly string _fleetId;
    private readonly int _partitions;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<IGrainContext> _contexts = [];
    private int _repairs;

    public PartitionHealer(IServiceProvider services, string fleetId, int partitions)
    {
        _services = services;
        _fleetId = fleetId;
        _partitions = partitions;
        _loop = Task.Run(LoopAsync);
    }

    public int Repairs => Volatile.Read(ref _repairs);

    private async Task LoopAsync()
    {
        var lastScan = DateTime.MinValue;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(500, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (_contexts.Count < _partitions && DateTime.UtcNow - lastScan > TimeSpan.FromSeconds(5))
            {
                lastScan = DateTime.UtcNow;
                Scan();
            }

            foreach (var context in _contexts)
            {
                if (context.GrainInstance is { } grain && IsStuck(grain))
                {
                    context.Scheduler.QueueAction(() => Repair(context));
                }
            }
        }
    }

    private void Scan()
    {
        var directoryType = Type.GetType("Orleans.Runtime.ActivationDirectory, Orleans.Runtime");
        if (directoryType is null || _services.GetService(directoryType) is not IEnumerable directory)
        {
            return;
        }

        var found = new List<IGrainContext>();
        foreach (var entry in directory)
        {
            if (entry.GetType().GetProperty("Value")?.GetValue(entry) is IGrainContext context
                && context.GrainInstance?.GetType().Name == "FleetPartitionGrain"
                && context.GrainId.ToString().Contains(_fleetId + "~", StringComparison.Ordinal))
            {
                found.Add(context);
            }
        }

        _contexts.Clear();
        _contexts.AddRange(found);
    }

    private static bool IsStuck(object grain) =>
        grain.GetType().GetField("_flushing", Instance)?.GetValue(grain) is Task { IsCompleted: true };

    /// <summary>Runs on the partition's scheduler, so it never races the grain's own code.</summary>
    private void Repair(IGrainContext context)
    {
        var grain = context.GrainInstance;
        if (grain is null || !IsStuck(grain))
        {
            return;
        }

        grain.GetType().GetField("_flushing", Instance)!.SetValue(grain, null);
        grain.GetType().GetMethod("MarkDirty", Instance)!.Invoke(grain, null);
        Interlocked.Increment(ref _repairs);
        Console.WriteLine($"  healer: {context.GrainId.Key} had a completed report loop it would never restart (src bug); restarted it");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
