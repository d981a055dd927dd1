using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Grains.Assets;

namespace Vpp.Grains.Fleets;

/// <summary>
/// Bulk registration without an activation per asset. The partition writes each new asset's row itself, insert-only (no
/// version: a row that exists is never overwritten, and that asset goes through its own grain instead), then joins them
/// all at once: one membership write, one report to the fleet. The asset grain activates on first use and reads its
/// row like any registered asset; an activation that was already up with no registration does not outlive its call
/// (<see cref="AssetGrain.Invoke"/>).
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
            var writes = fresh.Select(async item =>
            {
                try
                {
                    var row = new GrainState<AssetState>(AssetState.Registered(item.Spec, partitionKey)); // no ETag: insert only
                    await storage.WriteStateAsync(AssetState.StateName, GrainFactory.GetGrain<IAssetGrain>(item.AssetId).GetGrainId(), row);
                    return (item, Outcome: (bool?)true, Error: (Exception?)null);
                }
                catch (InconsistentStateException)
                {
                    return (item, Outcome: (bool?)false, Error: (Exception?)null); // a row exists: not new
                }
                catch (Exception ex)
                {
                    return (item, Outcome: (bool?)null, Error: ex);
                }
            }).ToList();
            foreach (var (item, outcome, error) in await Task.WhenAll(writes))
            {
                switch (outcome)
                {
                    case true:
                        stored.Add((item, _joining[item.AssetId]));
                        break;
                    case false:
                        existing.Add(item.AssetId);
                        break;
                    default:
                        failed.Add(item.AssetId);
                        failure ??= error is StorageUnavailableException ? error.Message : "storage did not take the asset; send it again";
                        LogBulkRowFailed(partitionKey, item.AssetId, error!.GetBaseException().Message);
                        break;
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
            _members[item.AssetId] = new PartitionMember(item.AssetId, GrainFactory.GetGrain<IAssetMember>(item.AssetId))
            {
                Report = report,
                AcceptedKw = report.Status == AssetStatus.Online ? report.SetpointKw ?? 0 : 0,
            };
            _unstoredJoins.Add(item.AssetId);
            _unstoredLeaves.Remove(item.AssetId);
            joined.Add(item.AssetId);
        }

        await _writer.WriteAsync();
        await EnsureWatchdogReminderAsync();
        foreach (var assetId in joined)
        {
            _reporter.MembershipChanged(new MembershipChange(assetId, Joined: true, now, LostKw: 0));
        }

        // Once the batch answers, GET fleet must count these assets (and find the fleet when they are its first).
        await _reporter.ReportedAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: bulk registration could not store asset {AssetId} (answered as retryable): {Error}")]
    private partial void LogBulkRowFailed(string partition, string assetId, string error);
}
