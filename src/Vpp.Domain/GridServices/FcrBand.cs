using Vpp.Domain.Dispatch;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;

namespace Vpp.Domain.GridServices;

/// <summary>
/// The FCR band is an obligation to the TSO: the provider guarantees the contracted power is continuously available
/// in both directions while it is obliged to provide FCR (SOGL, Regulation (EU) 2017/1485, Art. 156(5)). So whatever
/// else the fleet does (its base dispatch, a schedule slot) must leave at least the band free above and below it.
/// </summary>
public static class FcrBand
{
    /// <summary>Power left free above and below <paramref name="baseKw"/> inside <paramref name="rangeKw"/>, never negative.</summary>
    public static (double UpKw, double DownKw) FreeKw(double baseKw, PowerRange rangeKw) =>
        (Math.Max(0, rangeKw.MaxKw - baseKw), Math.Max(0, baseKw - rangeKw.MinKw));

    /// <summary>The band the fleet can hold around <paramref name="baseKw"/>: the smaller of its two free sides.</summary>
    public static double SymmetricFreeKw(double baseKw, PowerRange rangeKw)
    {
        var (upKw, downKw) = FreeKw(baseKw, rangeKw);
        return Math.Min(upKw, downKw);
    }

    /// <summary>
    /// The schedule slots that leave less than the band due in their period free in either direction (overlapping
    /// awards add up; <see cref="FcrAwardBook.MaxKw"/>), in slot order, with the band due then.
    /// </summary>
    public static IEnumerable<(int Index, ScheduledSlot Slot, double BandKw)> SlotConflicts(
        IReadOnlyList<ScheduledSlot> slots, PowerRange rangeKw, FcrAwardBook awards)
    {
        for (var i = 0; i < slots.Count; i++)
        {
            var bandKw = awards.MaxKw(slots[i].Start, slots[i].End);
            if (bandKw > 0 && SymmetricFreeKw(slots[i].TargetKw, rangeKw) + Capability.ToleranceKw < bandKw)
            {
                yield return (i, slots[i], bandKw);
            }
        }
    }

    /// <summary>
    /// A new award must leave every stored schedule slot in its period with the band free, since the award is the
    /// obligation to the TSO (SOGL Art. 156(5)) and the slot was accepted without it: adds an error on
    /// <paramref name="field"/> naming the first slot that would no longer keep it, what the slot leaves free and how
    /// much could be awarded there.
    /// </summary>
    public static void CheckAwardAgainstSlots(
        FieldErrors errors, string field, FcrAward award, FcrAwardBook withAward, IReadOnlyList<ScheduledSlot> slots, PowerRange rangeKw)
    {
        var inPeriod = slots.Where(s => award.Overlaps(s.Start, s.End)).OrderBy(s => s.Start).ToList();
        foreach (var (_, slot, bandKw) in SlotConflicts(inPeriod, rangeKw, withAward).Take(1))
        {
            var (upKw, downKw) = FreeKw(slot.TargetKw, rangeKw);
            var possibleKw = Math.Max(0, Math.Min(upKw, downKw) - (bandKw - award.ContractedKw));
            errors.Add(
                field,
                $"the schedule slot {slot.Start:yyyy-MM-ddTHH:mmZ}–{slot.End:HH:mmZ} at {slot.TargetKw:0.###} kW leaves {upKw:0.###} kW free "
                + $"upwards and {downKw:0.###} kW downwards, but the FCR awards would make ±{bandKw:0.###} kW due then; at most "
                + $"±{possibleKw:0.###} kW can be awarded for this period unless the slot is changed or deleted first");
        }
    }

    /// <summary>
    /// Adds an error on <paramref name="field"/> when a base of <paramref name="baseKw"/> leaves less than
    /// <paramref name="contractedKw"/> free in either direction, saying how much is free and which bases keep the band.
    /// </summary>
    public static void CheckBase(FieldErrors errors, string field, double baseKw, PowerRange rangeKw, double contractedKw)
    {
        if (contractedKw <= 0 || !double.IsFinite(baseKw) || SymmetricFreeKw(baseKw, rangeKw) + Capability.ToleranceKw >= contractedKw)
        {
            return;
        }

        var (upKw, downKw) = FreeKw(baseKw, rangeKw);
        var lowestKw = rangeKw.MinKw + contractedKw;
        var highestKw = rangeKw.MaxKw - contractedKw;
        var keeps = lowestKw <= highestKw + Capability.ToleranceKw
            ? $"a base from {lowestKw:0.###} to {highestKw:0.###} kW keeps the band free"
            : "no base keeps the band free with the assets online now";
        errors.Add(
            field,
            $"{baseKw:0.###} kW leaves {upKw:0.###} kW free upwards and {downKw:0.###} kW downwards, but the FCR contract "
            + $"needs ±{contractedKw:0.###} kW free; {keeps}");
    }
}
