using Vpp.Domain.Schedules;

namespace Vpp.Domain.Market;

/// <summary>One product block of a local delivery day: its index in the day and its UTC period.</summary>
public readonly record struct ProductBlock(DateOnly Day, int Index, DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>
    /// The market's name for a symmetric FCR block, as regelleistung.net lists it ("NEGPOS_00_04" … "NEGPOS_20_24"):
    /// wall-clock start and end hour of the block.
    /// </summary>
    public string SymmetricName(TimeSpan blockLength)
    {
        var startHour = (int)(Index * blockLength).TotalHours;
        var endHour = (int)((Index + 1) * blockLength).TotalHours;
        return $"NEGPOS_{startHour:00}_{endHour:00}";
    }
}

/// <summary>
/// The block calendar of a product: the German TSOs define FCR (and aFRR capacity) as six 4-hour time slices of each
/// delivery day by the German clock, from 00–04 to 20–24 (regelleistung.net, "Ausschreibungs- und Gebotsverfahren"),
/// so blocks are counted from local midnight in the market's time zone and the block holding a clock change is an hour
/// shorter or longer in UTC (in Europe/Berlin the 00–04 block lasts 3 h on the last Sunday of March and 5 h on the
/// last Sunday of October).
/// </summary>
public static class ProductBlocks
{
    /// <summary>The quarter hours of <paramref name="day"/>, grouped by wall-clock block, in order.</summary>
    public static IEnumerable<IReadOnlyList<LocalSlot>> SlotsByBlock(DateOnly day, TimeZoneInfo zone, TimeSpan blockLength) =>
        LocalDay.Slots(day, zone)
            .GroupBy(s => (long)(s.StartLocal.TimeOfDay / blockLength))
            .Select(g => (IReadOnlyList<LocalSlot>)[.. g]);

    /// <summary>The blocks of a local delivery day, in order (six of 4 h for FCR and aFRR).</summary>
    public static IReadOnlyList<ProductBlock> Of(DateOnly day, TimeZoneInfo zone, TimeSpan blockLength) =>
        [.. SlotsByBlock(day, zone, blockLength).Select(slots => new ProductBlock(
            day, (int)(slots[0].StartLocal.TimeOfDay / blockLength), slots[0].StartUtc, slots[^1].EndUtc))];
}
