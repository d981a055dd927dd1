using System.Globalization;
using Vpp.Domain.Assets;
using Vpp.Domain.Schedules;

namespace Vpp.Domain.Optimisation;

/// <summary>
/// Sums over the assets of one group (one kind and marginal cost; batteries also one round-trip efficiency, CHP units
/// one size, min stable power, minimum up and down time in quarter hours and start-up cost). They add up, so each partition folds its members and the fleet adds the partitions: building the model
/// costs O(groups), not O(assets). <see cref="UnavailableKw"/> is the power out of service per slot (planned or
/// unplanned unavailabilities overlapping the slot); empty when none is. A group with any asset that has no ramp rate can step freely
/// (<see cref="RampKwPerSecond"/> null).
/// </summary>
public sealed record GroupTotals(
    string Key,
    AssetKind Kind,
    double MarginalCostEurPerMwh,
    int AssetCount,
    double PowerKw,
    double MinKw,
    double MaxKw,
    double? RampKwPerSecond,
    double RoundTripEfficiency,
    double CapacityKwh,
    double MinStoredKwh,
    double MaxStoredKwh,
    double StoredKwh,
    double UnitMaxKw,
    double UnitMinStableKw,
    double[] UnavailableKw)
{
    /// <summary>A CHP unit's minimum up time in quarter hours (<see cref="ChpGroup.Slots"/>); part of a CHP group's key.</summary>
    public int UnitMinUpSlots { get; init; } = 1;

    /// <summary>A CHP unit's minimum down time in quarter hours; part of a CHP group's key.</summary>
    public int UnitMinDownSlots { get; init; } = 1;

    /// <summary>What one start of a CHP unit costs (EUR, <see cref="ChpGroup.StartUpCostEur"/>); part of a CHP group's key.</summary>
    public double UnitStartUpCostEur { get; init; }

    /// <summary>CHP units running now (<see cref="ChpGroup.UnitsOnBefore"/>).</summary>
    public int UnitsOn { get; init; }

    /// <summary>Per slot from the horizon's start: CHP units running now that must still run (<see cref="ChpGroup.UnitsHeldOn"/>).</summary>
    public int[] UnitsHeldOn { get; init; } = [];

    /// <summary>Per slot from the horizon's start: CHP units off now that must still rest (<see cref="ChpGroup.UnitsHeldOff"/>).</summary>
    public int[] UnitsHeldOff { get; init; } = [];

    /// <summary>
    /// One online asset's contribution, for slots from <paramref name="from"/>: <paramref name="socPercent"/> for a
    /// battery (null: unknown, so it cannot be planned and is left out), <paramref name="availableKw"/> for solar and
    /// wind (what it can produce now, held for the horizon: a persistence forecast), and its unavailability windows.
    /// A CHP counts as on when <paramref name="chpRunning"/>, and keeps that state until <paramref name="from"/>; it is
    /// held in it for the slots its min up (on) or min down (off) time has left at <paramref name="from"/>, counted from
    /// <paramref name="chpChangedAt"/>, its last start or stop (null: unknown, taken as long ago, so neither holds it).
    /// </summary>
    public static GroupTotals? Of(
        AssetSpec spec, double? socPercent, double? availableKw, IEnumerable<(DateTimeOffset From, DateTimeOffset Until)> outages,
        DateTimeOffset from, int slots, bool chpRunning = false, DateTimeOffset? chpChangedAt = null)
    {
        var powerKw = Math.Max(Math.Abs(spec.MinPowerKw), Math.Abs(spec.MaxPowerKw));
        var unavailable = Array.Empty<double>(); // none: no array per asset for the common case
        foreach (var (outFrom, outUntil) in outages)
        {
            if (unavailable.Length == 0)
            {
                unavailable = new double[slots];
            }

            for (var t = 0; t < slots; t++)
            {
                var start = from + (QuarterHour.Length * t);
                if (outFrom < start + QuarterHour.Length && start < outUntil)
                {
                    unavailable[t] = powerKw;
                }
            }
        }

        var cost = spec.MarginalCostEurPerMwh;
        var key = $"{spec.Kind.ToWire()}@{cost.ToString("0.###", CultureInfo.InvariantCulture)}";
        switch (spec.Kind)
        {
            case AssetKind.Battery:
            {
                if (BatteryAtSoc.Of(spec, socPercent) is not { Battery: var battery, SocPercent: var soc })
                {
                    return null;
                }

                var rte = battery.ChargeEfficiency * battery.DischargeEfficiency;
                var clamped = Math.Clamp(soc, battery.MinSocPercent, battery.MaxSocPercent);
                return new GroupTotals(
                    $"{key}~{(rte * 100).ToString("0.#", CultureInfo.InvariantCulture)}%", spec.Kind, cost, 1, powerKw,
                    -battery.MaxChargeKw, battery.MaxDischargeKw, spec.RampRateKwPerSecond, rte, battery.CapacityKwh,
                    battery.StoredKwh(battery.MinSocPercent), battery.StoredKwh(battery.MaxSocPercent), battery.StoredKwh(clamped), 0, 0, unavailable);
            }

            case AssetKind.Chp:
            {
                var stable = spec.MinStablePowerKw ?? 0;
                var size = $"~{spec.MaxPowerKw.ToString("0.###", CultureInfo.InvariantCulture)}/{stable.ToString("0.###", CultureInfo.InvariantCulture)}kW";
                var (up, down) = (ChpGroup.Slots(spec.MinUpTimeSeconds), ChpGroup.Slots(spec.MinDownTimeSeconds));

                // Units that must run or rest for different numbers of slots, or whose starts cost differently, are
                // different groups: one group has one start cost per unit, so the objective stays exact.
                var runTimes = up > 1 || down > 1 ? $"+up{up}/down{down}q" : "";
                var startCost = Math.Max(0, spec.StartUpCostEur ?? 0);
                var starts = startCost > 0 ? $"+start{startCost.ToString("0.###", CultureInfo.InvariantCulture)}eur" : "";
                return new GroupTotals(key + size + runTimes + starts, spec.Kind, cost, 1, powerKw, 0, spec.MaxPowerKw, spec.RampRateKwPerSecond, 1, 0, 0, 0, 0, spec.MaxPowerKw, stable, unavailable)
                {
                    UnitMinUpSlots = up,
                    UnitMinDownSlots = down,
                    UnitStartUpCostEur = startCost,
                    UnitsOn = chpRunning ? 1 : 0,
                    UnitsHeldOn = chpRunning ? HeldFor(chpChangedAt, spec.MinUpTimeSeconds, from, slots) : [],
                    UnitsHeldOff = chpRunning ? [] : HeldFor(chpChangedAt, spec.MinDownTimeSeconds, from, slots),
                };
            }

            case AssetKind.Solar or AssetKind.Wind:
                return new GroupTotals(
                    key, spec.Kind, cost, 1, powerKw, 0, Math.Clamp(availableKw ?? spec.MaxPowerKw, 0, spec.MaxPowerKw), spec.RampRateKwPerSecond,
                    1, 0, 0, 0, 0, 0, 0, unavailable);
            default:
                return new GroupTotals(key, spec.Kind, cost, 1, powerKw, spec.MinPowerKw, spec.MaxPowerKw, spec.RampRateKwPerSecond, 1, 0, 0, 0, 0, 0, 0, unavailable);
        }
    }

    /// <summary>Two sums of the same group added; the round-trip efficiency is the worst of the two, to stay safe.</summary>
    public GroupTotals Plus(GroupTotals other) => this with
    {
        AssetCount = AssetCount + other.AssetCount,
        PowerKw = PowerKw + other.PowerKw,
        MinKw = MinKw + other.MinKw,
        MaxKw = MaxKw + other.MaxKw,
        RampKwPerSecond = RampKwPerSecond is { } a && other.RampKwPerSecond is { } b ? a + b : null,
        RoundTripEfficiency = Math.Min(RoundTripEfficiency, other.RoundTripEfficiency),
        CapacityKwh = CapacityKwh + other.CapacityKwh,
        MinStoredKwh = MinStoredKwh + other.MinStoredKwh,
        MaxStoredKwh = MaxStoredKwh + other.MaxStoredKwh,
        StoredKwh = StoredKwh + other.StoredKwh,
        UnavailableKw = UnavailableKw.Length == 0 ? other.UnavailableKw
            : other.UnavailableKw.Length == 0 ? UnavailableKw
            : [.. UnavailableKw.Zip(other.UnavailableKw, (x, y) => x + y)],
        UnitsOn = UnitsOn + other.UnitsOn,
        UnitsHeldOn = Add(UnitsHeldOn, other.UnitsHeldOn),
        UnitsHeldOff = Add(UnitsHeldOff, other.UnitsHeldOff),
    };

    /// <summary>
    /// This sum over the <paramref name="take"/> slots that start <paramref name="skip"/> slots into its horizon: the
    /// per-slot figures (unavailable power, CHP units held on or off) are absolute in time, so a sum read over a long
    /// horizon answers for any part of it as a sum read over that part would.
    /// </summary>
    public GroupTotals Slots(int skip, int take)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        return this with
        {
            UnavailableKw = Slice(UnavailableKw, skip, take),
            UnitsHeldOn = Slice(UnitsHeldOn, skip, take),
            UnitsHeldOff = Slice(UnitsHeldOff, skip, take),
        };
    }

    /// <summary>
    /// Part of a per-slot array that may be shorter than the horizon (empty: none in any slot; held units end early).
    /// An unavailability array is all slots or none, so a part of one is all of its slots.
    /// </summary>
    private static T[] Slice<T>(T[] perSlot, int skip, int take) =>
        perSlot.Length <= skip ? [] : perSlot[skip..Math.Min(perSlot.Length, skip + take)];

    /// <summary>Sums folded by group key, in key order.</summary>
    public static IReadOnlyList<GroupTotals> Fold(IEnumerable<GroupTotals> parts)
    {
        var byKey = new SortedDictionary<string, GroupTotals>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            byKey[part.Key] = byKey.TryGetValue(part.Key, out var sum) ? sum.Plus(part) : part;
        }

        return [.. byKey.Values];
    }

    /// <summary>
    /// The optimiser's group for <paramref name="slots"/> quarter hours. A solar or wind group takes <paramref name="availableKw"/> per slot when a forecast is
    /// given, else its available power now for every slot.
    /// </summary>
    public FleetGroup ToGroup(int slots, IReadOnlyList<double>? availableKw = null)
    {
        var share = UnavailableKw.Select(kw => PowerKw > 0 ? 1 - Math.Clamp(kw / PowerKw, 0, 1) : 1).ToArray();
        FleetGroup group = Kind switch
        {
            AssetKind.Battery => new BatteryGroup(
                Key,
                AssetCount,
                new BatteryEnergy(
                    CapacityKwh,
                    MinStoredKwh / CapacityKwh * 100,
                    MaxStoredKwh / CapacityKwh * 100,
                    Math.Sqrt(RoundTripEfficiency),
                    Math.Sqrt(RoundTripEfficiency),
                    -MinKw,
                    MaxKw),
                StoredKwh / CapacityKwh * 100,
                MarginalCostEurPerMwh),
            AssetKind.Chp => new ChpGroup(Key, AssetCount, UnitMaxKw, UnitMinStableKw, MarginalCostEurPerMwh)
            {
                MinUpSlots = Math.Max(1, UnitMinUpSlots),
                MinDownSlots = Math.Max(1, UnitMinDownSlots),
                StartUpCostEur = Math.Max(0, UnitStartUpCostEur),
                UnitsOnBefore = UnitsOn,
                UnitsHeldOn = UnitsHeldOn,
                UnitsHeldOff = UnitsHeldOff,
            },
            AssetKind.FlexibleLoad => new FlexibleLoadGroup(Key, AssetCount, -MinKw, -MaxKw, MarginalCostEurPerMwh),
            _ => new RenewableGroup(Key, Kind, AssetCount, availableKw ?? [.. Enumerable.Repeat(MaxKw, slots)], MarginalCostEurPerMwh),
        };

        return group with { RampKwPerSecond = RampKwPerSecond, AvailableShare = share.Any(s => s < 1) ? share : null };
    }

    /// <summary>
    /// One unit held in every slot that starts before its min up or down time (<paramref name="seconds"/>) since
    /// <paramref name="changedAt"/> has passed: the schedule switches units only at slot boundaries.
    /// </summary>
    private static int[] HeldFor(DateTimeOffset? changedAt, double? seconds, DateTimeOffset from, int slots)
    {
        if (changedAt is not { } changed || seconds is not { } s || s <= 0)
        {
            return [];
        }

        var left = changed + TimeSpan.FromSeconds(s) - from;
        var held = left <= TimeSpan.Zero ? 0 : (int)Math.Min(slots, Math.Ceiling((left / QuarterHour.Length) - 1e-9));
        return [.. Enumerable.Repeat(1, held)];
    }

    private static int[] Add(int[] a, int[] b) =>
        a.Length == 0 ? b : b.Length == 0 ? a : [.. Enumerable.Range(0, Math.Max(a.Length, b.Length)).Select(t => (t < a.Length ? a[t] : 0) + (t < b.Length ? b[t] : 0))];
}
