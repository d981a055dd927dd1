using Vpp.Domain.GridServices;

namespace Vpp.Abstractions.GridServices;

/// <summary>
/// A fleet's FCR band and where its response stands (null in the fleet view while no contract was ever set).
/// <see cref="ContractedKw"/> is the band due now: the sum of the <see cref="Awards"/> whose delivery period holds now.
/// <see cref="MaxBandKw"/> is the largest band the fleet's registered assets (online or not) can hold around the base,
/// batteries counted with the reserve they can sustain for the activation time each way: what a contract or bid may
/// take. <see cref="DeliverableKw"/> is what the online assets deliver now, batteries at their SoC now, and
/// <see cref="ShortfallKw"/> how much of the band due now that leaves uncovered.
/// <see cref="FrequencyStale"/> is true while the last measurement is older than the maximum age: the response is then 0 kW.
/// <see cref="ServiceDispatches"/> counts the dispatches grid services caused since the fleet was activated:
/// measurements that arrive during a dispatch are coalesced, so it grows slower than the measurements.
/// <see cref="SocManagementKw"/> is the net of the batteries' own SoC corrections (each towards its own window, in the
/// droop's direction within the allowed share); <see cref="PooledSocPercent"/> the SoC of all online batteries together,
/// for information. <see cref="Alert"/> is true while batteries cannot hold their reserve for the activation time in
/// <see cref="AlertDirection"/> ("up": too empty, "down": too full, "both"); <see cref="SocTradeSellKwh"/> and
/// <see cref="SocTradeBuyKwh"/> are the energy scheduled trades must move to bring them back into their SoC windows.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FcrView(
    [property: Id(0)] double ContractedKw,
    [property: Id(1)] double? FrequencyHz,
    [property: Id(2)] double ResponseKw,
    [property: Id(3)] DateTimeOffset? MeasuredAt,
    [property: Id(4)] double SocManagementKw = 0,
    [property: Id(5)] double? PooledSocPercent = null,
    [property: Id(6)] long ServiceDispatches = 0,
    [property: Id(7)] bool FrequencyStale = false,
    [property: Id(8)] double MaxBandKw = 0,
    [property: Id(9)] double DeliverableKw = 0,
    [property: Id(10)] double ShortfallKw = 0,
    [property: Id(11)] double SocTradeSellKwh = 0,
    [property: Id(12)] double SocTradeBuyKwh = 0,
    [property: Id(13)] bool Alert = false,
    [property: Id(14)] string? AlertDirection = null,
    [property: Id(20)] FcrAwardView[]? Awards = null);

/// <summary>
/// One FCR award: ±<see cref="ContractedKw"/> over [<see cref="From"/>, <see cref="To"/>) UTC; <see cref="Product"/>
/// names the market block ("NEGPOS_08_12") when it was awarded as one.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FcrAwardView(
    [property: Id(0)] double ContractedKw,
    [property: Id(1)] DateTimeOffset From,
    [property: Id(2)] DateTimeOffset To,
    [property: Id(3)] string? Product = null)
{
    public FcrAward ToAward() => new(ContractedKw, From, To, Product);

    public static FcrAwardView Of(FcrAward award) => new(award.ContractedKw, award.From, award.To, award.Product);

    /// <summary>The book of <paramref name="awards"/> (none: empty).</summary>
    public static FcrAwardBook Book(IEnumerable<FcrAwardView>? awards) =>
        awards is null ? FcrAwardBook.Empty : new([.. awards.Select(a => a.ToAward())]);
}

/// <summary>
/// An FCR award to set: the band and its delivery period, either a product block (<see cref="Date"/>: the delivery day
/// in Europe/Berlin, <see cref="Block"/>: 0–5, block 0 = 00–04 local) or an explicit UTC period on quarter hours.
/// It replaces an award for the same period; 0 kW withdraws it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FcrAwardInput(
    [property: Id(0)] double ContractedKw,
    [property: Id(1)] DateOnly? Date = null,
    [property: Id(2)] int? Block = null,
    [property: Id(3)] DateTimeOffset? From = null,
    [property: Id(4)] DateTimeOffset? To = null);

/// <summary>A frequency measurement of the synchronous area; <see cref="At"/> is UTC (null: now, by the VPP's clock).</summary>
[GenerateSerializer, Immutable]
public sealed record FrequencyMeasurement([property: Id(0)] double FrequencyHz, [property: Id(1)] DateTimeOffset? At = null);

/// <summary>What the area did with a measurement: how many contracted fleets took it and their summed response.</summary>
[GenerateSerializer, Immutable]
public sealed record FrequencyApplied(
    [property: Id(0)] string Area,
    [property: Id(1)] double FrequencyHz,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] int FleetCount,
    [property: Id(4)] double ResponseKw,
    [property: Id(5)] string[] FailedFleetIds,
    [property: Id(6)] string? Alarm = null);

/// <summary>An aFRR setpoint from the TSO (kW on top of the fleet's schedule, + = more export); <see cref="At"/> is UTC.</summary>
[GenerateSerializer, Immutable]
public sealed record AfrrSetpoint([property: Id(0)] double SetpointKw, [property: Id(1)] DateTimeOffset? At = null);

/// <summary>The answer to an aFRR setpoint: the effective target after composition and what was clamped.</summary>
[GenerateSerializer, Immutable]
public sealed record AfrrAccepted(
    [property: Id(0)] double SetpointKw,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] double TargetKw,
    [property: Id(3)] double ClampedKw,
    [property: Id(4)] double AllocatedKw);

public static class GridServiceEventKinds
{
    /// <summary>FCR contract changes and response changes beyond the recording threshold.</summary>
    public const string Fcr = "fcr";

    /// <summary>The frequency left the area's alarm limits (recorded once when it leaves them).</summary>
    public const string FrequencyAlarm = "frequency-alarm";

    /// <summary>A fleet's last frequency measurement grew too old to drive a response (recorded once per silence).</summary>
    public const string FrequencyStale = "frequency-stale";

    /// <summary>The online assets stopped covering the FCR band due (recorded once when the shortfall starts).</summary>
    public const string FcrShortfall = "fcr-shortfall";

    /// <summary>The online assets cover the FCR band due again (recorded once when the shortfall ends).</summary>
    public const string FcrShortfallEnded = "fcr-shortfall-ended";

    /// <summary>A fleet's FCR batteries started or stopped being unable to hold their reserve for the activation time.</summary>
    public const string FcrAlert = "fcr-alert";
}

/// <summary>Synchronous areas the VPP serves; one grid-area grain each.</summary>
public static class GridAreas
{
    public const string ContinentalEurope = "continental-europe";
}
