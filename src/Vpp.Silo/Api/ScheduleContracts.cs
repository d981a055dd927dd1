using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Schedules;

namespace Vpp.Silo.Api;

// Wire shapes of schedules and unavailabilities (HTTP API v1).

public sealed record ScheduleSlotHttpRequest(double? TargetKw, DateTimeOffset? Start);

/// <summary>Either <c>{start, slots}</c> (UTC) or <c>{localDate, timeZone, slots}</c> (a whole local delivery day).</summary>
public sealed record ScheduleHttpRequest(DateTimeOffset? Start, ScheduleSlotHttpRequest?[]? Slots, DateOnly? LocalDate, string? TimeZone)
{
    public ScheduleRequest ToRequest() =>
        new(Start, Slots?.Select(s => s is null ? null : new ScheduleSlotRequest(s.TargetKw, s.Start)).ToArray(), LocalDate, TimeZone);
}

public sealed record ScheduledSlotResponse(DateTimeOffset Start, DateTimeOffset End, double TargetKw);

/// <summary>A slot the batteries cannot sustain: <c>direction</c> is "discharge" (they run empty) or "charge" (they are full).</summary>
public sealed record ScheduleWarningResponse(string Field, DateTimeOffset SlotStart, double ShortfallKwh, string Direction, string Message);

public sealed record ScheduleResponse(
    string FleetId,
    IReadOnlyList<ScheduledSlotResponse> Slots,
    IReadOnlyList<ScheduleWarningResponse> Warnings,
    DateTimeOffset? AppliedSlotStart)
{
    public static ScheduleResponse From(ScheduleView v) => new(
        v.FleetId,
        [.. v.Slots.Select(s => new ScheduledSlotResponse(s.Start, s.End, s.TargetKw))],
        [.. v.Warnings.Select(w => new ScheduleWarningResponse(w.Field, w.SlotStart, w.ShortfallKwh, w.Discharging ? "discharge" : "charge", w.Message))],
        v.AppliedSlotStart);
}

public sealed record ScheduleDeletedResponse(string FleetId, int RemovedSlots);

public sealed record UnavailabilityHttpRequest(DateTimeOffset? From, DateTimeOffset? Until, string? Kind, string? Reason)
{
    public UnavailabilityRequest ToRequest() => new(From, Until, Kind, Reason);
}

public sealed record UnavailabilityResponse(string Id, DateTimeOffset From, DateTimeOffset Until, string Kind, string? Reason)
{
    public static UnavailabilityResponse Of(UnavailabilityView v) => new(v.Id, v.From, v.Until, v.Kind, v.Reason);
}
