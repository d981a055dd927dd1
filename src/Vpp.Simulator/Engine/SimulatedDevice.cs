using Vpp.Domain.Assets;
using Vpp.Domain.Simulation;
using Vpp.Simulator.Faults;

namespace Vpp.Simulator.Engine;

/// <summary>
/// One simulated device as its gateway sees it: the physics, the faults planned for it, the setpoint the VPP last
/// gave it, and how well it followed. Touched by the engine's round only, one round at a time.
/// </summary>
public sealed class SimulatedDevice(string assetId, SimulatedAsset physics, AssetFaults faults)
{
    public string AssetId { get; } = assetId;

    public AssetSpec Spec => Physics.Spec;

    public SimulatedAsset Physics { get; } = physics;

    public AssetFaults Faults { get; } = faults;

    public bool Registered { get; internal set; }

    /// <summary>The setpoint the VPP returned with the last accepted telemetry (kW, + export); null before it set one.</summary>
    public double? SetpointKw { get; internal set; }

    /// <summary>True while the simulator has reported this asset offline (an injected outage).</summary>
    public bool ReportedOffline { get; internal set; }

    /// <summary>True once the asset has fallen silent (an injected lost link); it never reports again in this run.</summary>
    public bool IsSilent { get; internal set; }

    /// <summary>Energy the VPP asked of it (setpoint × time, while it had one and was not in an outage), kWh, + export.</summary>
    public double RequestedKwh { get; internal set; }

    /// <summary>Energy it delivered over the same stretches, kWh, + export.</summary>
    public double DeliveredKwh { get; internal set; }

    /// <summary>∫|setpoint − output| dt over the same stretches, kWh: how far it strayed, whichever way.</summary>
    public double DeviationKwh { get; internal set; }

    public int TelemetryRefused { get; internal set; }

    public string? LastProblem { get; internal set; }
}
