namespace Vpp.Abstractions.Schedules;

/// <summary>One slot as sent: its target (kW net export) and, optionally, its own UTC start (for gaps in one submission).</summary>
[GenerateSerializer, Immutable]
public sealed record ScheduleSlotRequest(
    [property: Id(0)] double? TargetKw,
    [property: Id(1)] DateTimeOffset? Start = null);

/// <summary>
/// A schedule submission, in one of two forms: UTC (<see cref="Start"/> on a quarter hour, consecutive slots) or a
/// whole local delivery day (<see cref="LocalDate"/> and <see cref="TimeZone"/>, exactly the day's 92, 96 or 100
/// quarter hours). Every field may be missing so the fleet can name what is.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ScheduleRequest(
    [property: Id(0)] DateTimeOffset? Start,
    [property: Id(1)] ScheduleSlotRequest?[]? Slots,
    [property: Id(2)] DateOnly? LocalDate = null,
    [property: Id(3)] string? TimeZone = null);

/// <summary>A stored 15-minute slot: from <see cref="Start"/> to <see cref="End"/> (UTC) the fleet's target is <see cref="TargetKw"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record ScheduledSlotView(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] DateTimeOffset End,
    [property: Id(2)] double TargetKw);

/// <summary>
/// A slot the fleet's batteries cannot sustain for lack of energy. <see cref="Field"/> names the submitted slot
/// (<c>slots[7]</c>), or <c>schedule</c> for a stored slot outside this submission that the new one makes infeasible.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ScheduleWarning(
    [property: Id(0)] string Field,
    [property: Id(1)] DateTimeOffset SlotStart,
    [property: Id(2)] double ShortfallKwh,
    [property: Id(3)] bool Discharging,
    [property: Id(4)] string Message);

/// <summary>
/// A fleet's schedule (or the part of it asked for) and, after a submission, its warnings.
/// <see cref="AppliedSlotStart"/> is the slot whose target the fleet was last dispatched.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ScheduleView(
    [property: Id(0)] string FleetId,
    [property: Id(1)] ScheduledSlotView[] Slots,
    [property: Id(2)] ScheduleWarning[] Warnings,
    [property: Id(3)] DateTimeOffset? AppliedSlotStart);
