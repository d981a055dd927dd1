using Microsoft.Extensions.Logging;
using Vpp.Abstractions.Errors;
using Vpp.Domain.Dispatch;

namespace Vpp.Grains.Fleets;

/// <summary>
/// A dispatch decision is stored before any setpoint moves: a fleet that answered "dispatched" never forgets the
/// target after a crash, and one whose storage refused the decision has changed nothing at all (no setpoint moved),
/// so the caller's retry starts from a clean state.
/// </summary>
public sealed partial class FleetGrain
{
    private async Task StoreTargetAsync(double targetKw, DispatchStrategy strategy)
    {
        var (previousTargetKw, previousStrategy, previousAt) = (S.TargetKw, S.Strategy, S.LastDispatchAt);
        S.TargetKw = targetKw;
        S.Strategy = strategy;
        S.LastDispatchAt = clock.GetUtcNow(); // the newer decision wins when a write meets a concurrent change
        try
        {
            await WriteStateAsync();
        }
        catch (Exception ex)
        {
            S.TargetKw = previousTargetKw;
            S.Strategy = previousStrategy;
            S.LastDispatchAt = previousAt;
            LogTargetNotStored(FleetId, targetKw, ex.GetBaseException().Message);
            throw new StorageUnavailableException("fleet", this.GetGrainId().ToString());
        }
    }

    /// <summary>
    /// The outcome (allocation, event) of a dispatch whose target is already stored: setpoints have moved, so a failed
    /// write must not turn the answer into an error. It is written again behind.
    /// </summary>
    private async Task WriteDispatchOutcomeAsync()
    {
        try
        {
            await WriteStateAsync();
        }
        catch (Exception ex)
        {
            LogOutcomeNotStored(FleetId, ex.GetBaseException().Message);
            WriteEventsBehind();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Fleet {FleetId}: dispatch of {TargetKw} kW refused, its target could not be stored (no setpoint was sent): {Error}")]
    private partial void LogTargetNotStored(string fleetId, double targetKw, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet {FleetId}: the outcome of a dispatch could not be stored (written again behind): {Error}")]
    private partial void LogOutcomeNotStored(string fleetId, string error);
}
