using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;

namespace Vpp.Abstractions.Assets;

/// <summary>An asset as the outside world sees it: spec, status and latest live values.</summary>
[GenerateSerializer, Immutable]
public sealed record AssetView(
    [property: Id(0)] string AssetId,
    [property: Id(1)] AssetSpec Spec,
    [property: Id(2)] AssetLiveState Live,
    [property: Id(3)] Capability CapabilityNow,
    [property: Id(20)] UnavailabilityView[]? Unavailabilities = null);

