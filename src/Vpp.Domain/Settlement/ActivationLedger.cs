using Vpp.Domain.Schedules;

namespace Vpp.Domain.Settlement;

/// <summary>
/// Energy of reserve activations (FCR response, aFRR setpoints: what the fleet was asked on top of its base target)
/// per quarter hour. Activations change every second or so, far too often to keep as a step profile for two days of
/// settlement; what settlement needs of them is only their energy per slot, so that is what is kept.
/// </summary>
public static class ActivationLedger
{
    /// <summary>Adds <paramref name="kw"/> held over [from, to) to the slots it spans, split exactly at quarter hours.</summary>
    public static void Accrue(IDictionary<DateTimeOffset, double> kwhBySlot, DateTimeOffset from, DateTimeOffset to, double kw)
    {
        if (to <= from || kw == 0 || !double.IsFinite(kw))
        {
            return;
        }

        for (var start = QuarterHour.Floor(from); start < to; start += QuarterHour.Length)
        {
            var overlapFrom = start > from ? start : from;
            var end = start + QuarterHour.Length;
            var overlapTo = end < to ? end : to;
            kwhBySlot[start] = (kwhBySlot.TryGetValue(start, out var kwh) ? kwh : 0) + kw * (overlapTo - overlapFrom).TotalHours;
        }
    }

    /// <summary>Forgets slots that ended before <paramref name="cutoff"/>.</summary>
    public static void Prune(IDictionary<DateTimeOffset, double> kwhBySlot, DateTimeOffset cutoff)
    {
        foreach (var start in kwhBySlot.Keys.Where(s => s + QuarterHour.Length <= cutoff).ToList())
        {
            kwhBySlot.Remove(start);
        }
    }
}
