using Vpp.Domain.Schedules;

namespace Vpp.Domain.GridServices;

/// <summary>Where the fleet's base target comes from.</summary>
public enum BaseTargetSource
{
    None,
    Standing,
    Schedule,
}

/// <summary>
/// The fleet target in force: a base (schedule slot or standing target) plus the grid-service activations on top, and
/// the batteries' FCR SoC corrections (<see cref="SocKw"/>: the provider's own, not requested by the TSO or a trader).
/// </summary>
public readonly record struct ServiceTarget(double BaseKw, BaseTargetSource Source, double AfrrKw, double FcrKw, double SocKw = 0)
{
    public double TotalKw => BaseKw + AfrrKw + FcrKw + SocKw;

    /// <summary>
    /// A schedule slot, where there is one, replaces the standing target for its quarter hour (the trader sold that
    /// energy); aFRR and FCR are added on top because they are activations of reserves held around that base.
    /// </summary>
    public static ServiceTarget Compose(double? standingTargetKw, Schedule schedule, DateTimeOffset now, double afrrKw = 0, double fcrKw = 0) =>
        schedule.TargetAt(now) is { } scheduledKw
            ? new ServiceTarget(scheduledKw, BaseTargetSource.Schedule, afrrKw, fcrKw)
            : new ServiceTarget(standingTargetKw ?? 0, standingTargetKw is null ? BaseTargetSource.None : BaseTargetSource.Standing, afrrKw, fcrKw);
}
