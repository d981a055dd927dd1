using Vpp.Abstractions.Errors;
using Vpp.Domain.Assets;

namespace Vpp.Abstractions.Ingest;

/// <summary>One asset's measurement inside a batch from a device gateway.</summary>
[GenerateSerializer, Immutable]
public sealed record AssetTelemetry(
    [property: Id(0)] string AssetId,
    [property: Id(1)] Telemetry Telemetry);

/// <summary>
/// What one asset made of its measurement, and what it should do now: a gateway learns the setpoint from the
/// answer instead of asking again. <see cref="Problems"/> is empty when accepted. A measurement older than the
/// asset's last one is not accepted either: <see cref="OutOfOrder"/> is true and the problem names "timestamp".
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TelemetryOutcome(
    [property: Id(0)] string AssetId,
    [property: Id(1)] bool Accepted,
    [property: Id(2)] FieldProblem[] Problems,
    [property: Id(3)] AssetStatus? Status,
    [property: Id(4)] double? SetpointKw,
    [property: Id(5)] bool OutOfOrder = false)
{
    public static TelemetryOutcome Refused(string assetId, params FieldProblem[] problems) =>
        new(assetId, false, problems, null, null);
}

/// <summary>The answer to a batch, one outcome per item in the order sent.</summary>
[GenerateSerializer, Immutable]
public sealed record TelemetryBatchResult(
    [property: Id(0)] TelemetryOutcome[] Outcomes)
{
    public int AcceptedCount => Outcomes.Count(o => o.Accepted);

    /// <summary>Items ignored because they were older than their asset's last measurement.</summary>
    public int OutOfOrderCount => Outcomes.Count(o => o.OutOfOrder);

    /// <summary>Items refused as invalid or undeliverable (not counting <see cref="OutOfOrderCount"/>).</summary>
    public int RefusedCount => Outcomes.Length - AcceptedCount - OutOfOrderCount;
}
