namespace Vpp.Domain.Schedules;

/// <summary>A slot the fleet's batteries cannot sustain: the energy (kWh at the grid) they would lack.</summary>
public sealed record EnergyShortfall(int SlotIndex, DateTimeOffset SlotStart, double ShortfallKwh, bool Discharging)
{
    /// <summary>The wire field the warning is about.</summary>
    public string Field => $"slots[{SlotIndex}]";

    public string Message => Discharging
        ? $"the batteries run empty: {ShortfallKwh:0.###} kWh short of the export this slot needs"
        : $"the batteries are full: {ShortfallKwh:0.###} kWh of the import this slot needs cannot be stored";
}

/// <summary>
/// Flags, at submission, the slots a schedule asks of the batteries beyond their energy. Each slot's target is met
/// first by the assets without an energy limit (unlimitedKw: generation, CHP, loads), and the rest
/// falls on the storage pool, which runs from its current state slot by slot. After a shortfall the pool continues
/// from empty (or full), so each warning counts its own slot's deficit only. A warning, not an error: the trader may
/// still want the schedule (the batteries may be recharged by other means, or a deviation accepted).
/// </summary>
public static class ScheduleEnergyCheck
{
    /// <summary>Shortfalls below 1 Wh are rounding, not a warning.</summary>
    public const double ToleranceKwh = 1e-3;

    public static IReadOnlyList<EnergyShortfall> Check(
        IReadOnlyList<ScheduledSlot> slots, PowerRange unlimitedKw, StoragePool storage, DateTimeOffset now) =>
        Check(slots, _ => unlimitedKw, storage, now);

    /// <summary>As the overload, with the range of the assets without an energy limit per slot start.</summary>
    public static IReadOnlyList<EnergyShortfall> Check(
        IReadOnlyList<ScheduledSlot> slots, Func<DateTimeOffset, PowerRange> unlimitedKwAt, StoragePool storage, DateTimeOffset now)
    {
        var warnings = new List<EnergyShortfall>();
        var pool = storage;
        var order = Enumerable.Range(0, slots.Count).OrderBy(i => slots[i].Start);
        foreach (var i in order)
        {
            var slot = slots[i];
            var hours = (slot.End - (slot.Start > now ? slot.Start : now)).TotalHours;
            if (hours <= 0)
            {
                continue;
            }

            var storageKw = slot.TargetKw - unlimitedKwAt(slot.Start).Clamp(slot.TargetKw);
            var neededKwh = storageKw * hours;
            (pool, var movedKwh) = pool.Move(neededKwh);
            var shortfallKwh = Math.Abs(neededKwh - movedKwh);
            if (shortfallKwh > ToleranceKwh)
            {
                warnings.Add(new EnergyShortfall(i, slot.Start, shortfallKwh, neededKwh > 0));
            }
        }

        return warnings;
    }
}
