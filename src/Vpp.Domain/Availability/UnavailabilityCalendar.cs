using System.Collections.Immutable;

namespace Vpp.Domain.Availability;

/// <summary>
/// A continuous time the asset is out: overlapping or touching windows merged. <see cref="Planned"/> only when every
/// window in it was planned (capacity that is out for an unknown reason cannot be offered either).
/// </summary>
public sealed record Outage(DateTimeOffset From, DateTimeOffset Until, bool Planned, IReadOnlyList<string> WindowIds)
{
    public bool Covers(DateTimeOffset instant) => instant >= From && instant < Until;
}

/// <summary>The next moment an asset's availability changes, and when the fleet should act on it.</summary>
public readonly record struct AvailabilityChange(DateTimeOffset At, bool BecomesAvailable, DateTimeOffset ActAt);

/// <summary>
/// An asset's reported unavailability windows (immutable). Windows are kept as reported, so each can be listed and
/// deleted by id; planning uses <see cref="Outages"/>, where overlapping and touching windows are merged.
/// </summary>
public sealed class UnavailabilityCalendar
{
    private UnavailabilityCalendar(ImmutableList<UnavailabilityWindow> windows)
    {
        Windows = windows;
        Outages = Merge(windows);
    }

    public static readonly UnavailabilityCalendar Empty = new([]);

    public static UnavailabilityCalendar Of(IEnumerable<UnavailabilityWindow> windows) => new(windows.OrderBy(w => w.From).ThenBy(w => w.Id, StringComparer.Ordinal).ToImmutableList());

    /// <summary>The windows as reported, ordered by start.</summary>
    public IReadOnlyList<UnavailabilityWindow> Windows { get; }

    /// <summary>Merged, non-overlapping, ordered outages.</summary>
    public IReadOnlyList<Outage> Outages { get; }

    public UnavailabilityWindow? Find(string id) => Windows.FirstOrDefault(w => w.Id == id);

    /// <summary>This calendar with the window added; a window with the same id replaces the old one (idempotent retries).</summary>
    public UnavailabilityCalendar With(UnavailabilityWindow window) => Of(Windows.Where(w => w.Id != window.Id).Append(window));

    /// <summary>This calendar without the window; <c>Removed</c> is false when there was no such window (a 404).</summary>
    public (UnavailabilityCalendar Calendar, bool Removed) Without(string id) =>
        Find(id) is null ? (this, false) : (Of(Windows.Where(w => w.Id != id)), true);

    /// <summary>
    /// Which windows to drop so one more fits under <paramref name="maxWindows"/>: ended windows go first (the one that
    /// ended earliest first), since they only serve the listing; current and upcoming windows are never dropped. Null
    /// when even without every ended window there is no room: the new window is refused.
    /// </summary>
    public IReadOnlyList<string>? RoomForOneMore(DateTimeOffset now, int maxWindows)
    {
        var excess = Windows.Count + 1 - maxWindows;
        if (excess <= 0)
        {
            return [];
        }

        var ended = Windows.Where(w => w.Until <= now).OrderBy(w => w.Until).ThenBy(w => w.Id, StringComparer.Ordinal).Select(w => w.Id).ToList();
        return ended.Count >= excess ? [.. ended.Take(excess)] : null;
    }

    /// <summary>Drops the windows that ended at or before <paramref name="instant"/>.</summary>
    public UnavailabilityCalendar EndedBefore(DateTimeOffset instant) => Of(Windows.Where(w => w.Until > instant));

    public Outage? OutageAt(DateTimeOffset instant) => Outages.FirstOrDefault(o => o.Covers(instant));

    /// <summary>
    /// The outage the asset is taken out for at <paramref name="instant"/> when it leaves <paramref name="lead"/> before
    /// each outage starts (so the fleet has moved its share to the others by then) and returns when it ends.
    /// </summary>
    public Outage? OutageAt(DateTimeOffset instant, TimeSpan lead) =>
        Outages.FirstOrDefault(o => instant >= o.From - lead && instant < o.Until);

    /// <summary>True when any outage overlaps [from, until): the asset cannot be counted on for that whole period.</summary>
    public bool IsUnavailableDuring(DateTimeOffset from, DateTimeOffset until, bool plannedOnly = false) =>
        Outages.Any(o => o.From < until && o.Until > from && (!plannedOnly || o.Planned));

    /// <summary>
    /// The next change after <paramref name="now"/>. The fleet acts <paramref name="lead"/> before an outage starts
    /// (so the standing target is moved to the others before the asset drops out) but only when it ends (the asset
    /// must be back and reporting before it is dispatched again). An outage whose lead has begun is in force
    /// (<see cref="OutageAt(DateTimeOffset, TimeSpan)"/>): its next change is its end. Null when nothing changes any more.
    /// </summary>
    public AvailabilityChange? NextChange(DateTimeOffset now, TimeSpan lead = default)
    {
        foreach (var outage in Outages)
        {
            if (outage.From - lead > now)
            {
                return new AvailabilityChange(outage.From, false, outage.From - lead);
            }

            if (outage.Until > now)
            {
                return new AvailabilityChange(outage.Until, true, outage.Until);
            }
        }

        return null;
    }

    /// <summary>The earliest change across many assets' calendars (what a fleet sets its timer or reminder for).</summary>
    public static AvailabilityChange? NextChange(IEnumerable<UnavailabilityCalendar> calendars, DateTimeOffset now, TimeSpan lead = default) =>
        calendars.Select(c => c.NextChange(now, lead)).Where(c => c is not null).MinBy(c => c!.Value.ActAt);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static ImmutableList<Outage> Merge(IReadOnlyList<UnavailabilityWindow> byStart)
    {
        var outages = ImmutableList.CreateBuilder<Outage>();
        foreach (var w in byStart)
        {
            if (outages.Count > 0 && outages[^1] is var last && w.From <= last.Until)
            {
                outages[^1] = new Outage(
                    last.From, Max(last.Until, w.Until), last.Planned && w.Kind == UnavailabilityKind.Planned, [.. last.WindowIds, w.Id]);
            }
            else
            {
                outages.Add(new Outage(w.From, w.Until, w.Kind == UnavailabilityKind.Planned, [w.Id]));
            }
        }

        return outages.ToImmutable();
    }
}
