using Vpp.Domain.Validation;

namespace Vpp.Domain.Schedules;

/// <summary>
/// A <c>?from=&amp;to=</c> query over quarter hours: [From, To) widened to whole slots (from floored, to ceiled),
/// so a report never shows a partial slot.
/// </summary>
public readonly record struct SlotRange(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>Default cap on a query: 31 days of quarter hours, enough for a month of settlement.</summary>
    public const int DefaultMaxSlots = 31 * 100;

    public int SlotCount => (int)((To - From).Ticks / QuarterHour.Length.Ticks);

    public IEnumerable<DateTimeOffset> Starts => QuarterHour.Starts(From, To, SlotCount);

    public static SlotRange? Parse(FieldErrors errors, DateTimeOffset? from, DateTimeOffset? to, int maxSlots = DefaultMaxSlots)
    {
        errors.Required("from", from, "(a UTC instant)");
        errors.Required("to", to, "(a UTC instant after from)");
        if (from is not { } f || to is not { } t)
        {
            return null;
        }

        if (t <= f)
        {
            errors.Add("to", $"must be after from ({t.ToUniversalTime():O} is not after {f.ToUniversalTime():O})");
            return null;
        }

        var range = new SlotRange(QuarterHour.Floor(f), QuarterHour.Ceiling(t));
        if (range.SlotCount > maxSlots)
        {
            errors.Add("to", $"the range may span at most {maxSlots} quarter hours ({maxSlots / 96.0:0.#} days)");
            return null;
        }

        return range;
    }
}
