using Vpp.Domain.Assets;

namespace Vpp.Domain.Schedules;

/// <summary>
/// A fleet's batteries folded into one store, counted at the grid: how much energy they can still deliver and absorb.
/// Moving energy one way frees room the other way less the round-trip losses. Pooling assumes the fleet can move
/// energy to whichever battery needs it, so it is optimistic for very unequal batteries: a check built on it flags
/// what is certainly infeasible, not everything that might be. One battery's comes from what it reports
/// (<see cref="BatteryAtSoc.Storage"/>), partitions and the fleet add them up (<see cref="Sum"/>); on the Orleans wire it
/// travels through a surrogate (<c>Vpp.Abstractions.Serialization</c>).
/// </summary>
public readonly record struct StoragePool(
    double DeliverableKwh,
    double AbsorbableKwh,
    double RoundTripEfficiency,
    double MaxDischargeKw,
    double MaxChargeKw)
{
    public static readonly StoragePool None = new(0, 0, 1, 0, 0);

    /// <summary>The sum of many; null when none has storage. The worst efficiency is kept, to stay on the safe side.</summary>
    public static StoragePool? Sum(IEnumerable<StoragePool?> parts)
    {
        StoragePool? total = null;
        foreach (var p in parts)
        {
            if (p is not { } part)
            {
                continue;
            }

            total = total is not { } t
                ? part
                : new StoragePool(
                    t.DeliverableKwh + part.DeliverableKwh,
                    t.AbsorbableKwh + part.AbsorbableKwh,
                    Math.Min(t.RoundTripEfficiency, part.RoundTripEfficiency),
                    t.MaxDischargeKw + part.MaxDischargeKw,
                    t.MaxChargeKw + part.MaxChargeKw);
        }

        return total;
    }

    /// <summary>Whether the energy moved by more than <paramref name="thresholdKwh"/> either way (worth reporting up).</summary>
    public static bool Differs(StoragePool? a, StoragePool? b, double thresholdKwh) =>
        (a is null) != (b is null)
        || (a is { } x && b is { } y
            && (Math.Abs(x.DeliverableKwh - y.DeliverableKwh) > thresholdKwh || Math.Abs(x.AbsorbableKwh - y.AbsorbableKwh) > thresholdKwh));

    /// <summary>The pool after the grid received <paramref name="gridKwh"/> from it (negative: put into it); the move is capped at what is possible.</summary>
    public (StoragePool After, double MovedKwh) Move(double gridKwh)
    {
        if (gridKwh >= 0)
        {
            var moved = Math.Min(gridKwh, DeliverableKwh);
            return (this with { DeliverableKwh = DeliverableKwh - moved, AbsorbableKwh = AbsorbableKwh + (moved / RoundTripEfficiency) }, moved);
        }

        var absorbed = Math.Min(-gridKwh, AbsorbableKwh);
        return (this with { AbsorbableKwh = AbsorbableKwh - absorbed, DeliverableKwh = DeliverableKwh + (absorbed * RoundTripEfficiency) }, -absorbed);
    }
}
