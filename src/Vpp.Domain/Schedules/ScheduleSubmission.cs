using Vpp.Domain.Validation;

namespace Vpp.Domain.Schedules;

/// <summary>
/// One slot as sent: its target and, optionally, its own start. A slot without a start follows the previous one
/// (the usual dense form <c>{start, slots: [{targetKw}, …]}</c>); explicit starts allow gaps in one submission.
/// </summary>
public sealed record ScheduleSlotInput(double? TargetKw, DateTimeOffset? Start = null);

/// <summary>A 15-minute slot of a fleet's schedule: net export target from <see cref="Start"/> for a quarter hour.</summary>
public readonly record struct ScheduledSlot(DateTimeOffset Start, double TargetKw)
{
    public DateTimeOffset End => Start + QuarterHour.Length;

    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;
}

/// <summary>Limits on what a schedule may ask; configuration of the market and of the operator.</summary>
public sealed record ScheduleRules
{
    /// <summary>At most this many slots in one submission (default 31 days of quarter hours).</summary>
    public int MaxSlots { get; init; } = 31 * 100;

    /// <summary>No slot may start further ahead than this (a typo in the year should not be accepted).</summary>
    public TimeSpan MaxHorizon { get; init; } = TimeSpan.FromDays(400);

    public static readonly ScheduleRules Default = new();
}

/// <summary>
/// <c>PUT /fleets/{id}/schedule</c> as the domain sees it: a UTC quarter-hour start and consecutive slots.
/// Validation names the wire field of each problem (<c>slots[3].targetKw</c>), so a trader knows which slot to fix.
/// </summary>
public sealed record ScheduleSubmission(DateTimeOffset? Start, IReadOnlyList<ScheduleSlotInput?>? Slots)
{
    /// <summary>Checks the submission against one range for every slot (see the overload) and the clock.</summary>
    public IReadOnlyList<FieldError> Validate(PowerRange possibleKw, DateTimeOffset now, ScheduleRules? rules = null) =>
        Validate(_ => possibleKw, now, rules);

    /// <summary>
    /// Checks the submission against the range the fleet can give in each slot (<paramref name="rangeAt"/> of the
    /// slot's start: a target beyond it can never be met) and the clock: a slot that has already ended cannot be
    /// delivered.
    /// </summary>
    public IReadOnlyList<FieldError> Validate(Func<DateTimeOffset, PowerRange> rangeAt, DateTimeOffset now, ScheduleRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(rangeAt);
        rules ??= ScheduleRules.Default;
        var e = new FieldErrors();
        if (Start is null)
        {
            e.Add("start", "is required (a UTC instant on a quarter hour, e.g. 2026-03-29T00:00:00Z)");
        }
        else if (!QuarterHour.IsAligned(Start.Value))
        {
            e.Add("start", $"must be on a quarter hour (:00, :15, :30, :45) in UTC; got {Start.Value.ToUniversalTime():O}");
        }

        if (Slots is null || Slots.Count == 0)
        {
            e.Add("slots", "must contain at least one slot");
            return e.Errors;
        }

        if (Slots.Count > rules.MaxSlots)
        {
            e.Add("slots", $"must contain at most {rules.MaxSlots} slots (got {Slots.Count})");
            return e.Errors;
        }

        DateTimeOffset? previousEnd = Start is { } s && QuarterHour.IsAligned(s) ? s.ToUniversalTime() : null;
        for (var i = 0; i < Slots.Count; i++)
        {
            previousEnd = CheckSlot(e, i, previousEnd, rangeAt, now, rules);
        }

        return e.Errors;
    }

    /// <summary>The slots with their UTC starts. Call on a valid submission only.</summary>
    public IReadOnlyList<ScheduledSlot> ToSlots()
    {
        var slots = new List<ScheduledSlot>(Slots?.Count ?? 0);
        var next = Start?.ToUniversalTime() ?? throw new InvalidOperationException("start is missing: validate first");
        foreach (var input in Slots ?? [])
        {
            var start = input?.Start?.ToUniversalTime() ?? next;
            var targetKw = input?.TargetKw ?? throw new InvalidOperationException("a slot has no target: validate first");
            slots.Add(new ScheduledSlot(start, targetKw));
            next = start + QuarterHour.Length;
        }

        return slots;
    }

    private DateTimeOffset? CheckSlot(
        FieldErrors e, int i, DateTimeOffset? previousEnd, Func<DateTimeOffset, PowerRange> rangeAt, DateTimeOffset now, ScheduleRules rules)
    {
        var field = $"slots[{i}]";
        if (Slots![i] is not { } slot)
        {
            e.Add(field, "is required (an object with targetKw)");
            return previousEnd is { } p ? p + QuarterHour.Length : null;
        }

        DateTimeOffset? start = previousEnd;
        if (slot.Start is { } explicitStart)
        {
            start = explicitStart.ToUniversalTime();
            if (!QuarterHour.IsAligned(explicitStart))
            {
                e.Add($"{field}.start", $"must be on a quarter hour in UTC; got {start:O}");
                start = null;
            }
            else if (previousEnd is { } end && start < end)
            {
                e.Add($"{field}.start", i == 0
                    ? $"must not be before start ({end - QuarterHour.Length:O})"
                    : $"overlaps the slot before it, which ends at {end:O}");
            }
        }

        if (slot.TargetKw is not { } targetKw)
        {
            e.Add($"{field}.targetKw", "is required");
        }
        else if (e.Finite($"{field}.targetKw", targetKw) && start is { } at && rangeAt(at) is var rangeKw && !rangeKw.Contains(targetKw))
        {
            e.Add($"{field}.targetKw",
                $"must be between {rangeKw.MinKw:0.###} and {rangeKw.MaxKw:0.###} kW, the fleet's range for the slot from {at:yyyy-MM-ddTHH:mmZ} (got {targetKw:0.###})");
        }

        if (start is { } s)
        {
            if (s + QuarterHour.Length <= now)
            {
                e.Add(field, $"starts at {s:O} and has already ended; it cannot be delivered");
            }
            else if (s - now > rules.MaxHorizon)
            {
                e.Add(field, $"starts at {s:O}, more than {rules.MaxHorizon.TotalDays:0} days ahead");
            }

            return s + QuarterHour.Length;
        }

        return null;
    }
}
