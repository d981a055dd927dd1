using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Pushes a partition's summary up to its fleet. At most one report is in flight per partition; changes that arrive
/// meanwhile are coalesced into the next one, so a burst of telemetry never floods the fleet grain. The status and
/// membership changes a report carries are not lost when it fails: they go up with the next one. Called only in the
/// partition grain's turns (the loop's continuations run on its scheduler).
/// </summary>
/// <param name="build">Builds the summary carrying these changes.</param>
/// <param name="send">Sends a summary to the fleet.</param>
/// <param name="failed">Told of each failed report (attempt number, error).</param>
/// <param name="maxRetries">Failed reports tried again (with a growing pause) before the loop waits for the next change.</param>
public sealed class PartitionReporter(
    Func<StatusChange[], MembershipChange[], PartitionSummary> build,
    Func<PartitionSummary, Task> send,
    Action<int, Exception> failed,
    int maxRetries = 5)
{
    private readonly List<StatusChange> _statusChanges = [];
    private readonly List<MembershipChange> _membershipChanges = [];
    private List<TaskCompletionSource>? _waiters;
    private bool _dirty;

    // A flag, not the loop's task: the loop can run to its end synchronously (when the fleet answers before we reach
    // an await), and a `task ??=` assignment would then store a finished task after the loop's finally had cleared
    // it — and no report would ever be sent again.
    private bool _running;

    /// <summary>Something in the summary changed: a report goes up soon.</summary>
    public void Changed()
    {
        _dirty = true;
        if (!_running)
        {
            _running = true;
            _ = RunAsync();
        }
    }

    public void StatusChanged(StatusChange change)
    {
        _statusChanges.Add(change);
        Changed();
    }

    public void MembershipChanged(MembershipChange change)
    {
        _membershipChanges.Add(change);
        Changed();
    }

    /// <summary>Completes once a report made after this call has reached the fleet (faults when reporting gave up).</summary>
    public Task ReportedAsync()
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        (_waiters ??= []).Add(waiter);
        Changed();
        return waiter.Task;
    }

    private async Task RunAsync()
    {
        var failures = 0;
        try
        {
            while (_dirty)
            {
                _dirty = false;
                var summary = build([.. _statusChanges], [.. _membershipChanges]);
                _statusChanges.Clear();
                _membershipChanges.Clear();
                var waiters = _waiters;
                _waiters = null;
                try
                {
                    await send(summary);
                    failures = 0;
                    waiters?.ForEach(w => w.TrySetResult());
                }
                catch (Exception ex) when (failures < maxRetries)
                {
                    failures++;
                    failed(failures, ex);
                    Requeue(summary);
                    if (waiters is not null)
                    {
                        (_waiters ??= []).AddRange(waiters);
                    }

                    _dirty = true;
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * failures));
                }
                catch (Exception ex)
                {
                    // Give up for now; the changes stay queued and go up with the next change.
                    failed(failures + 1, ex);
                    Requeue(summary);
                    waiters?.ForEach(w => w.TrySetException(ex));
                    return;
                }
            }
        }
        finally
        {
            _running = false;
        }
    }

    private void Requeue(PartitionSummary summary)
    {
        _statusChanges.InsertRange(0, summary.StatusChanges);
        _membershipChanges.InsertRange(0, summary.MembershipChanges);
    }
}
