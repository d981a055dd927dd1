using Vpp.Domain.Assets;

namespace Vpp.Grains.Assets;

[GenerateSerializer]
public sealed class AssetState
{
    /// <summary>The persistent-state name of <see cref="AssetGrain"/>'s row.</summary>
    public const string StateName = "asset";

    [Id(0)] public AssetSpec? Spec { get; set; }
    [Id(1)] public AssetLiveState Live { get; set; } = new();
    /// <summary>
    /// Interned: every asset of a partition holds the same key (a fleet's 256 keys instead of one string per online
    /// asset read back from its row). Keys are made by the grain from a validated fleet id, so the set is bounded by
    /// the fleets registered.
    /// </summary>
    [Id(2)] public string? PartitionKey { get; set => field = value is null ? null : string.Intern(value); }

    /// <summary>Partitions the asset moved away from that have not yet confirmed it left.</summary>
    [Id(3)] public HashSet<string> LeavingPartitions { get; set; } = [];

    /// <summary>
    /// True while the asset has never stored an unavailability window, so activation need not read that state. False
    /// is the default on purpose: a row stored without this member (or by a serializer that leaves defaults out) has
    /// its windows read.
    /// </summary>
    [Id(4)] public bool NoUnavailabilityStored { get; set; }

    /// <summary>
    /// The row of an asset registered in bulk by its partition, as <see cref="AssetGrain.ConfigureAsync"/> would store
    /// it for an asset never registered: its spec, no live data yet (offline, no telemetry), its partition, no windows.
    /// </summary>
    public static AssetState Registered(AssetSpec spec, string partitionKey) =>
        new() { Spec = spec, PartitionKey = partitionKey, NoUnavailabilityStored = true };
}
