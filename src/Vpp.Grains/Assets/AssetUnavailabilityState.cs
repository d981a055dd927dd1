using Vpp.Abstractions.Assets;
using Vpp.Domain.Assets;

namespace Vpp.Grains.Assets;

[GenerateSerializer]
public sealed class AssetUnavailabilityState
{
    /// <summary>The windows as reported (ended ones kept for <see cref="VppOptions.UnavailabilityHistoryRetention"/>).</summary>
    [Id(0)] public List<UnavailabilityView> Windows { get; set; } = [];

    /// <summary>Numbers the next window's id ("u1", "u2", …): ids are never reused, so a stale DELETE cannot hit a newer window.</summary>
    [Id(1)] public long NextNumber { get; set; } = 1;

    /// <summary>True while an outage holds the asset in maintenance; the status before it is restored afterwards.</summary>
    [Id(2)] public bool InOutage { get; set; }

    [Id(3)] public AssetStatus StatusBefore { get; set; }

    [Id(4)] public bool StatusBeforeReported { get; set; }

    [Id(5)] public string? StatusReasonBefore { get; set; }
}
