using Orleans.Concurrency;

namespace Vpp.Grains.Contracts;

/// <summary>What a slice asks for from a quarter-hour boundary, and what its own limits (SoC, window) leave of it.</summary>
[GenerateSerializer, Immutable]
public sealed record SliceRequest(
    [property: Id(0)] string VirtualBatteryId,
    [property: Id(1)] double PlannedKw,
    [property: Id(2)] double RequestKw,
    [property: Id(3)] string? Reason,
    [property: Id(4)] bool FromSlot);

/// <summary>The setpoint the slice book gives a slice from <see cref="At"/>: its request, and what is delivered of it.</summary>
[GenerateSerializer, Immutable]
public sealed record SliceSetpoint(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] double PlannedKw,
    [property: Id(2)] double SetpointKw,
    [property: Id(3)] string? Reason,
    [property: Id(4)] bool FromSlot,
    [property: Id(5)] long Version = 0);
