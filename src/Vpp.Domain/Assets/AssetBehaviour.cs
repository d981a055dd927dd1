using Vpp.Domain.Dispatch;

namespace Vpp.Domain.Assets;

/// <summary>The outcome of offering an asset a setpoint.</summary>
public readonly record struct SetpointOutcome(bool Accepted, double RequestedKw, double AcceptedKw, Capability CapabilityAfter)
{
    /// <summary>The asset accepted something else than it was asked for (beyond rounding): it clamped to its limits.</summary>
    public static bool IsClamp(double requestedKw, double acceptedKw) => Math.Abs(requestedKw - acceptedKw) > Capability.ToleranceKw;
}

/// <summary>How an asset's live state reacts to what happens to it. Pure: the grain persists and notifies.</summary>
public static class AssetBehaviour
{
    /// <summary>
    /// Applies a measurement. Telemetry brings back an asset that had gone silent, but not one whose owner
    /// reported it offline or in maintenance: only an explicit status brings that back.
    /// A measurement older than the last one is ignored (late, out-of-order delivery), and one older than
    /// <paramref name="staleAfter"/> is recorded but proves nothing about the asset being reachable now.
    /// </summary>
    public static AssetLiveState OnTelemetry(AssetLiveState state, Telemetry telemetry, DateTimeOffset now, TimeSpan? staleAfter = null)
    {
        if (IsOutOfOrder(state, telemetry, now))
        {
            return state;
        }

        var at = telemetry.Timestamp ?? now;

        var next = state with
        {
            LastSeen = at,
            ActivePowerKw = telemetry.ActivePowerKw,
            AvailablePowerKw = telemetry.AvailablePowerKw ?? state.AvailablePowerKw,
            StateOfChargePercent = telemetry.StateOfChargePercent ?? state.StateOfChargePercent,
        };

        var fresh = staleAfter is not { } limit || now - at < limit;
        return state.Status != AssetStatus.Online && !state.StatusReported && fresh
            ? next with { Status = AssetStatus.Online, StatusReason = "telemetry received" }
            : next;
    }

    /// <summary>
    /// True when the measurement is older than the last one seen: it is ignored, and the sender is told so rather
    /// than that it was accepted.
    /// </summary>
    public static bool IsOutOfOrder(AssetLiveState state, Telemetry telemetry, DateTimeOffset now) =>
        state.LastSeen is { } last && (telemetry.Timestamp ?? now) < last;

    public static AssetLiveState OnStatusReport(AssetLiveState state, AssetStatus status, string? reason, DateTimeOffset now) =>
        state with
        {
            Status = status,
            StatusReason = reason ?? $"reported {status.ToWire()}",
            // "online" hands control back to telemetry; offline and maintenance stick until the next report.
            StatusReported = status != AssetStatus.Online,
            LastSeen = status == AssetStatus.Online ? now : state.LastSeen,
        };

    /// <summary>Marks an online asset offline once it has been silent for <paramref name="offlineAfter"/>.</summary>
    public static AssetLiveState OnSilenceCheck(AssetLiveState state, DateTimeOffset now, TimeSpan offlineAfter)
    {
        if (state.Status != AssetStatus.Online || SilentFor(state, now) < offlineAfter)
        {
            return state;
        }

        return state with { Status = AssetStatus.Offline, StatusReason = $"no telemetry for {offlineAfter.TotalSeconds:0.#} s" };
    }

    public static TimeSpan SilentFor(AssetLiveState state, DateTimeOffset now) =>
        state.LastSeen is { } last ? now - last : TimeSpan.MaxValue;

    /// <summary>Offers a setpoint: the asset accepts what its envelope allows now, and remembers it.</summary>
    public static (AssetLiveState State, SetpointOutcome Outcome) OnSetpoint(
        AssetSpec spec, AssetLiveState state, double requestedKw, DateTimeOffset now, EnvelopeSettings? settings = null)
    {
        var capability = OperatingEnvelope.Of(spec, state, now, settings);
        if (state.Status != AssetStatus.Online)
        {
            return (state, new SetpointOutcome(false, requestedKw, 0, capability));
        }

        var acceptedKw = capability.Accept(requestedKw);
        var wasRunning = OperatingEnvelope.Running(state);
        var isRunning = acceptedKw > Capability.ToleranceKw;
        var next = state with
        {
            SetpointKw = acceptedKw,
            SetpointAt = now,
            RunningChangedAt = spec.Kind == AssetKind.Chp && wasRunning != isRunning ? now : state.RunningChangedAt,
        };

        return (next, new SetpointOutcome(true, requestedKw, acceptedKw, OperatingEnvelope.Of(spec, next, now, settings)));
    }
}
