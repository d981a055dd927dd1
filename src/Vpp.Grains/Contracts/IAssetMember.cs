using Orleans.Concurrency;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Ingest;
using Vpp.Domain.Assets;

namespace Vpp.Grains.Contracts;

/// <summary>
/// The asset as the silo sees it: <see cref="IAssetGrain"/> (the SDK's view) and the methods only the silo calls —
/// its partition's setpoints and reads, and the telemetry ingest's fan-out.
/// </summary>
public interface IAssetMember : IAssetGrain
{
    /// <summary>
    /// A measurement from a device gateway's batch: refusals come back in the answer instead of as exceptions (one
    /// bad item must not be expensive), together with the status and the setpoint the asset should follow now. With a
    /// <paramref name="fleetScope"/>, an asset of another fleet answers as if it were not registered.
    /// </summary>
    ValueTask<TelemetryOutcome> IngestTelemetryAsync(Telemetry telemetry, string[]? fleetScope);

    /// <summary>
    /// <see cref="IAssetGrain.ConfigureAsync"/> for a caller limited to <paramref name="fleetScope"/>: an asset
    /// registered in a fleet outside it answers <see cref="Vpp.Abstractions.Errors.NotFoundException"/>, as if it were
    /// not registered, and stays as it is. Checked in the same turn that applies the spec.
    /// </summary>
    Task<AssetView> ConfigureInScopeAsync(AssetSpec spec, string[] fleetScope);

    /// <summary>
    /// Offers a setpoint (kW, + export). The asset clamps it to what it can do now and says what it accepted.
    /// It interleaves: a dispatch is answered from the asset's state in memory and never waits for the asset's own
    /// storage write or partition call in flight (a fleet-wide outage queues one status write per asset). It awaits
    /// nothing, so it runs between the steps of another call, never in the middle of one.
    /// </summary>
    [AlwaysInterleave]
    ValueTask<SetpointAck> ApplySetpointAsync(double setpointKw);

    /// <summary>
    /// Status and capability now, or null when not registered. Read-only, so it may interleave: a partition
    /// activating asks its members while one of them may be waiting on that partition.
    /// </summary>
    [AlwaysInterleave]
    ValueTask<MemberReport?> GetMemberReportAsync();

    /// <summary>
    /// The silence watchdog's call (<see cref="Assets.SilenceWatch"/>), when the asset would have been silent for
    /// OfflineAfter: offline if nothing was heard since, else watched again from its last measurement.
    /// </summary>
    Task CheckSilenceAsync();

    /// <summary>What the asset can offer for flexibility now (nothing when offline or unregistered). Read-only.</summary>
    [AlwaysInterleave]
    ValueTask<FlexOffer?> GetFlexOfferAsync();
}
