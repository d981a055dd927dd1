using Vpp.Domain.Assets;

namespace Vpp.Abstractions.Assets;

/// <summary>One physical asset, keyed by its asset id. Holds the asset's live state and accepts setpoints.</summary>
public interface IAssetGrain : IGrainWithStringKey
{
    /// <summary>Registers or updates the asset; joins (or moves to) the fleet named in the spec.</summary>
    /// <exception cref="Errors.InvalidInputException">The spec or id is invalid.</exception>
    /// <exception cref="Errors.ConflictException">The kind of an existing asset would change.</exception>
    Task<AssetView> ConfigureAsync(AssetSpec spec);

    /// <summary>The asset, or null when it was never registered.</summary>
    [AlwaysInterleave]
    Task<AssetView?> GetAsync();

    /// <exception cref="Errors.NotFoundException">The asset is not registered.</exception>
    Task ReportTelemetryAsync(Telemetry telemetry);

    /// <summary>
    /// A measurement from a device gateway's batch: refusals come back in the answer instead of as exceptions (one
    /// bad item must not be expensive), together with the status and the setpoint the asset should follow now. With a
    /// <paramref name="fleetScope"/>, an asset of another fleet answers as if it were not registered.
    /// </summary>
    ValueTask<Ingest.TelemetryOutcome> IngestTelemetryAsync(Telemetry telemetry, string[]? fleetScope);

    /// <summary>Removes the asset: it leaves its fleet (which re-dispatches what it delivered) and its state is cleared.</summary>
    /// <exception cref="Errors.NotFoundException">The asset is not registered.</exception>
    Task RemoveAsync();

    /// <exception cref="Errors.NotFoundException">The asset is not registered.</exception>
    Task<AssetView> ReportStatusAsync(AssetStatus status, string? reason);

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
    /// <summary>What the asset can offer for flexibility now (nothing when offline or unregistered). Read-only.</summary>
    [AlwaysInterleave]
    ValueTask<Fleets.FlexOffer?> GetFlexOfferAsync();
}
