using Vpp.Abstractions.Assets;
using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;

namespace Vpp.Grains.Fleets;

/// <summary>
/// What a partition holds of one member asset: its grain reference, its latest report (status, capability, measurement)
/// and the setpoint it acknowledged, plus its progress in the dispatch being run.
/// </summary>
public sealed class PartitionMember(string assetId, IAssetMember asset)
{
    public string AssetId { get; } = assetId;
    public IAssetMember Asset { get; } = asset; // resolved once: a string-keyed lookup per call costs more than the call
    public MemberReport Report { get; set; } = new(AssetStatus.Offline, Capability.None, null);
    public double AcceptedKw { get; set; }

    // Progress of the dispatch being run, kept on the member rather than in dictionaries keyed by asset id:
    // a dispatch touches every member, and hashing 100,000 ids per round is measurable.
    public string? DispatchId { get; set; }
    public bool InDispatch { get; set; }
    public Capability Residual { get; set; } = Capability.None;
    public double DispatchAcceptedKw { get; set; }

    /// <summary>What it held when the dispatch began: how far it moved is who picked up what.</summary>
    public double BeforeDispatchKw { get; set; }

    public void LeaveDispatch()
    {
        InDispatch = false;
        DispatchAcceptedKw = 0;
    }
}
