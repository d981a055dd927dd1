using Vpp.Domain.Schedules;

namespace Vpp.Domain.Market;

/// <summary>
/// What the fleet can guarantee in one 15-minute slot, each way, for a product of <see cref="ProductDuration"/>:
/// power (kW) and the energy that power means over the product (kWh). Assets not counted were unavailable for part of
/// the slot, or (solar, wind) beyond the horizon their output can be guaranteed.
/// </summary>
public sealed record FlexibilitySlot(
    DateTimeOffset Start,
    TimeSpan ProductDuration,
    double UpKw,
    double DownKw,
    int AssetsCounted,
    int AssetsNotCounted)
{
    public double UpKwh => UpKw * ProductDuration.TotalHours;

    public double DownKwh => DownKw * ProductDuration.TotalHours;
}

/// <summary>
/// What the fleet has already sold or been told, which the flexibility must not offer twice: the schedule, the FCR
/// awards (both ways, each only in its delivery period), the aFRR capacity sold per direction and the capacity sold
/// as virtual-battery slices (in the slots of their windows).
/// </summary>
public sealed record Commitments(
    Schedule Schedule, GridServices.FcrAwardBook Fcr, double AfrrUpKw = 0, double AfrrDownKw = 0, VirtualBatteries.SoldSlices? Slices = null)
{
    public static readonly Commitments None = new(Schedule.Empty, GridServices.FcrAwardBook.Empty);
}

/// <summary>
/// Pooled flexibility per slot. Per asset: up = max − baseline and down = baseline − min, zero while it is unavailable
/// for any part of the slot; an energy-limited asset offers at most E / product duration each way (a battery of
/// E kWh can hold P kW for 4 hours only if P ≤ E / 4 h). The pool then moves by what is committed: a scheduled target
/// above the baseline uses up headroom and frees room downwards (and the reverse), an FCR award is held back
/// in both directions in the slots of its delivery period, aFRR capacity sold in its own direction and virtual-battery
/// slices in the slots of their windows (<see cref="VirtualBatteries.SoldSlices"/>).
/// <para>
/// Simplifications, on the safe side or documented: energy limits use today's state of charge for every slot (no
/// forecast of charging), a schedule's own energy use is not subtracted from the batteries (see
/// <see cref="ScheduleEnergyCheck"/> for that), and CHP minimum run times are not modelled.
/// </para>
/// </summary>
public static class Flexibility
{
    public static IReadOnlyList<FlexibilitySlot> Of(
        IReadOnlyList<FlexAsset> assets, SlotRange range, TimeSpan productDuration, Commitments? commitments = null) =>
        Apply(Pool(assets, range, productDuration), productDuration, commitments);

    /// <summary>
    /// The uncommitted sums per slot over some assets. Sums of disjoint groups of assets add up (see
    /// <see cref="Combine"/>), so a fleet can have each partition pool its members and add the partitions together.
    /// </summary>
    public static IReadOnlyList<PooledSlot> Pool(IReadOnlyList<FlexAsset> assets, SlotRange range, TimeSpan productDuration)
    {
        var hours = Math.Max(productDuration.TotalHours, QuarterHour.Hours);
        var slots = new List<PooledSlot>(range.SlotCount);
        foreach (var start in range.Starts)
        {
            double upKw = 0, downKw = 0, baselineKw = 0;
            var counted = 0;
            foreach (var asset in assets)
            {
                if (!asset.IsAvailableDuring(start, start + QuarterHour.Length))
                {
                    continue;
                }

                counted++;
                baselineKw += asset.BaselineKw;
                upKw += asset.DeliverableKwh is { } e ? Math.Min(asset.UpKw, e / hours) : asset.UpKw;
                downKw += asset.AbsorbableKwh is { } a ? Math.Min(asset.DownKw, a / hours) : asset.DownKw;
            }

            slots.Add(new PooledSlot(start, upKw, downKw, baselineKw, counted, assets.Count - counted));
        }

        return slots;
    }

    /// <summary>Adds pooled sums of disjoint groups of assets over the same range, slot by slot.</summary>
    public static IReadOnlyList<PooledSlot> Combine(SlotRange range, IEnumerable<IReadOnlyList<PooledSlot>> parts)
    {
        var total = range.Starts.Select(start => new PooledSlot(start, 0, 0, 0, 0, 0)).ToArray();
        foreach (var part in parts)
        {
            if (part.Count != total.Length)
            {
                throw new ArgumentException($"a part covers {part.Count} slots, the range {total.Length}", nameof(parts));
            }

            for (var k = 0; k < total.Length; k++)
            {
                total[k] += part[k];
            }
        }

        return total;
    }

    /// <summary>What the pool can still guarantee once what is committed is taken off.</summary>
    public static IReadOnlyList<FlexibilitySlot> Apply(IReadOnlyList<PooledSlot> pooled, TimeSpan productDuration, Commitments? commitments = null)
    {
        commitments ??= Commitments.None;
        return pooled.Select(slot =>
        {
            var movedKw = commitments.Schedule.TargetAt(slot.Start) is { } targetKw ? targetKw - slot.BaselineKw : 0;
            var fcrKw = commitments.Fcr.MaxKw(slot.Start, slot.Start + QuarterHour.Length);
            var slices = (commitments.Slices ?? VirtualBatteries.SoldSlices.None).HeldKw(slot.Start, slot.Start + QuarterHour.Length, productDuration);
            return new FlexibilitySlot(
                slot.Start,
                productDuration,
                Math.Max(0, slot.UpKw - movedKw - fcrKw - commitments.AfrrUpKw - slices.UpKw),
                Math.Max(0, slot.DownKw + movedKw - fcrKw - commitments.AfrrDownKw - slices.DownKw),
                slot.Counted,
                slot.NotCounted);
        }).ToList();
    }
}

/// <summary>Uncommitted flexibility of a group of assets in one slot: sums of up, down and baseline power, and who counted.</summary>
public readonly record struct PooledSlot(DateTimeOffset Start, double UpKw, double DownKw, double BaselineKw, int Counted, int NotCounted)
{
    public static PooledSlot operator +(PooledSlot a, PooledSlot b) =>
        new(a.Start, a.UpKw + b.UpKw, a.DownKw + b.DownKw, a.BaselineKw + b.BaselineKw, a.Counted + b.Counted, a.NotCounted + b.NotCounted);
}
