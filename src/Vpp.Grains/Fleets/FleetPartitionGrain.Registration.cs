using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Grains.Assets;
using Vpp.Grains.Diagnostics;
using Vpp.Grains.Storage;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Bulk registration without an activation per asset. The partition writes its new assets' rows itself, in one
/// insert-only batch (<see cref="IInsertOnlyGrainStorage"/>: a row that exists is never overwritten, and that asset goes
/// through its own grain instead), then joins them all at once: one membership write, one report to the fleet. A batch
/// the storage refuses is answered retryable for each of its new assets. The asset grain activates on first use and
/// reads its row like any registered asset; an activation that was already up with no registration does not outlive
/// its call (<see cref="AssetGrain.Invoke"/>).
/// </summary>
public sealed partial class FleetPartitionGrain
{
    // Assets whose rows are being stored by a bulk registration, with the report one of them sent meanwhile (it may
    // activate, by telemetry, between its row and its join): the join keeps what it said instead of the registered default.
    private Dictionary<string, MemberReport?>? _joining;

    public async Task<BulkJoinResult> RegisterNewAsync(AssetRegistration[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var partitionKey = this.GetPrimaryKeyString();
        var existing = new List<string>();
        var fresh = new List<AssetRegistration>();
        _joining ??= [];
        foreach (var item in items)
        {
            if (_members.ContainsKey(item.AssetId) || !_joining.TryAdd(item.AssetId, null))
            {
                existing.Add(item.AssetId); // registered here already, or in another call's batch right now
            }
            else
            {
                fresh.Add(item);
            }
        }

        var failed = new List<string>();
        string? failure = null;
        var stored = new List<(AssetRegistration Item, MemberReport? Reported)>();
        try
        {
            // One insert-only batch for the partition's new rows (one statement or one transaction, per storage).
            var rows = new (GrainId, AssetState)[fresh.Count];
            for (var i = 0; i < fresh.Count; i++)
            {
                rows[i] = (GrainFactory.AssetGrainId(fresh[i].AssetId), AssetState.Registered(fresh[i].Spec, partitionKey));
            }

            bool[] inserted;
            var started = Stopwatch.GetTimestamp();
            try
            {
                inserted = rows.Length == 0 ? [] : await InsertOnlyStorage.InsertNewAsync(storage, AssetState.StateName, rows);
                VppMetrics.BulkStep("rows", started);
            }
            catch (Exception ex)
            {
                inserted = [];
                failed.AddRange(fresh.Select(item => item.AssetId));
                failure = ex is StorageUnavailableException ? ex.Message : "storage did not take the assets; send them again";
                LogBulkRowsFailed(partitionKey, fresh.Count, ex.GetBaseException().Message);
            }

            for (var i = 0; i < inserted.Length; i++)
            {
                if (inserted[i])
                {
                    stored.Add((fresh[i], _joining[fresh[i].AssetId]));
                }
                else
                {
                    existing.Add(fresh[i].AssetId); // a row exists: not new
                }
            }
        }
        finally
        {
            foreach (var item in fresh)
            {
                _joining.Remove(item.AssetId);
            }
        }

        if (stored.Count > 0)
        {
            await JoinRegisteredAsync(stored);
        }

        return new BulkJoinResult([.. existing], [.. failed], failure);
    }

    /// <summary>Joins assets whose rows were just stored; durable (membership written, fleet told) when it returns.</summary>
    private async Task JoinRegisteredAsync(List<(AssetRegistration Item, MemberReport? Reported)> stored)
    {
        var now = clock.GetUtcNow();
        var registeredLive = new AssetLiveState();
        var joined = new List<string>(stored.Count);
        foreach (var (item, reported) in stored)
        {
            if (_members.ContainsKey(item.AssetId))
            {
                continue; // its own grain joined meanwhile (a single registration racing the batch): that report is newer
            }

            var report = reported ?? AssetGrain.ReportOf(item.Spec, registeredLive, now, _options, outages: null);
            _members[item.AssetId] = new PartitionMember(item.AssetId, GrainFactory.AssetMember(item.AssetId))
            {
                Report = report,
                AcceptedKw = report.Status == AssetStatus.Online ? report.SetpointKw ?? 0 : 0,
            };
            _unstoredJoins.Add(item.AssetId);
            _unstoredLeaves.Remove(item.AssetId);
            joined.Add(item.AssetId);
        }

        var started = Stopwatch.GetTimestamp();
        await _writer.WriteAsync();
        await WatchOnlineMembersAsync();
        VppMetrics.BulkStep("membership", started);
        foreach (var assetId in joined)
        {
            _reporter.MembershipChanged(new MembershipChange(assetId, Joined: true, now, LostKw: 0));
        }

        // Once the batch answers, GET fleet must count these assets (and find the fleet when they are its first).
        started = Stopwatch.GetTimestamp();
        await _reporter.ReportedAsync();
        VppMetrics.BulkStep("report", started);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: bulk registration could not store {Count} new assets' rows (answered as retryable): {Error}")]
    private partial void LogBulkRowsFailed(string partition, int count, string error);
}
