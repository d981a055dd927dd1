using Orleans.Concurrency;
using Vpp.Abstractions.GridServices;

namespace Vpp.Grains.Contracts;

/// <summary>Something the area recorded about the frequency itself (kind <see cref="GridServiceEventKinds.FrequencyAlarm"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record GridAreaEvent(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Kind,
    [property: Id(2)] double FrequencyHz,
    [property: Id(3)] string Message);

/// <summary>One fleet's answer to a measurement, once the setpoints including it (or a newer one) are sent.</summary>
[GenerateSerializer, Immutable]
public sealed record FleetFrequencyResult(
    [property: Id(0)] string FleetId,
    [property: Id(1)] double ResponseKw,
    [property: Id(2)] bool Superseded);
