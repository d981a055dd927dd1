using System.Collections.Concurrent;
using Orleans;
using Vpp.Abstractions.Fleets;
using Vpp.Grains.Contracts;

namespace Vpp.Grains.Tests.Fleets;

/// <summary>
/// Holds a partition's report to its fleet while it carries a status or membership change of a chosen asset, until the test
/// releases it: the fleet then runs other re-dispatches before it learns of the change, as it does when a report is
/// slow in a loaded silo. Installed as an outgoing filter on every silo of the shared test cluster; assets are fresh
/// per test, so tests never hold each other's reports.
/// </summary>
public sealed class HeldStatusReports : IOutgoingGrainCallFilter
{
    private static readonly ConcurrentDictionary<string, Hold> Holds = new();

    /// <summary>Reports carrying a status or membership change of <paramref name="assetId"/> wait until the handle is disposed.</summary>
    public static Hold HoldFor(string assetId) => Holds.GetOrAdd(assetId, id => new Hold(id));

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (!Holds.IsEmpty
            && context.MethodName == nameof(IFleetInternal.ReportPartitionAsync)
            && context.Request.GetArgument(0) is PartitionSummary summary)
        {
            foreach (var assetId in summary.StatusChanges.Select(c => c.AssetId).Concat(summary.MembershipChanges.Select(c => c.AssetId)))
            {
                if (Holds.TryGetValue(assetId, out var hold))
                {
                    hold.Reached.TrySetResult();
                    await hold.Released.Task;
                    break;
                }
            }
        }

        await context.Invoke();
    }

    public sealed class Hold(string assetId) : IDisposable
    {
        /// <summary>Completes when a report with the asset's status change is being held.</summary>
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Dispose()
        {
            Holds.TryRemove(assetId, out _);
            Released.TrySetResult();
        }
    }
}
