using Vpp.Abstractions.VirtualBatteries;
using Vpp.Domain.Validation;

namespace Vpp.Silo.Api;

// Wire shapes of virtual batteries (HTTP API v1).

/// <summary><c>PUT /virtual-batteries/{vbId}</c>: a slice of a fleet's batteries for one trader.</summary>
public sealed record VirtualBatteryHttpRequest(
    string? TraderId, string? FleetId, double? PowerKw, double? EnergyKwh, double? InitialSocPercent, DateTimeOffset? From, DateTimeOffset? To)
{
    public VirtualBatteryConfig ToConfig(FieldErrors errors)
    {
        errors.Required("traderId", TraderId, "(the trader owning the virtual battery, one of Auth:Traders)");
        errors.Required("fleetId", FleetId, "(the fleet whose batteries are sliced)");
        errors.Required("powerKw", PowerKw, "(power each way, kW)");
        errors.Required("energyKwh", EnergyKwh, "(energy of the slice's store, kWh)");
        errors.Required("initialSocPercent", InitialSocPercent, "(its virtual state of charge at creation, 0–100 %)");
        var config = new VirtualBatteryConfig(TraderId ?? "", FleetId ?? "", PowerKw ?? 0, EnergyKwh ?? 0, InitialSocPercent ?? 0, From, To);
        if (!errors.Any)
        {
            foreach (var error in config.ToSpec().Validate())
            {
                errors.Add(error.Field, error.Message);
            }
        }

        return config;
    }
}

public sealed record VirtualBatteryDispatchHttpRequest(double? TargetKw);

/// <summary>
/// A quarter hour ahead: the plan's setpoint, the virtual SoC it leads to at the start, the power the slice could still
/// hold then, and the energy its virtual SoC holds each way from the start.
/// </summary>
public sealed record PlannedSlotResponse(
    DateTimeOffset Start, DateTimeOffset End, double TargetKw, bool Scheduled, double SocStartPercent, double AvailableDischargeKw, double AvailableChargeKw,
    double AvailableDischargeKwh, double AvailableChargeKwh);

/// <summary>
/// A virtual battery now: spec, virtual SoC, the request in force and what is delivered of it (curtailment and why),
/// the power it can still take each way for the rest of this quarter hour, and its next quarter hours.
/// </summary>
public sealed record VirtualBatteryResponse(
    string VirtualBatteryId,
    string TraderId,
    string FleetId,
    double PowerKw,
    double EnergyKwh,
    double InitialSocPercent,
    DateTimeOffset? From,
    DateTimeOffset? To,
    double SocPercent,
    double RequestedKw,
    double SetpointKw,
    string? CurtailmentReason,
    double AvailableDischargeKw,
    double AvailableChargeKw,
    double RoundTripEfficiency,
    DateTimeOffset At,
    IReadOnlyList<PlannedSlotResponse> NextSlots)
{
    public static VirtualBatteryResponse Of(VirtualBatteryView v) => new(
        v.Id, v.Spec.TraderId, v.Spec.FleetId, v.Spec.PowerKw, v.Spec.EnergyKwh, v.Spec.InitialSocPercent, v.Spec.From, v.Spec.To,
        v.SocPercent, v.RequestedKw, v.SetpointKw, v.CurtailmentReason, v.AvailableDischargeKw, v.AvailableChargeKw, v.RoundTripEfficiency, v.At,
        [.. v.NextSlots.Select(s => new PlannedSlotResponse(
            s.Start, s.End, s.TargetKw, s.Scheduled, s.SocStartPercent, s.AvailableDischargeKw, s.AvailableChargeKw, s.AvailableDischargeKwh, s.AvailableChargeKwh))]);
}

public sealed record SliceSettlementRowResponse(
    string VirtualBatteryId, string TraderId, DateTimeOffset Start, DateTimeOffset End, double RequestedKwh, double SetpointKwh,
    double? DeliveredKwh, double? DeviationKwh, double CurtailedKwh, string? CurtailmentReason, double SocEndPercent);

public sealed record TraderTotalResponse(string TraderId, double RequestedKwh, double? DeliveredKwh, double? DeviationKwh, double CurtailedKwh);

/// <summary>Settlement per slot and slice, with per-trader totals.</summary>
public sealed record VirtualBatterySettlementResponse(
    DateTimeOffset From, DateTimeOffset To, IReadOnlyList<SliceSettlementRowResponse> Slots, IReadOnlyList<TraderTotalResponse> Totals)
{
    public const string CsvHeader = "virtualBatteryId,traderId,start,end,requestedKwh,setpointKwh,deliveredKwh,deviationKwh,curtailedKwh,curtailmentReason,socEndPercent,row";

    /// <summary>The <c>row</c> cell of a line for one slot and slice.</summary>
    public const string SlotRow = "slot";

    /// <summary>The <c>row</c> cell of a trader's totals over the range (no slice, no setpoint, reason or SoC).</summary>
    public const string TotalRow = "total";

    public static VirtualBatterySettlementResponse Of(SliceSettlementView view) => new(
        view.From, view.To,
        [.. view.Rows.Select(r => new SliceSettlementRowResponse(
            r.VirtualBatteryId, r.TraderId, r.Start, r.End, r.RequestedKwh, r.SetpointKwh, r.DeliveredKwh, r.DeviationKwh, r.CurtailedKwh,
            r.CurtailmentReason, r.SocEndPercent))],
        [.. view.Totals.Select(t => new TraderTotalResponse(t.TraderId, t.RequestedKwh, t.DeliveredKwh, t.DeviationKwh, t.CurtailedKwh))]);

    /// <summary>
    /// One line a slot and slice (<c>row</c> = <see cref="SlotRow"/>), then one line a trader with its totals over
    /// [from, to) (<c>row</c> = <see cref="TotalRow"/>, empty virtualBatteryId); empty cells for unknown values,
    /// invariant culture, UTC instants.
    /// </summary>
    public string ToCsv()
    {
        var text = new System.Text.StringBuilder().AppendLine(CsvHeader);
        foreach (var r in Slots)
        {
            text.AppendLine(string.Join(',',
                r.VirtualBatteryId, r.TraderId, Utc(r.Start), Utc(r.End),
                Num(r.RequestedKwh), Num(r.SetpointKwh), Num(r.DeliveredKwh), Num(r.DeviationKwh), Num(r.CurtailedKwh),
                r.CurtailmentReason ?? "", Num(r.SocEndPercent), SlotRow));
        }

        foreach (var t in Totals)
        {
            text.AppendLine(string.Join(',',
                "", t.TraderId, Utc(From), Utc(To),
                Num(t.RequestedKwh), "", Num(t.DeliveredKwh), Num(t.DeviationKwh), Num(t.CurtailedKwh),
                "", "", TotalRow));
        }

        return text.ToString();
    }

    private static readonly System.Globalization.CultureInfo Inv = System.Globalization.CultureInfo.InvariantCulture;

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("O", Inv);

    private static string Num(double? value) => value is { } v ? v.ToString("0.######", Inv) : "";
}

/// <summary>One slice in a fleet's book as the operator sees it: whose it is, what was sold, what it asks and gets now.</summary>
public sealed record SliceBookSliceResponse(
    string VirtualBatteryId, string TraderId, double PowerKw, double EnergyKwh, DateTimeOffset? From, DateTimeOffset? To,
    double RequestedKw, double SetpointKw, string? CurtailmentReason);

/// <summary>One trader's slices of a fleet: how many, and the power and energy sold to it.</summary>
public sealed record SliceBookTraderResponse(string TraderId, int SliceCount, double PowerKw, double EnergyKwh);

/// <summary>
/// <c>GET /virtual-batteries/books</c>: how a fleet is sliced — power and energy sold (every slice summed, windows or
/// not), what is still free for a slice without a window, the slices' net setpoint now, per trader and per slice.
/// </summary>
public sealed record SliceBookResponse(
    string FleetId,
    double SoldPowerKw,
    double SoldEnergyKwh,
    double FreePowerKw,
    double FreeEnergyKwh,
    double NetKw,
    IReadOnlyList<SliceBookTraderResponse> Traders,
    IReadOnlyList<SliceBookSliceResponse> Slices)
{
    public static SliceBookResponse Of(SliceBookView book) => new(
        book.FleetId,
        book.Slices.Sum(s => s.Spec.PowerKw),
        book.Slices.Sum(s => s.Spec.EnergyKwh),
        book.FreePowerKw,
        book.FreeEnergyKwh,
        book.NetKw,
        [.. book.Slices.GroupBy(s => s.Spec.TraderId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SliceBookTraderResponse(g.Key, g.Count(), g.Sum(s => s.Spec.PowerKw), g.Sum(s => s.Spec.EnergyKwh)))],
        [.. book.Slices.Select(s => new SliceBookSliceResponse(
            s.VirtualBatteryId, s.Spec.TraderId, s.Spec.PowerKw, s.Spec.EnergyKwh, s.Spec.From, s.Spec.To, s.RequestKw, s.SetpointKw, s.Reason))]);
}
