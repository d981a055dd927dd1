using Vpp.Domain.Assets;
using Vpp.Domain.Schedules;

namespace Vpp.Abstractions.Fleets;

/// <summary>
/// Online batteries' energy folded together, counted at the grid: what they can still deliver and absorb, and
/// their power limits. Assets report theirs, partitions and the fleet add them up; a schedule is checked against it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StorageEnergy(
    [property: Id(0)] double DeliverableKwh,
    [property: Id(1)] double AbsorbableKwh,
    [property: Id(2)] double RoundTripEfficiency,
    [property: Id(3)] double MaxDischargeKw,
    [property: Id(4)] double MaxChargeKw)
{
    /// <summary>A battery at a state of charge; null for other kinds or while the SoC is unknown.</summary>
    public static StorageEnergy? Of(AssetSpec spec, double? socPercent) =>
        BatteryEnergy.Of(spec) is { } battery && socPercent is not null
            ? From(StoragePool.Of([(battery, socPercent)]))
            : null;

    public static StorageEnergy From(StoragePool pool) =>
        new(pool.DeliverableKwh, pool.AbsorbableKwh, pool.RoundTripEfficiency, pool.MaxDischargeKw, pool.MaxChargeKw);

    public StoragePool ToPool() => new(DeliverableKwh, AbsorbableKwh, RoundTripEfficiency, MaxDischargeKw, MaxChargeKw);

    /// <summary>The sum of many; null when none has storage. The worst efficiency is kept, to stay on the safe side.</summary>
    public static StorageEnergy? Sum(IEnumerable<StorageEnergy?> parts)
    {
        StorageEnergy? total = null;
        foreach (var p in parts)
        {
            if (p is null)
            {
                continue;
            }

            total = total is null
                ? p
                : new StorageEnergy(
                    total.DeliverableKwh + p.DeliverableKwh,
                    total.AbsorbableKwh + p.AbsorbableKwh,
                    Math.Min(total.RoundTripEfficiency, p.RoundTripEfficiency),
                    total.MaxDischargeKw + p.MaxDischargeKw,
                    total.MaxChargeKw + p.MaxChargeKw);
        }

        return total;
    }

    /// <summary>Whether the energy moved by more than <paramref name="thresholdKwh"/> either way (worth reporting up).</summary>
    public static bool Differs(StorageEnergy? a, StorageEnergy? b, double thresholdKwh) =>
        (a is null) != (b is null)
        || (a is not null && b is not null
            && (Math.Abs(a.DeliverableKwh - b.DeliverableKwh) > thresholdKwh || Math.Abs(a.AbsorbableKwh - b.AbsorbableKwh) > thresholdKwh));
}
