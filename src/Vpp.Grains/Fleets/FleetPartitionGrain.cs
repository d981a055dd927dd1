using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Domain.Fleets;

namespace Vpp.Grains.Fleets;

[GenerateSerializer]
public sealed class PartitionState
{
    [Id(0)] public HashSet<string> Members { get; set; } = [];
}

/// <summary>
/// A slice of a fleet. Keeps each member's status and capability (pushed by the assets), sums them into a supply
/// curve for the fleet, and turns the fleet's dispatch plans into setpoints for its members.
/// </summary>
public sealed partial class FleetPartitionGrain(
    [PersistentState("fleetPartition", VppOptions.StorageName)] IPersistentState<PartitionState> state,
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    IOptions<VppOptions> options,
    ILogger<FleetPartitionGrain> logger) : Grain, IFleetPartitionGrain
{
    private sealed class Member(string assetId, IAssetGrain asset)
    {
        public string AssetId { get; } = assetId;
        public IAssetGrain Asset { get; } = asset; // resolved once: a string-keyed lookup per call costs more than the call
        public MemberReport Report { get; set; } = new(AssetStatus.Offline, Capability.None, null);
        public double AcceptedKw { get; set; }

        // Progress of the dispatch being run, kept on the member rather than in dictionaries keyed by asset id:
        // a dispatch touches every member, and hashing 100,000 ids per round is measurable.
        public string? DispatchId { get; set; }
        public bool InDispatch { get; set; }
        public Capability Residual { get; set; } = Capability.None;
        public double DispatchAcceptedKw { get; set; }

        public void LeaveDispatch()
        {
            InDispatch = false;
            DispatchAcceptedKw = 0;
        }
    }

    /// <summary>One setpoint sent in a round: what was asked and the pending acknowledgement.</summary>
    private readonly record struct SentSetpoint(Member Member, double RequestedKw, ValueTask<SetpointAck> Ack);

    private readonly VppOptions _options = options.Value;
    private readonly Dictionary<string, Member> _members = [];
    private readonly List<StatusChange> _pendingStatusChanges = [];
    private readonly List<MembershipChange> _pendingMembershipChanges = [];
    private string? _dispatchId;
    private IFleetGrain _fleet = null!;
    private CoalescingWriter _writer = null!;
    private bool _dirty;
    // A flag, not the loop's task: the loop can run to its end synchronously (when the fleet answers before we reach
    // an await), and a `task ??=` assignment would then store a finished task after the loop's finally had cleared
    // it — and no report would ever be sent again.
    private bool _flushRunning;
    private List<TaskCompletionSource>? _reportWaiters;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _fleet = GrainFactory.GetGrain<IFleetGrain>(FleetPartitioning.FleetIdOf(this.GetPrimaryKeyString()));
        _writer = new CoalescingWriter(() => state.WriteStateAsync());
        foreach (var assetId in state.State.Members)
        {
            _members[assetId] = new Member(assetId, GrainFactory.GetGrain<IAssetGrain>(assetId));
        }

        // Capabilities are live data, not stored here: ask the members (this activates them after a restart).
        var reads = _members.Select(async pair => (pair.Key, Report: await pair.Value.Asset.GetMemberReportAsync())).ToList();
        foreach (var (assetId, report) in await Task.WhenAll(reads))
        {
            if (report is { } r)
            {
                _members[assetId].Report = r;
                _members[assetId].AcceptedKw = r.SetpointKw ?? 0;
            }
        }
    }

    public async Task JoinAsync(string assetId, MemberReport report)
    {
        if (!_members.TryGetValue(assetId, out var member))
        {
            member = new Member(assetId, GrainFactory.GetGrain<IAssetGrain>(assetId));
            _members[assetId] = member;
            state.State.Members.Add(assetId);
            _pendingMembershipChanges.Add(new MembershipChange(assetId, Joined: true, clock.GetUtcNow(), LostKw: 0));
            member.Report = report;
            member.AcceptedKw = report.SetpointKw ?? 0;
            await _writer.WriteAsync();

            // The first asset makes the fleet exist: once the PUT answers, GET fleet must find it. Waiting is safe
            // here because a new member is not in any dispatch this partition could be running.
            await ReportedAsync();
            return;
        }

        member.Report = report;
        member.AcceptedKw = report.SetpointKw ?? 0;
        MarkDirty();
    }

    public async Task LeaveAsync(string assetId)
    {
        if (!_members.Remove(assetId, out var member))
        {
            return;
        }

        state.State.Members.Remove(assetId);
        member.LeaveDispatch();
        var lostKw = member.Report.Status == AssetStatus.Online ? member.AcceptedKw : 0;
        _pendingMembershipChanges.Add(new MembershipChange(assetId, Joined: false, clock.GetUtcNow(), lostKw));
        await _writer.WriteAsync();
        MarkDirty();
    }

    public Task UpdateMemberAsync(string assetId, MemberReport report, StatusChange? statusChange)
    {
        if (_members.TryGetValue(assetId, out var member))
        {
            member.Report = report;
            if (report.Status != AssetStatus.Online)
            {
                member.AcceptedKw = 0;
                member.LeaveDispatch();
            }

            if (statusChange is not null)
            {
                _pendingStatusChanges.Add(statusChange);
            }

            MarkDirty();
        }

        return Task.CompletedTask;
    }

    public Task<PartitionSummary> GetSummaryAsync() => Task.FromResult(BuildSummary(withChanges: false));

    public async Task<PartitionRoundResult> DispatchRoundAsync(PartitionRoundRequest request)
    {
        var firstRound = request.Round <= 1 || _dispatchId != request.DispatchId;
        if (firstRound)
        {
            _dispatchId = request.DispatchId;
            foreach (var member in _members.Values)
            {
                member.DispatchId = request.DispatchId;
                member.InDispatch = member.Report.Status == AssetStatus.Online;
                member.Residual = member.Report.Capability;
                member.DispatchAcceptedKw = 0;
                if (!member.InDispatch)
                {
                    member.AcceptedKw = 0;
                }
            }
        }

        // Issue every call first, then read the acknowledgements: the assets work in parallel across the silo.
        var sent = new List<SentSetpoint>(_members.Count);
        foreach (var member in _members.Values)
        {
            if (!InThisDispatch(member, request.DispatchId))
            {
                continue;
            }

            var requestedKw = request.Plan.SetpointFor(member.Residual);
            if (!firstRound && Math.Abs(requestedKw - member.Residual.PreferredKw) <= Capability.ToleranceKw)
            {
                continue; // unchanged since its last acknowledgement
            }

            sent.Add(new SentSetpoint(member, requestedKw, member.Asset.ApplySetpointAsync(requestedKw)));
        }

        int acknowledged = 0, unacknowledged = 0, clamped = 0;
        var setpoints = request.IncludeSetpoints ? new List<AssetSetpoint>(sent.Count) : null;
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.SetpointAckTimeout.TotalSeconds * Stopwatch.Frequency);
        var timedOut = false;
        // Members may change while we wait (they interleave): use what was sent, not a fresh lookup.
        foreach (var (member, requestedKw, ack) in sent)
        {
            var (answered, result) = await ReadAcknowledgementAsync(member.AssetId, ack, deadline, timedOut);
            timedOut |= !answered && Stopwatch.GetTimestamp() >= deadline;
            if (answered && result.Accepted)
            {
                acknowledged++;
                if (Math.Abs(requestedKw - result.AcceptedKw) > Capability.ToleranceKw)
                {
                    clamped++;
                }

                member.Report = member.Report with { Capability = result.CapabilityAfter, SetpointKw = result.AcceptedKw };
                member.AcceptedKw = result.AcceptedKw;
                member.DispatchAcceptedKw = result.AcceptedKw;
                member.Residual = result.CapabilityAfter.ResidualAfter(result.AcceptedKw);
                setpoints?.Add(new AssetSetpoint(member.AssetId, result.AcceptedKw));
            }
            else
            {
                // Refused, failed or too late: it delivers nothing we can count on; the others pick up its share.
                unacknowledged++;
                member.AcceptedKw = 0;
                member.LeaveDispatch();
            }
        }

        if (timedOut)
        {
            LogAckTimeout(this.GetPrimaryKeyString(), _options.SetpointAckTimeout.TotalMilliseconds);
        }

        double acceptedKw = 0;
        var residualCurve = new SupplyCurve();
        foreach (var member in _members.Values)
        {
            if (InThisDispatch(member, request.DispatchId))
            {
                acceptedKw += member.DispatchAcceptedKw;
                residualCurve.Add(member.Residual);
            }
        }

        return new PartitionRoundResult(
            acceptedKw,
            [.. residualCurve.Levels],
            acknowledged,
            unacknowledged,
            clamped,
            setpoints is null ? [] : [.. setpoints]);
    }

    /// <summary>A member that joined after the dispatch's first round, or dropped out of it, is not part of it.</summary>
    private static bool InThisDispatch(Member member, string dispatchId) =>
        member.InDispatch && member.DispatchId == dispatchId;

    /// <summary>
    /// Reads one acknowledgement, waiting at most until the round's deadline. All calls were issued before the first
    /// is read, so by then most have completed and are read without waiting: cheaper than a Task per call and one
    /// WhenAll. Once the deadline has passed, pending calls are no longer waited for.
    /// </summary>
    private async ValueTask<(bool Answered, SetpointAck Ack)> ReadAcknowledgementAsync(
        string assetId, ValueTask<SetpointAck> ack, long deadline, bool deadlinePassed)
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
                ObserveLateFailure(assetId, pending);
                return (false, default);
            }

            try
            {
                return (true, await pending.WaitAsync(remaining));
            }
            catch (TimeoutException)
            {
                ObserveLateFailure(assetId, pending);
                return (false, default);
            }
        }
        catch (Exception ex)
        {
            LogAckFailed(assetId, ex.GetBaseException().Message);
            return (false, default);
        }
    }

    private void ObserveLateFailure(string assetId, Task<SetpointAck> ack)
    {
        if (ack.IsFaulted)
        {
            LogAckFailed(assetId, ack.Exception?.GetBaseException().Message);
        }
        else if (!ack.IsCompleted)
        {
            _ = ack.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        }
    }

    /// <summary>Completes once a report made after this call has reached the fleet.</summary>
    private Task ReportedAsync()
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        (_reportWaiters ??= []).Add(waiter);
        MarkDirty();
        return waiter.Task;
    }

    private void MarkDirty()
    {
        _dirty = true;
        if (!_flushRunning)
        {
            _flushRunning = true;
            _ = FlushLoopAsync();
        }
    }

    /// <summary>
    /// Pushes the summary up. At most one report is in flight per partition; changes that arrive meanwhile are
    /// coalesced into the next one, so a burst of telemetry never floods the fleet grain.
    /// </summary>
    private async Task FlushLoopAsync()
    {
        var failures = 0;
        try
        {
            while (_dirty)
            {
                _dirty = false;
                var summary = BuildSummary(withChanges: true);
                var waiters = _reportWaiters;
                _reportWaiters = null;
                try
                {
                    await _fleet.ReportPartitionAsync(summary);
                    failures = 0;
                    waiters?.ForEach(w => w.TrySetResult());
                }
                catch (Exception ex) when (failures < 5)
                {
                    failures++;
                    LogReportFailed(this.GetPrimaryKeyString(), failures, ex.Message);
                    _pendingStatusChanges.InsertRange(0, summary.StatusChanges);
                    _pendingMembershipChanges.InsertRange(0, summary.MembershipChanges);
                    if (waiters is not null)
                    {
                        (_reportWaiters ??= []).AddRange(waiters);
                    }

                    _dirty = true;
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * failures));
                }
                catch (Exception ex)
                {
                    // Give up for now; the changes stay queued and go up with the next change.
                    LogReportFailed(this.GetPrimaryKeyString(), failures + 1, ex.Message);
                    _pendingStatusChanges.InsertRange(0, summary.StatusChanges);
                    _pendingMembershipChanges.InsertRange(0, summary.MembershipChanges);
                    waiters?.ForEach(w => w.TrySetException(ex));
                    return;
                }
            }
        }
        finally
        {
            _flushRunning = false;
        }
    }

    private PartitionSummary BuildSummary(bool withChanges)
    {
        var curve = new SupplyCurve();
        int online = 0;
        double allocatedKw = 0, infeasibleKw = 0;
        foreach (var member in _members.Values)
        {
            if (member.Report.Status == AssetStatus.Online)
            {
                online++;
                var capability = member.Report.Capability;
                curve.Add(capability);
                allocatedKw += member.AcceptedKw;
                infeasibleKw += Math.Max(0, member.AcceptedKw - capability.MaxKw) + Math.Max(0, capability.MinKw - member.AcceptedKw);
            }
        }

        StatusChange[] statusChanges = [];
        MembershipChange[] membershipChanges = [];
        if (withChanges)
        {
            statusChanges = [.. _pendingStatusChanges];
            membershipChanges = [.. _pendingMembershipChanges];
            _pendingStatusChanges.Clear();
            _pendingMembershipChanges.Clear();
        }

        return new PartitionSummary(
            this.GetPrimaryKeyString(), _members.Count, online, [.. curve.Levels], allocatedKw, statusChanges, membershipChanges, infeasibleKw);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: not every asset acknowledged within {TimeoutMs} ms")]
    private partial void LogAckTimeout(string partition, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Asset {AssetId} failed to acknowledge a setpoint: {Error}")]
    private partial void LogAckFailed(string assetId, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition} could not report to its fleet (attempt {Attempt}): {Error}")]
    private partial void LogReportFailed(string partition, int attempt, string error);
}
