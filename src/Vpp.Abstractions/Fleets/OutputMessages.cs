namespace Vpp.Abstractions.Fleets;

/// <summary>
/// The fleet's output at one instant: its standing target (null while it has none), what its assets acknowledged,
/// and the sum of what they measured (null while none has a recent measurement).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OutputSample(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] double? TargetKw,
    [property: Id(2)] double AllocatedKw,
    [property: Id(3)] double? MeasuredKw);

/// <summary>The fleet's output history, oldest sample first.</summary>
[GenerateSerializer, Immutable]
public sealed record FleetOutput(
    [property: Id(0)] string FleetId,
    [property: Id(1)] OutputSample[] Samples);
