using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.GridServices;
using Vpp.Domain.Schedules;

namespace Vpp.Grains.Contracts;

/// <summary>
/// What only the fleet knows of its flexibility, taken in one cheap call so the query grain can ask the partitions
/// itself: which partitions to ask, the FCR awards, the aFRR capacity sold, the FCR band every member as registered can
/// hold (what a symmetric bid may take), and the online batteries and slices' net setpoint the sold slices draw on.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MarketSnapshot(
    [property: Id(0)] string[] PartitionKeys,
    [property: Id(1)] FcrAwardView[] FcrAwards,
    [property: Id(2)] double AfrrCapacityUpKw,
    [property: Id(3)] double AfrrCapacityDownKw,
    [property: Id(4)] double FcrRegisteredKw,
    [property: Id(5)] StoragePool? OnlineStorage,
    [property: Id(6)] double SlicesKw);
