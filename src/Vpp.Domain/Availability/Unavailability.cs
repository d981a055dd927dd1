using Vpp.Domain.Assets;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Availability;

public enum UnavailabilityKind
{
    /// <summary>Known in advance (maintenance): the fleet plans around it and does not offer the capacity.</summary>
    Planned,

    /// <summary>An outage reported as it happens or afterwards.</summary>
    Unplanned,
}

/// <summary>
/// One reported window in which an asset is out of service: [From, Until), UTC. The id is given by whoever stores it
/// (the asset grain), so <c>GET</c> and <c>DELETE</c> can name a window even after overlapping windows were merged
/// for planning (see <see cref="UnavailabilityCalendar.Outages"/>).
/// </summary>
public sealed record UnavailabilityWindow(string Id, DateTimeOffset From, DateTimeOffset Until, UnavailabilityKind Kind, string? Reason)
{
    public static readonly IReadOnlyList<string> KindNames = ["planned", "unplanned"];

    public TimeSpan Duration => Until - From;

    public bool Covers(DateTimeOffset instant) => instant >= From && instant < Until;

    public bool Overlaps(DateTimeOffset from, DateTimeOffset until) => From < until && Until > from;
}

/// <summary>Limits on reported windows: configuration, with defaults that catch typos (a year too far).</summary>
public sealed record UnavailabilityRules
{
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromDays(366);

    public TimeSpan MaxHorizon { get; init; } = TimeSpan.FromDays(2 * 366);

    public int MaxReasonLength { get; init; } = 500;

    public static readonly UnavailabilityRules Default = new();
}

/// <summary><c>POST /assets/{id}/unavailabilities</c> as sent: every field optional so that validation can name what is missing.</summary>
public sealed record UnavailabilityInput(DateTimeOffset? From, DateTimeOffset? Until, string? Kind, string? Reason)
{
    public IReadOnlyList<FieldError> Validate(DateTimeOffset now, UnavailabilityRules? rules = null)
    {
        rules ??= UnavailabilityRules.Default;
        var e = new FieldErrors();
        e.Required("from", From, "(a UTC instant)");
        e.Required("until", Until, "(a UTC instant after from)");
        if (From is { } from && Until is { } until)
        {
            if (until <= from)
            {
                e.Add("until", $"must be after from ({until.ToUniversalTime():O} is not after {from.ToUniversalTime():O})");
            }
            else if (until - from > rules.MaxDuration)
            {
                e.Add("until", $"the window may last at most {rules.MaxDuration.TotalDays:0} days");
            }

            if (from - now > rules.MaxHorizon)
            {
                e.Add("from", $"must be at most {rules.MaxHorizon.TotalDays:0} days ahead");
            }
        }

        if (ParseKind(Kind) is null)
        {
            e.Add("kind", Kind is null ? "is required: " + WireNames.OneOf(UnavailabilityWindow.KindNames) : WireNames.OneOf(UnavailabilityWindow.KindNames));
        }

        if (Reason is { Length: var length } && length > rules.MaxReasonLength)
        {
            e.Add("reason", $"must be at most {rules.MaxReasonLength} characters");
        }

        return e.Errors;
    }

    /// <summary>The window this input describes, with its id; throws a validation exception when the input is invalid.</summary>
    public UnavailabilityWindow ToWindow(string id, DateTimeOffset now, UnavailabilityRules? rules = null)
    {
        DomainValidationException.ThrowIfAny(Validate(now, rules));
        return new UnavailabilityWindow(id, From!.Value.ToUniversalTime(), Until!.Value.ToUniversalTime(), ParseKind(Kind)!.Value, Reason);
    }

    public static UnavailabilityKind? ParseKind(string? text) =>
        WireNames.IndexOf(UnavailabilityWindow.KindNames, text) is { } i ? (UnavailabilityKind)i : null;
}
