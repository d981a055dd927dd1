using Orleans.Concurrency;
using Vpp.Abstractions.VirtualBatteries;

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

/// <summary>
/// A slice's own plan until a later quarter hour, as if it is delivered as planned: the slice now
/// (<see cref="View"/>), its setpoint (kW, + delivered) in each quarter hour from the one in progress, which starts at
/// <see cref="From"/> (the first only from now on), and the virtual SoC that leaves at the end: where a plan that
/// starts then starts from.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SliceProjection(
    [property: Id(0)] VirtualBatteryView View,
    [property: Id(1)] DateTimeOffset From,
    [property: Id(2)] double[] QuartersKw,
    [property: Id(3)] double SocAtUntilPercent);
