using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;

namespace Vpp.Domain.GridServices;

/// <summary>aFRR parameters (Germany by default); configuration because TSOs differ.</summary>
public sealed record AfrrSettings
{
    /// <summary>A setpoint stamped further ahead of the VPP's clock than this is a clock error.</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    public static readonly AfrrSettings Default = new();
}

/// <summary><c>POST /fleets/{id}/afrr</c> as sent.</summary>
public sealed record AfrrSetpointInput(double? SetpointKw, DateTimeOffset? Timestamp)
{
    /// <summary>
    /// Checks the setpoint against the band the fleet may be asked for (<paramref name="bandKw"/>, e.g. ±contracted)
    /// and the clock; a setpoint older than the last one accepted is refused, because applying it would step back in time.
    /// </summary>
    public IReadOnlyList<FieldError> Validate(PowerRange bandKw, DateTimeOffset? lastAt, DateTimeOffset now, AfrrSettings? settings = null)
    {
        settings ??= AfrrSettings.Default;
        var e = new FieldErrors();
        e.Required("setpointKw", SetpointKw, "(kW, positive = more export)");
        if (SetpointKw is { } kw && e.Finite("setpointKw", kw) && !bandKw.Contains(kw))
        {
            e.Add("setpointKw", $"must be between {bandKw.MinKw:0.###} and {bandKw.MaxKw:0.###} kW, the fleet's aFRR band (got {kw:0.###})");
        }

        var at = Timestamp ?? now;
        if (at > now + settings.MaxClockSkew)
        {
            e.Add("timestamp", $"is more than {settings.MaxClockSkew.TotalSeconds:0} s ahead of the VPP's clock ({at.ToUniversalTime():O})");
        }
        else if (lastAt is { } last && at < last)
        {
            e.Add("timestamp", $"is older than the last setpoint ({last.ToUniversalTime():O}); setpoints must arrive in order");
        }

        return e.Errors;
    }
}

/// <summary>
/// One interval of aFRR following: the setpoint requested over [From, To) and the aFRR power the fleet delivered at its
/// end. <see cref="DeliveredSource"/> says what "delivered" means: <see cref="Measured"/> (from a measurement of the
/// fleet's aFRR power at the close) or <see cref="Allocated"/> (following the request within the range the fleet could
/// add, at its ramp). The fleet's grid-services state stores these, the fleet's grain serves them and the API and SDK
/// return them as they are.
/// </summary>
public sealed record AfrrStep(
    DateTimeOffset From,
    DateTimeOffset To,
    double RequestedKw,
    double DeliveredKw,
    double RequestedKwh,
    double DeliveredKwh,
    string DeliveredSource)
{
    public const string Allocated = "allocated";
    public const string Measured = "measured";
}

/// <summary>Where the aFRR activation stands: the setpoint in force since <see cref="At"/> and the power delivered then.</summary>
public sealed record AfrrState(DateTimeOffset? At, double RequestedKw, double DeliveredKw);

/// <summary>
/// The aFRR step model: each setpoint (the TSO sends one about every 4 s) holds until the next one, also when the
/// signal pauses (the last instruction stands). Each new setpoint closes the interval since the last one and records
/// requested and delivered energy. Delivered power is measured when the fleet has a complete, fresh measurement at the
/// close: it then runs linearly from the power delivered at the interval's start to the measured power (trapezoid
/// rule). Without one the fleet's aFRR power follows the request, moving towards it at most at the ramp rate and never
/// leaving its range, integrated exactly along the ramp. Intervals that cross a quarter hour are split there, since
/// balancing energy is settled per 15-minute imbalance settlement period (EU Electricity Balancing Guideline 2017/2195,
/// art. 53; the German TSOs on regelleistung.net settle aFRR energy per quarter hour).
/// </summary>
public static class AfrrFollower
{
    /// <param name="state">Where the fleet's aFRR contribution stands before this setpoint.</param>
    /// <param name="setpointKw">The TSO's new aFRR setpoint.</param>
    /// <param name="at">When the setpoint was received (UTC).</param>
    /// <param name="rampKwPerSecond">The fleet's ramp; null when it can step at once.</param>
    /// <param name="rangeKw">What the fleet can add for aFRR on top of its other duties.</param>
    /// <param name="measuredKw">The aFRR power measured at <paramref name="at"/>; null when there is no usable measurement.</param>
    public static (AfrrState State, IReadOnlyList<AfrrStep> Steps) Apply(
        AfrrState state, double setpointKw, DateTimeOffset at, double? rampKwPerSecond, PowerRange rangeKw, double? measuredKw = null)
    {
        var steps = new List<AfrrStep>();
        var source = measuredKw is null ? AfrrStep.Allocated : AfrrStep.Measured;
        var deliveredKw = state.DeliveredKw;
        if (state.At is { } from && at > from)
        {
            var target = rangeKw.Clamp(state.RequestedKw);
            var (startKw, totalSeconds) = (deliveredKw, (at - from).TotalSeconds);
            foreach (var (start, end) in SplitAtQuarterHours(from, at))
            {
                var seconds = (end - start).TotalSeconds;
                var (endKw, energyKwh) = measuredKw is { } measured
                    ? Trapezoid(deliveredKw, startKw + ((measured - startKw) * (end - from).TotalSeconds / totalSeconds), seconds)
                    : Follow(deliveredKw, target, seconds, rampKwPerSecond);
                steps.Add(new AfrrStep(start, end, state.RequestedKw, endKw, state.RequestedKw * seconds / 3600, energyKwh, source));
                deliveredKw = endKw;
            }
        }

        return (new AfrrState(at, setpointKw, deliveredKw), steps);
    }

    private static (double EndKw, double EnergyKwh) Trapezoid(double fromKw, double toKw, double seconds) =>
        (toKw, (fromKw + toKw) / 2 * seconds / 3600);

    /// <summary>Power and energy after moving from <paramref name="fromKw"/> towards <paramref name="targetKw"/> for a while.</summary>
    public static (double EndKw, double EnergyKwh) Follow(double fromKw, double targetKw, double seconds, double? rampKwPerSecond)
    {
        if (rampKwPerSecond is <= 0)
        {
            return (fromKw, fromKw * seconds / 3600); // cannot move at all
        }

        var distanceKw = targetKw - fromKw;
        var reachSeconds = rampKwPerSecond is { } ramp ? Math.Abs(distanceKw) / ramp : 0;
        if (reachSeconds >= seconds)
        {
            var endKw = fromKw + (Math.Sign(distanceKw) * rampKwPerSecond!.Value * seconds);
            return (endKw, (fromKw + endKw) / 2 * seconds / 3600);
        }

        return (targetKw, (((fromKw + targetKw) / 2 * reachSeconds) + (targetKw * (seconds - reachSeconds))) / 3600);
    }

    private static IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> SplitAtQuarterHours(DateTimeOffset from, DateTimeOffset to)
    {
        var start = from;
        while (start < to)
        {
            var boundary = QuarterHour.Floor(start) + QuarterHour.Length;
            var end = boundary < to ? boundary : to;
            yield return (start, end);
            start = end;
        }
    }
}
