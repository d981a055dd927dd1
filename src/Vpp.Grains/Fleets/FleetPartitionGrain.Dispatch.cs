using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;

namespace Vpp.Grains.Fleets;

/// <summary>
/// The partition's side of a dispatch: turns each round's plan into setpoints for the members in the dispatch, issues
/// them all before reading the first acknowledgement, and reads them against one deadline.
/// </summary>
public sealed partial class FleetPartitionGrain
{
    /// <summary>One setpoint sent in a round: what was asked and the pending acknowledgement.</summary>
    private readonly record struct SentSetpoint(PartitionMember Member, double RequestedKw, ValueTask<SetpointAck> Ack);

    private Action<string, string?>? _ackFailed;

    /// <summary>Cached: it is passed for every member of every round.</summary>
    private Action<string, string?> AckFailed => _ackFailed ??= LogAckFailed;

    private string? _dispatchId;

    public async Task<PartitionRoundResult> DispatchRoundAsync(PartitionRoundRequest request)
    {
        var firstRound = request.Round <= 1 || _dispatchId != request.DispatchId;
        if (firstRound)
        {
            _dispatchId = request.DispatchId;
            NoteSocShare(request.SocManagementShare);
            foreach (var member in _members.Values)
            {
                member.DispatchId = request.DispatchId;
                member.BeforeDispatchKw = member.AcceptedKw;
                member.InDispatch = member.Report.Status == AssetStatus.Online;
                member.Residual = DispatchStart(member, request);
                member.DispatchAcceptedKw = 0;
                if (!member.InDispatch)
                {
                    member.AcceptedKw = 0;
                }
            }
        }

        // Issue every call first, then read the acknowledgements: the assets work in parallel across the silo.
        var round = new PartitionRound(request.Plan, firstRound);
        // Rented: otherwise every round of every dispatch leaves one array per partition for the garbage collector.
        var sent = ArrayPool<SentSetpoint>.Shared.Rent(_members.Count);
        try
        {
            return await ReadRoundAsync(request, round, sent, IssueSetpoints(request, round, sent));
        }
        finally
        {
            ArrayPool<SentSetpoint>.Shared.Return(sent, clearArray: true);
        }
    }

    /// <summary>Sends the round's changed setpoints to the members in the dispatch; returns how many were sent.</summary>
    private int IssueSetpoints(PartitionRoundRequest request, PartitionRound round, SentSetpoint[] sent)
    {
        var count = 0;
        foreach (var member in _members.Values)
        {
            if (!InThisDispatch(member, request.DispatchId))
            {
                continue;
            }

            if (round.RequestFor(member.Residual) is not { } requestedKw)
            {
                continue; // unchanged since its last acknowledgement
            }

            sent[count++] = new SentSetpoint(member, requestedKw, member.Asset.ApplySetpointAsync(requestedKw));
        }

        return count;
    }

    /// <summary>Reads the acknowledgements of the setpoints sent against one deadline and sums the round up.</summary>
    private async Task<PartitionRoundResult> ReadRoundAsync(PartitionRoundRequest request, PartitionRound round, SentSetpoint[] sent, int sentCount)
    {

        int acknowledged = 0, unacknowledged = 0, clamped = 0;
        var setpoints = request.IncludeSetpoints ? new List<AssetSetpoint>(sentCount) : null;
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.SetpointAckTimeout.TotalSeconds * Stopwatch.Frequency);
        var timedOut = false;
        // Members may change while we wait (they interleave): use what was sent, not a fresh lookup.
        for (var i = 0; i < sentCount; i++)
        {
            var (member, requestedKw, ack) = sent[i];
            var (answered, result) = await SetpointAcknowledgements.ReadAsync(member.AssetId, ack, deadline, timedOut, AckFailed);
            timedOut |= !answered && Stopwatch.GetTimestamp() >= deadline;
            if (answered && result.Accepted)
            {
                acknowledged++;
                if (SetpointOutcome.IsClamp(requestedKw, result.AcceptedKw))
                {
                    clamped++;
                }

                member.Report = member.Report with { Capability = result.CapabilityAfter, SetpointKw = result.AcceptedKw };
                member.AcceptedKw = result.AcceptedKw;
                member.DispatchAcceptedKw = result.AcceptedKw;
                member.Residual = PartitionRound.ResidualAfter(result.CapabilityAfter, result.AcceptedKw);
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

        var largest = new LargestChanges(MaxChangesReported);
        foreach (var member in _members.Values)
        {
            if (InThisDispatch(member, request.DispatchId))
            {
                round.Count(member.DispatchAcceptedKw, member.Residual);
                largest.Offer(member.AssetId, member.DispatchAcceptedKw - member.BeforeDispatchKw);
            }
        }

        return new PartitionRoundResult(
            round.AcceptedKw,
            [.. round.ResidualCurve],
            acknowledged,
            unacknowledged,
            clamped,
            setpoints is null ? [] : [.. setpoints],
            largest.ToArray());
    }

    /// <summary>Per partition and direction, the members whose setpoints moved most in a dispatch (for "who picked up what").</summary>
    public const int MaxChangesReported = 5;

    /// <summary>A member that joined after the dispatch's first round, or dropped out of it, is not part of it.</summary>
    private static bool InThisDispatch(PartitionMember member, string dispatchId) =>
        member.InDispatch && member.DispatchId == dispatchId;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: not every asset acknowledged within {TimeoutMs} ms")]
    private partial void LogAckTimeout(string partition, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Asset {AssetId} failed to acknowledge a setpoint: {Error}")]
    private partial void LogAckFailed(string assetId, string? error);
}
