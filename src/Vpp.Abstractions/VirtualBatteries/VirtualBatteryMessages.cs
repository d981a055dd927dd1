using Vpp.Domain.VirtualBatteries;

namespace Vpp.Abstractions.VirtualBatteries;

/// <summary>A virtual battery as the operator sets it (<c>PUT /virtual-batteries/{id}</c>); see <see cref="VirtualBatterySpec"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record VirtualBatteryConfig(
    [property: Id(0)] string TraderId,
    [property: Id(1)] string FleetId,
    [property: Id(2)] double PowerKw,
    [property: Id(3)] double EnergyKwh,
    [property: Id(4)] double InitialSocPercent,
    [property: Id(5)] DateTimeOffset? From = null,
    [property: Id(6)] DateTimeOffset? To = null)
{
    public VirtualBatterySpec ToSpec() => new(TraderId, FleetId, PowerKw, EnergyKwh, InitialSocPercent, From, To);

    public static VirtualBatteryConfig Of(VirtualBatterySpec spec) =>
        new(spec.TraderId, spec.FleetId, spec.PowerKw, spec.EnergyKwh, spec.InitialSocPercent, spec.From, spec.To);
}

/// <summary>
/// A quarter hour of the slice's plan: what it is asked to deliver then (kW, positive exported), the virtual SoC the
/// plan leads to at its start, the power the slice could hold for the whole quarter hour from there each way, and the
/// energy its virtual SoC holds from there each way (to the grid down to 0 % after losses, from it up to 100 %).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PlannedSlotView(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] DateTimeOffset End,
    [property: Id(2)] double TargetKw,
    [property: Id(3)] bool Scheduled,
    [property: Id(4)] double SocStartPercent = 0,
    [property: Id(5)] double AvailableDischargeKw = 0,
    [property: Id(6)] double AvailableChargeKw = 0,
    [property: Id(7)] double AvailableDischargeKwh = 0,
    [property: Id(8)] double AvailableChargeKwh = 0);

/// <summary>
/// A virtual battery now: its spec, its virtual SoC, what it asked for now (<see cref="RequestedKw"/>) and what the
/// VPP delivers for it after curtailment (<see cref="SetpointKw"/>, with <see cref="CurtailmentReason"/>), the power
/// it can still take each way for the rest of this quarter hour, and its plan for the next quarter hours.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record VirtualBatteryView(
    [property: Id(0)] string Id,
    [property: Id(1)] VirtualBatteryConfig Spec,
    [property: Id(2)] double SocPercent,
    [property: Id(3)] double RequestedKw,
    [property: Id(4)] double SetpointKw,
    [property: Id(5)] string? CurtailmentReason,
    [property: Id(6)] double AvailableDischargeKw,
    [property: Id(7)] double AvailableChargeKw,
    [property: Id(8)] PlannedSlotView[] NextSlots,
    [property: Id(9)] double RoundTripEfficiency,
    [property: Id(10)] DateTimeOffset At);

/// <summary>
/// One quarter hour of a slice's ledger: the energy it asked for, the energy it was given after curtailment (its
/// setpoints integrated), why it was cut, and its virtual SoC at the end of the quarter hour.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SliceSlotRecord(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] double RequestedKwh,
    [property: Id(2)] double SetpointKwh,
    [property: Id(3)] double SocEndPercent,
    [property: Id(4)] string? CurtailmentReason);

/// <summary>
/// What slices of a fleet may use: its batteries as registered (online or not), its grid-service commitments, the
/// pool's round-trip efficiency, and the net power slices can have now from the online batteries (outages and
/// unavailabilities lower it) after the commitments; <see cref="FcrAwards"/> are the FCR awards still to deliver at
/// <see cref="At"/>, held back from slices in the windows they cover.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FleetSliceCapacity(
    [property: Id(0)] double RegisteredBatteryPowerKw,
    [property: Id(1)] double RegisteredBatteryEnergyKwh,
    [property: Id(2)] double FcrKw,
    [property: Id(3)] double AfrrUpKw,
    [property: Id(4)] double AfrrDownKw,
    [property: Id(5)] double RoundTripEfficiency,
    [property: Id(6)] double AvailableMinKw,
    [property: Id(7)] double AvailableMaxKw,
    [property: Id(8)] GridServices.FcrAwardView[]? FcrAwards = null,
    [property: Id(9)] DateTimeOffset At = default)
{
    public SliceCapacity ToCapacity() =>
        new(RegisteredBatteryPowerKw, RegisteredBatteryEnergyKwh, FcrKw, AfrrUpKw, AfrrDownKw, GridServices.FcrAwardView.Book(FcrAwards), At);
}

/// <summary>One slice in a fleet's book: its spec, what it asks now and what it is given.</summary>
[GenerateSerializer, Immutable]
public sealed record SliceEntryView(
    [property: Id(0)] string VirtualBatteryId,
    [property: Id(1)] VirtualBatteryConfig Spec,
    [property: Id(2)] double RequestKw,
    [property: Id(3)] double SetpointKw,
    [property: Id(4)] string? Reason);

/// <summary>A deleted slice: what it was and when it left its fleet's book; its settlement stays readable.</summary>
[GenerateSerializer, Immutable]
public sealed record DeletedSliceView(
    [property: Id(0)] string VirtualBatteryId,
    [property: Id(1)] VirtualBatteryConfig Spec,
    [property: Id(2)] DateTimeOffset DeletedAt);

/// <summary>
/// A fleet's slices, their net (the fleet's slice component) and what is still free for new slices; the slices deleted
/// within the settlement retention, whose settlement stays readable.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SliceBookView(
    [property: Id(0)] string FleetId,
    [property: Id(1)] SliceEntryView[] Slices,
    [property: Id(2)] double NetKw,
    [property: Id(3)] double FreePowerKw,
    [property: Id(4)] double FreeEnergyKwh,
    [property: Id(5)] DeletedSliceView[]? Deleted = null);

/// <summary>One slice in one slot of settlement (energies in kWh at the grid, positive exported).</summary>
[GenerateSerializer, Immutable]
public sealed record SliceSettlementRow(
    [property: Id(0)] string VirtualBatteryId,
    [property: Id(1)] string TraderId,
    [property: Id(2)] DateTimeOffset Start,
    [property: Id(3)] DateTimeOffset End,
    [property: Id(4)] double RequestedKwh,
    [property: Id(5)] double SetpointKwh,
    [property: Id(6)] double? DeliveredKwh,
    [property: Id(7)] double? DeviationKwh,
    [property: Id(8)] double CurtailedKwh,
    [property: Id(9)] string? CurtailmentReason,
    [property: Id(10)] double SocEndPercent);

/// <summary>Per-trader sums over the rows.</summary>
[GenerateSerializer, Immutable]
public sealed record TraderSettlementTotal(
    [property: Id(0)] string TraderId,
    [property: Id(1)] double RequestedKwh,
    [property: Id(2)] double? DeliveredKwh,
    [property: Id(3)] double? DeviationKwh,
    [property: Id(4)] double CurtailedKwh);

[GenerateSerializer, Immutable]
public sealed record SliceSettlementView(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] DateTimeOffset To,
    [property: Id(2)] SliceSettlementRow[] Rows,
    [property: Id(3)] TraderSettlementTotal[] Totals)
{
    /// <summary>The rows summed per trader; a total is unknown (null) when one of its rows is.</summary>
    public static TraderSettlementTotal[] TotalsOf(IEnumerable<SliceSettlementRow> rows) =>
    [
        .. rows.GroupBy(r => r.TraderId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new TraderSettlementTotal(
                g.Key, Math.Round(g.Sum(r => r.RequestedKwh), 6),
                g.All(r => r.DeliveredKwh is not null) ? Math.Round(g.Sum(r => r.DeliveredKwh!.Value), 6) : null,
                g.All(r => r.DeviationKwh is not null) ? Math.Round(g.Sum(r => r.DeviationKwh!.Value), 6) : null,
                Math.Round(g.Sum(r => r.CurtailedKwh), 6))),
    ];
}

public static class CurtailmentReasons
{
    /// <summary>The fleet could not deliver the slices' net: every slice lost the same share.</summary>
    public const string FleetCapacity = "fleetCapacity";

    public const string Soc = "soc";

    public const string Window = "window";

    /// <summary>
    /// The online batteries' state of charge could not hold the slices' net energy over the slot: every slice asking
    /// in that direction lost the same share.
    /// </summary>
    public const string Energy = "energy";
}

/// <summary>
/// A slice that does not fit beside the fleet's other slices (the allocation rule): what is free for it is in
/// <see cref="FreePowerKw"/> and <see cref="FreeEnergyKwh"/>. The API answers 409.
/// </summary>
[GenerateSerializer]
public sealed class SliceOverbookedException(string field, double freePowerKw, double freeEnergyKwh, string message) : Exception(message)
{
    [Id(0)] public string Field { get; private set; } = field;

    [Id(1)] public double FreePowerKw { get; private set; } = freePowerKw;

    [Id(2)] public double FreeEnergyKwh { get; private set; } = freeEnergyKwh;
}

/// <summary>A dispatch or schedule the slice cannot deliver; <see cref="Reason"/> is power, energy, soc or window. The API answers 400.</summary>
[GenerateSerializer]
public sealed class UndeliverableException(string reason, string field, string message) : Exception($"{field}: {message}")
{
    [Id(0)] public string Reason { get; private set; } = reason;

    [Id(1)] public string Field { get; private set; } = field;

    [Id(2)] public string Problem { get; private set; } = message;
}
