using System.Text;
using Microsoft.Extensions.Logging;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;
using Vpp.Grains.Storage;

namespace Vpp.Grains.Assets;

/// <summary>
/// Membership when an asset moves to another fleet: it joins the new partition first, then leaves the old one. A
/// leave that fails is not forgotten — the old partition is kept in the asset's state and asked again until it lets
/// go — and meanwhile the asset answers the old partition as a partition it no longer belongs to: setpoints refused,
/// its report "offline, nothing to offer". So two fleets never dispatch the same asset.
/// </summary>
public sealed partial class AssetGrain : IIncomingGrainCallFilter
{
    private static readonly GrainType PartitionGrainType = GrainType.Create("fleetpartition");
    private static readonly SetpointAck NotAMember = new(false, 0, Capability.None);
    private static readonly MemberReport GoneFromPartition = new(AssetStatus.Offline, Capability.None, null);

    // Created when a leave is pending: an asset that never moves fleets (nearly all) holds no retry state.
    private RetryUntilAnswered? _leaving;

    private RetryUntilAnswered Leaving => _leaving ??= new RetryUntilAnswered(this, _options.UnansweredRetryInterval, LeavePartitionsAsync);

    private void ResumeLeaving()
    {
        foreach (var partition in state.State.LeavingPartitions)
        {
            Leaving.Add(partition);
        }
    }

    /// <summary>Leaves every partition this asset has moved away from; what fails is asked again on the retry timer.</summary>
    private Task LeavePreviousPartitionsAsync() => LeavePartitionsAsync([.. state.State.LeavingPartitions]);

    private async Task LeavePartitionsAsync(IReadOnlyList<string> partitions)
    {
        var left = new List<string>();
        foreach (var partition in partitions)
        {
            try
            {
                await Partition(partition).LeaveAsync(AssetId);
                left.Add(partition);
                _leaving?.Remove(partition);
            }
            catch (Exception ex)
            {
                LogLeaveFailed(AssetId, partition, ex.GetBaseException().Message);
                Leaving.Add(partition);
            }
        }

        if (left.Count > 0 && state.State.LeavingPartitions.Overlaps(left))
        {
            state.State.LeavingPartitions.ExceptWith(left);
            await state.WriteRecoveringAsync(() => state.State.LeavingPartitions.ExceptWith(left), this.GetGrainId(), logger);
        }
    }

    /// <summary>
    /// Answers a partition that is not this asset's own without running the call (see the class remarks). An activation
    /// that holds no registration after a call does not stay: a bulk registration writes an unregistered asset's row
    /// without activating it (<see cref="Fleets.FleetPartitionGrain.RegisterNewAsync"/>), and the next activation
    /// reads that row instead of answering "not registered" from memory.
    /// </summary>
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await InvokeAsMemberAsync(context);
        }
        finally
        {
            if (Spec is null)
            {
                DeactivateOnIdle();
            }
        }
    }

    private Task InvokeAsMemberAsync(IIncomingGrainCallContext context)
    {
        if (context.SourceId is { } source && source.Type == PartitionGrainType
            && !IsKey(source.Key, state.State.PartitionKey))
        {
            switch (context.MethodName)
            {
                case nameof(IAssetMember.ApplySetpointAsync):
                    context.Result = NotAMember;
                    return Task.CompletedTask;
                case nameof(IAssetMember.GetMemberReportAsync):
                    context.Result = GoneFromPartition;
                    return Task.CompletedTask;
            }
        }

        return context.Invoke();
    }

    /// <summary>
    /// Whether a grain key is the given text, without making a string of the key (this runs on every setpoint): keys
    /// are UTF-8, and partition keys are ASCII unless a fleet id is not.
    /// </summary>
    private static bool IsKey(IdSpan key, string? text) =>
        text is not null && (Ascii.Equals(key.AsSpan(), text) || (!Ascii.IsValid(key.AsSpan()) && key.ToString() == text));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Asset {AssetId} could not leave its previous partition {Partition} (asked again; it refuses that partition's setpoints meanwhile): {Error}")]
    private partial void LogLeaveFailed(string assetId, string partition, string error);
}
