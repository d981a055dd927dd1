using Vpp.Domain.Assets;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;

namespace Vpp.Domain.VirtualBatteries;

/// <summary>
/// A virtual battery: a slice of a fleet's battery capacity that one trader owns and trades as if it were a battery of
/// its own — <see cref="PowerKw"/> each way, <see cref="EnergyKwh"/> of store, starting at <see cref="InitialSocPercent"/>,
/// usable in [<see cref="From"/>, <see cref="To"/>) (open ends: always).
/// </summary>
public sealed record VirtualBatterySpec(
    string TraderId,
    string FleetId,
    double PowerKw,
    double EnergyKwh,
    double InitialSocPercent,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null)
{
    /// <summary>A slice beyond a terawatt (or a terawatt-hour) is a typo, not a contract.</summary>
    public const double MaxPowerKw = 1e9, MaxEnergyKwh = 1e9;

    /// <summary>Checks the spec, naming the wire fields; windows are quarter-hour aligned like the slots traded in them.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var e = new FieldErrors();
        if (EntityId.Problem(TraderId) is { } traderProblem)
        {
            e.Add("traderId", traderProblem);
        }

        if (EntityId.Problem(FleetId) is { } fleetProblem)
        {
            e.Add("fleetId", fleetProblem);
        }

        e.Positive("powerKw", PowerKw);
        e.Magnitude("powerKw", PowerKw, MaxPowerKw);
        e.Positive("energyKwh", EnergyKwh);
        e.Magnitude("energyKwh", EnergyKwh, MaxEnergyKwh);
        e.Range("initialSocPercent", InitialSocPercent, 0, 100);
        foreach (var (field, instant) in new[] { ("from", From), ("to", To) })
        {
            if (instant is { } at && !QuarterHour.IsAligned(at))
            {
                e.Add(field, $"must be on a quarter hour in UTC; got {at.ToUniversalTime():O}");
            }
        }

        if (From is { } from && To is { } to && to <= from)
        {
            e.Add("to", "must be after from");
        }

        return e.Errors;
    }

    /// <summary>The slice's store, with the pool's losses split √η each way as for every battery (<see cref="BatteryEnergy"/>).</summary>
    public BatteryEnergy Store(double roundTripEfficiency)
    {
        var efficiency = Math.Sqrt(roundTripEfficiency is > 0 and <= 1 ? roundTripEfficiency : AssetSpec.DefaultRoundTripEfficiencyPercent / 100);
        return new BatteryEnergy(EnergyKwh, 0, 100, efficiency, efficiency, PowerKw, PowerKw);
    }

    /// <summary>True when [from, to) lies inside the slice's window.</summary>
    public bool Covers(DateTimeOffset from, DateTimeOffset to) => (From is not { } f || from >= f) && (To is not { } t || to <= t);

    /// <summary>True when the slice's window shares an instant with [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public bool Overlaps(DateTimeOffset from, DateTimeOffset to) =>
        (From ?? DateTimeOffset.MinValue) < to && from < (To ?? DateTimeOffset.MaxValue);

    /// <summary>True when the two slices' windows share an instant: only then do they compete for the same capacity.</summary>
    public bool Overlaps(VirtualBatterySpec other) =>
        (From ?? DateTimeOffset.MinValue) < (other.To ?? DateTimeOffset.MaxValue) && (other.From ?? DateTimeOffset.MinValue) < (To ?? DateTimeOffset.MaxValue);
}
