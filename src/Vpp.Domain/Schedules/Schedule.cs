using System.Collections.Immutable;

namespace Vpp.Domain.Schedules;

/// <summary>
/// A fleet's schedule: 15-minute slots keyed by their UTC start. Immutable: every change returns a new schedule,
/// which is what a grain persists. A later submission replaces the slots it names and leaves the others alone.
/// </summary>
public sealed class Schedule
{
    private readonly ImmutableSortedDictionary<DateTimeOffset, double> _targetsKw;

    private Schedule(ImmutableSortedDictionary<DateTimeOffset, double> targetsKw) => _targetsKw = targetsKw;

    public static readonly Schedule Empty = new(ImmutableSortedDictionary<DateTimeOffset, double>.Empty);

    public static Schedule Of(IEnumerable<ScheduledSlot> slots) => Empty.With(slots);

    public IReadOnlyList<ScheduledSlot> Slots => _targetsKw.Select(p => new ScheduledSlot(p.Key, p.Value)).ToList();

    public int Count => _targetsKw.Count;

    /// <summary>This schedule with <paramref name="slots"/> added; a slot with the same start as an existing one replaces it.</summary>
    public Schedule With(IEnumerable<ScheduledSlot> slots)
    {
        var builder = _targetsKw.ToBuilder();
        foreach (var slot in slots)
        {
            if (!QuarterHour.IsAligned(slot.Start))
            {
                throw new ArgumentException($"slot start {slot.Start:O} is not on a quarter hour; validate submissions first", nameof(slots));
            }

            builder[slot.Start.ToUniversalTime()] = slot.TargetKw;
        }

        return new Schedule(builder.ToImmutable());
    }

    /// <summary>This schedule without the slots that ended at or before <paramref name="instant"/> (history is settlement's job).</summary>
    public Schedule EndedBefore(DateTimeOffset instant) =>
        new(_targetsKw.RemoveRange(_targetsKw.Keys.TakeWhile(start => start + QuarterHour.Length <= instant).ToList()));

    public ScheduledSlot? SlotAt(DateTimeOffset instant) =>
        _targetsKw.TryGetValue(QuarterHour.Floor(instant), out var targetKw) ? new ScheduledSlot(QuarterHour.Floor(instant), targetKw) : null;

    /// <summary>The target in force at an instant; null when no slot covers it (the fleet then follows its standing target).</summary>
    public double? TargetAt(DateTimeOffset instant) => SlotAt(instant)?.TargetKw;

    /// <summary>Slots that overlap [from, to).</summary>
    public IReadOnlyList<ScheduledSlot> Between(DateTimeOffset from, DateTimeOffset to) =>
        Slots.Where(s => s.End > from && s.Start < to).ToList();

    /// <summary>
    /// The next instant after <paramref name="now"/> at which the target in force changes: a slot starts, or the last
    /// of a run of slots ends. Equal consecutive targets are not a change. Null when nothing changes any more.
    /// A grain sets its timer (and its reminder, to survive restarts) for this instant.
    /// </summary>
    public DateTimeOffset? NextChange(DateTimeOffset now)
    {
        var current = TargetAt(now);
        foreach (var (start, targetKw) in _targetsKw)
        {
            var end = start + QuarterHour.Length;
            if (end <= now)
            {
                continue;
            }

            if (start > now && current != targetKw)
            {
                return start;
            }

            if (!_targetsKw.ContainsKey(end))
            {
                return end;
            }

            current = targetKw;
        }

        return null;
    }
}
