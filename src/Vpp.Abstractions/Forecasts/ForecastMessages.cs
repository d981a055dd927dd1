namespace Vpp.Abstractions.Forecasts;

/// <summary>One quarter hour of a submitted forecast: its start (UTC) and power (kW).</summary>
[GenerateSerializer, Immutable]
public sealed record ForecastPoint([property: Id(0)] DateTimeOffset? From, [property: Id(1)] double? Kw);

/// <summary>One quarter hour of a forecast: its start (UTC) and power (kW).</summary>
[GenerateSerializer, Immutable]
public sealed record ForecastSlot([property: Id(0)] DateTimeOffset From, [property: Id(1)] double Kw);

/// <summary>
/// A named fleet forecast: <see cref="Source"/> is <c>stored</c> (put by a trader) or <c>vpp</c> (made by the VPP
/// because none is stored: pv, wind and load only); <see cref="Method"/> says how it was made, in one sentence.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ForecastView(
    [property: Id(0)] string FleetId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Source,
    [property: Id(3)] string Method,
    [property: Id(4)] DateTimeOffset From,
    [property: Id(5)] DateTimeOffset Until,
    [property: Id(6)] ForecastSlot[] Points,
    [property: Id(7)] DateTimeOffset? StoredAt)
{
    public const string Stored = "stored";
    public const string Vpp = "vpp";
}
