using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Domain.Fleets;
using Vpp.Domain.Schedules;
using Vpp.Grains.Assets;
using Vpp.Grains.Storage;

namespace Vpp.Grains.Fleets;

[GenerateSerializer]
public sealed class PartitionState
{
    [Id(0)] public HashSet<string> Members { get; set; } = [];
}

/// <summary>
/// A slice of a fleet. Keeps each member's status and capability (pushed by the assets), sums them into a supply
/// curve for the fleet, and turns the fleet's dispatch plans into setpoints for its members. Its reminder is the
/// durable half of the offline watchdog: one per partition, not one per asset, so 100,000 assets cost a few
/// hundred reminder rows, registered once a member is online; after a restart it wakes the members that were online so
/// their watchdogs run again.
/// </summary>
public sealed partial class FleetPartitionGrain(
    [PersistentState("fleetPartition", VppOptions.StorageName)] IPersistentState<PartitionState> state,
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    [FromKeyedServices(VppOptions.StorageName)] IGrainStorage storage,
    IOptions<VppOptions> options,
    ILogger<FleetPartitionGrain> logger) : Grain, IFleetPartitionGrain, IRemindable
{
    private readonly VppOptions _options = options.Value;
    private readonly Dictionary<string, PartitionMember> _members = [];
    private IFleetInternal _fleet = null!;
    private CoalescingWriter _writer = null!;
    private PartitionReporter _reporter = null!;

    // Members whose report could not be read: counted offline meanwhile, asked again until they answer (a steady
    // online asset may have nothing to report by itself for a long time).
    private RetryUntilAnswered _unreadMembers = null!;

    // Joins and leaves not yet stored, re-applied to a re-read state when a write meets a concurrent change.
    private readonly HashSet<string> _unstoredJoins = [];
    private readonly HashSet<string> _unstoredLeaves = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _fleet = GrainFactory.GetGrain<IFleetInternal>(FleetPartitioning.FleetIdOf(this.GetPrimaryKeyString()));
        _writer = new CoalescingWriter(WriteMembersAsync);
        _reporter = new PartitionReporter(
            (statusChanges, membershipChanges) => BuildSummary(statusChanges, membershipChanges, reported: true),
            _fleet.ReportPartitionAsync,
            (attempt, error) => LogReportFailed(this.GetPrimaryKeyString(), attempt, error.Message));
        _unreadMembers = new RetryUntilAnswered(this, _options.UnansweredRetryInterval, RefreshMembersAsync);

        // Every message to this partition waits for its activation, so a slow step is logged by name (wall time).
        var started = Stopwatch.GetTimestamp();
        await RestoreMetersAsync();
        var metersRead = Stopwatch.GetTimestamp();
        foreach (var assetId in state.State.Members)
        {
            _members[assetId] = new PartitionMember(assetId, GrainFactory.AssetMember(assetId));
        }

        // Capabilities are live data, not stored here: ask the members (this activates them after a restart, and an
        // activated online asset arms its silence watchdog).
        await RefreshMembersAsync(_members.Keys.ToList());
        var membersRead = Stopwatch.GetTimestamp();
        if (_members.Count > 0)
        {
            await WatchOnlineMembersAsync();

            // The fleet still holds what the previous activation reported; members that could not be read now count
            // as offline here, which the refresh alone would not report (offline is also where a new member starts).
            _reporter.Changed();
        }

        if (Stopwatch.GetElapsedTime(started) > SlowActivation)
        {
            LogSlowActivation(this.GetPrimaryKeyString(), _members.Count, Stopwatch.GetElapsedTime(started, metersRead).TotalMilliseconds,
                Stopwatch.GetElapsedTime(metersRead, membersRead).TotalMilliseconds, Stopwatch.GetElapsedTime(membersRead).TotalMilliseconds);
        }
    }

    private static readonly TimeSpan SlowActivation = TimeSpan.FromSeconds(2);

    private async Task RefreshMembersAsync(IReadOnlyList<string> assetIds)
    {
        var reads = assetIds.Select(async assetId =>
        {
            try
            {
                return (assetId, Report: await _members[assetId].Asset.GetMemberReportAsync(), Failed: false);
            }
            catch (Exception ex)
            {
                // One asset whose state cannot be read (corrupt row, storage hiccup) must not take its partition down.
                LogMemberUnreadable(this.GetPrimaryKeyString(), assetId, ex.GetBaseException().Message);
                return (assetId, Report: (MemberReport?)null, Failed: true);
            }
        }).ToList();

        var changed = false;
        foreach (var (assetId, report, failed) in await Task.WhenAll(reads))
        {
            if (!_members.TryGetValue(assetId, out var member))
            {
                _unreadMembers.Remove(assetId);
                continue; // left while we asked
            }

            if (failed)
            {
                _unreadMembers.Add(assetId);
            }
            else
            {
                _unreadMembers.Remove(assetId);
            }

            var next = report ?? (failed ? member.Report with { Status = AssetStatus.Offline, Capability = Capability.None } : null);
            if (next is { } r && r != member.Report)
            {
                member.Report = r;
                member.AcceptedKw = r.Status == AssetStatus.Online ? r.SetpointKw ?? 0 : 0;
                if (r.Status != AssetStatus.Online)
                {
                    member.LeaveDispatch();
                }

                changed = true;
            }
        }

        if (changed)
        {
            _reporter.Changed();
        }
    }

    /// <summary>
    /// Membership calls interleave, and a storage provider may serialise the state off this grain's scheduler while
    /// the write is in flight: each write therefore stores a fresh snapshot that nothing mutates afterwards.
    /// </summary>
    private async Task WriteMembersAsync()
    {
        var joins = _unstoredJoins.ToArray();
        var leaves = _unstoredLeaves.ToArray();
        state.State = new PartitionState { Members = [.. _members.Keys] };
        await state.WriteRecoveringAsync(
            () =>
            {
                // Someone else's members stay; ours are added or removed again on top.
                var merged = new HashSet<string>(state.State.Members);
                merged.UnionWith(joins);
                merged.ExceptWith(leaves);
                state.State = new PartitionState { Members = merged };
                foreach (var assetId in merged.Where(id => !_members.ContainsKey(id)))
                {
                    _members[assetId] = new PartitionMember(assetId, GrainFactory.AssetMember(assetId));
                }
            },
            this.GetGrainId(),
            logger);
        _unstoredJoins.ExceptWith(joins);
        _unstoredLeaves.ExceptWith(leaves);
    }

    public async Task JoinAsync(string assetId, MemberReport report)
    {
        if (!_members.TryGetValue(assetId, out var member))
        {
            member = new PartitionMember(assetId, GrainFactory.AssetMember(assetId));
            _members[assetId] = member;
            _unstoredJoins.Add(assetId);
            _unstoredLeaves.Remove(assetId);
            member.Report = report;
            member.AcceptedKw = report.SetpointKw ?? 0;
            await _writer.WriteAsync();
            if (report.Status == AssetStatus.Online)
            {
                await EnsureWatchdogReminderAsync();
            }

            // The first asset makes the fleet exist: once the PUT answers, GET fleet must find it. Waiting is safe
            // here because a new member is not in any dispatch this partition could be running.
            _reporter.MembershipChanged(new MembershipChange(assetId, Joined: true, clock.GetUtcNow(), LostKw: 0));
            await _reporter.ReportedAsync();
            return;
        }

        member.Report = report;
        member.AcceptedKw = report.SetpointKw ?? 0;
        _reporter.Changed();
        if (report.Status == AssetStatus.Online)
        {
            await EnsureWatchdogReminderAsync();
        }
    }

    public async Task LeaveAsync(string assetId)
    {
        _unreadMembers.Remove(assetId);
        if (!_members.Remove(assetId, out var member))
        {
            return;
        }

        _unstoredLeaves.Add(assetId);
        _unstoredJoins.Remove(assetId);
        member.LeaveDispatch();
        var lostKw = member.Report.Status == AssetStatus.Online ? member.AcceptedKw : 0;
        await _writer.WriteAsync();
        _reporter.MembershipChanged(new MembershipChange(assetId, Joined: false, clock.GetUtcNow(), lostKw));
    }

    public Task UpdateMemberAsync(string assetId, MemberReport report, StatusChange? statusChange)
    {
        if (!_members.ContainsKey(assetId) && _joining?.ContainsKey(assetId) == true)
        {
            _joining[assetId] = report; // its row is stored, its join not yet: it joins with this report
        }

        if (_members.TryGetValue(assetId, out var member))
        {
            _unreadMembers.Remove(assetId); // it answered by itself
            Meter(assetId, report, member.AcceptedKw);
            if (statusChange is null && OnlyMeasurementDiffers(member.Report, report))
            {
                member.Report = report;
                OnMeasurementChanged();
                return Task.CompletedTask;
            }

            member.Report = report;
            if (report.MeasuredAt is not null)
            {
                WatchMeasurements();
            }

            if (report.Status != AssetStatus.Online)
            {
                member.AcceptedKw = 0;
                member.LeaveDispatch();
            }
            else
            {
                // Not awaited: the member stored its status itself, and a registration that fails is logged and tried
                // again with the next online report or activation.
                _ = EnsureWatchdogReminderAsync();
            }

            if (statusChange is not null)
            {
                _reporter.StatusChanged(statusChange);
            }
            else
            {
                _reporter.Changed();
            }
        }

        return Task.CompletedTask;
    }

    public Task<PartitionSummary> GetSummaryAsync() => Task.FromResult(BuildSummary([], [], reported: false));

    /// <summary>
    /// The partition's summary with the given status and membership changes; <paramref name="reported"/> when it is
    /// the report that goes up (the measured counts it carries are then the ones the fleet knows).
    /// </summary>
    private PartitionSummary BuildSummary(StatusChange[] statusChanges, MembershipChange[] membershipChanges, bool reported)
    {
        var curve = new SupplyCurve();
        int online = 0;
        double allocatedKw = 0, infeasibleKw = 0, rampKwPerSecond = 0;
        var batteries = new BatteryPool(_options.GridServices.FcrActivationTime);
        var registered = new RegisteredCapability(_options.GridServices.FcrActivationTime);
        foreach (var member in _members.Values)
        {
            registered.Add(member.Report);
            if (member.Report.Status == AssetStatus.Online)
            {
                online++;
                batteries.Add(member.Report);
                var capability = member.Report.Capability;
                curve.Add(capability);
                allocatedKw += member.AcceptedKw;
                rampKwPerSecond += member.Report.RampKwPerSecond;
                infeasibleKw += Math.Max(0, member.AcceptedKw - capability.MaxKw) + Math.Max(0, capability.MinKw - member.AcceptedKw);
            }
        }

        var measured = Measure(reported);

        // Only online batteries can carry a schedule; their energy is what the fleet checks schedules against.
        var storage = StoragePool.Sum(_members.Values.Where(m => m.Report.Status == AssetStatus.Online).Select(m => m.Report.Battery?.Storage));
        var (socShifts, socBalance) = SocManagementSummary();
        return new PartitionSummary(
            this.GetPrimaryKeyString(), _members.Count, online, [.. curve.Levels], allocatedKw, statusChanges, membershipChanges, infeasibleKw,
            rampKwPerSecond,
            new PartitionMeasurement(measured.Kw, measured.Count, measured.StaleCount, measured.LatestAt),
            new PartitionBatteries(
                batteries.UsableKwh, batteries.StoredKwh, batteries.PowerKw, batteries.FcrReserveKw, batteries.FcrReserveNowKw, storage, socShifts, socBalance),
            new PartitionRegistration(
                registered.MinKw, registered.MaxKw, registered.Batteries.PowerKw, registered.Batteries.FcrReserveKw, registered.Batteries.UsableKwh));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: member {AssetId} could not report (counted offline): {Error}")]
    private partial void LogMemberUnreadable(string partition, string assetId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition} took long to activate ({Members} members): meters read {MetersMs:F0} ms, members asked {MembersMs:F0} ms, watchdog reminder {ReminderMs:F0} ms")]
    private partial void LogSlowActivation(string partition, int members, double metersMs, double membersMs, double reminderMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition} could not report to its fleet (attempt {Attempt}): {Error}")]
    private partial void LogReportFailed(string partition, int attempt, string error);
}
