using Vpp.Domain.Assets;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Schedules;

namespace Vpp.Abstractions.Optimisation;

/// <summary>The price of the quarter hour starting at <see cref="From"/> (UTC), in EUR/MWh.</summary>
[GenerateSerializer, Immutable]
public sealed record PricePoint([property: Id(0)] DateTimeOffset? From, [property: Id(1)] double? EurPerMwh);

/// <summary>
/// What to optimise: the horizon [<see cref="From"/>, <see cref="To"/>) in UTC quarter hours (at most 2 days), a price
/// for every quarter hour of it, the objective ("arbitrage", the default, or "selfConsumption": see
/// <see cref="OptimisationRequestRules.Objectives"/>) and the SoC every battery group must end at
/// or above (null: where it starts).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OptimiseRequest(
    [property: Id(0)] DateTimeOffset? From,
    [property: Id(1)] DateTimeOffset? To,
    [property: Id(2)] PricePoint?[]? Prices,
    [property: Id(3)] string? Objective = null,
    [property: Id(4)] double? EndSocPercent = null);

/// <summary>
/// What the fleet knows for an optimisation: its online assets folded into groups, its FCR band per slot, and its
/// flexible loads' metered consumption (kW) in the same slots 1, 2, … weeks earlier (null where no meter holds a slot;
/// empty when the fleet has no flexible load), for the similar-day load forecast, and the aFRR capacity it has sold per
/// direction (kW), held free like the FCR band.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OptimisationInput(
    [property: Id(0)] GroupTotals[] Groups,
    [property: Id(1)] double[] FcrBandKw,
    [property: Id(2)] TimeSpan FcrActivationTime,
    [property: Id(3)] double?[][]? MeteredLoadKwByWeek = null,
    [property: Id(4)] double AfrrUpKw = 0,
    [property: Id(5)] double AfrrDownKw = 0)
{
    /// <summary>
    /// This input over the <paramref name="take"/> slots that start <paramref name="skip"/> slots into the horizon it
    /// was read for: one read of the fleet serves two adjacent horizons (<see cref="GroupTotals.Slots"/>).
    /// </summary>
    public OptimisationInput Slots(int skip, int take) => this with
    {
        Groups = [.. Groups.Select(g => g.Slots(skip, take))],
        FcrBandKw = FcrBandKw[skip..(skip + take)],
        MeteredLoadKwByWeek = MeteredLoadKwByWeek?.Select(week => week[skip..(skip + take)]).ToArray(),
    };
}

/// <summary>One group's plan in a slot: power (kW, + export) and, for batteries, the SoC at the slot's end.</summary>
[GenerateSerializer, Immutable]
public sealed record OptimisedGroupSlot([property: Id(0)] string Group, [property: Id(1)] double PowerKw, [property: Id(2)] double? SocPercent);

/// <summary>
/// One slot of a proposal: the fleet target, the price, revenue and operating cost, each group's plan, and the limits
/// tight in it (<c>group.limit</c>, e.g. <c>battery@0~81%.socMax</c>, or <c>fleet.fcrUp</c>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OptimisedSlot(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] DateTimeOffset End,
    [property: Id(2)] double PriceEurPerMwh,
    [property: Id(3)] double TargetKw,
    [property: Id(4)] double RevenueEur,
    [property: Id(5)] double OperatingCostEur,
    [property: Id(6)] OptimisedGroupSlot[] Groups,
    [property: Id(7)] string[] Binding);

/// <summary>
/// A group of the fleet as the optimiser saw it; a battery group with its SoC at the start and the end, a CHP group with
/// what one start of a unit costs (EUR), how many units the plan starts over the horizon, and how many run before its
/// first slot (<see cref="UnitsOnAtStart"/>: now, or at a later plan's start as the stored schedule leaves them).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OptimisedGroup(
    [property: Id(0)] string Name,
    [property: Id(1)] string Kind,
    [property: Id(2)] int AssetCount,
    [property: Id(3)] double MarginalCostEurPerMwh,
    [property: Id(4)] double? StartSocPercent,
    [property: Id(5)] double? EndSocPercent,
    [property: Id(6)] double ThroughputKwh,
    [property: Id(7)] double? StartUpCostEur = null,
    [property: Id(8)] int? Starts = null,
    [property: Id(9)] int? UnitsOnAtStart = null);

/// <summary>One quarter hour of a slice's proposal: setpoint (kW, + delivered), virtual SoC at its end, and what cut it ("window", "power", "soc").</summary>
[GenerateSerializer, Immutable]
public sealed record OptimisedSliceSlot(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] double Kw,
    [property: Id(2)] double SocPercent,
    [property: Id(3)] string? Clamped);

/// <summary>
/// A virtual battery's share of the batteries' plan, within its own power, window and virtual SoC, from
/// <see cref="StartSocPercent"/>: the virtual SoC its own plan leaves at the plan's start.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OptimisedSlice(
    [property: Id(0)] string VirtualBatteryId,
    [property: Id(1)] string TraderId,
    [property: Id(2)] double StartSocPercent,
    [property: Id(3)] OptimisedSliceSlot[] Slots)
{
    public static OptimisedSlice Of(SliceState state, SliceProposal proposal) =>
        new(proposal.VirtualBatteryId, proposal.TraderId, state.SocPercent,
            [.. proposal.Slots.Select(s => new OptimisedSliceSlot(s.Start, s.Kw, s.EndSocPercent, s.Clamped?.ToString().ToLowerInvariant()))]);
}

/// <summary>
/// A proposed fleet schedule: expected revenue, operating cost and profit (revenue − cost, what the optimiser
/// maximises), the greedy baseline's profit on the same prices (null when the baseline cannot hold the fleet's
/// commitments or ramp limits, and for the self-consumption objective), battery throughput, the energy the fleet takes from and gives
/// to the grid (<see cref="ImportKwh"/>, what self-consumption minimises, and <see cref="ExportKwh"/>), every slot, and
/// where the fleet has virtual batteries a proposal per slice (<see cref="Slices"/>; empty when it has none). <see cref="Optimal"/> is false when the time limit cut a
/// mixed-integer search short (the schedule is feasible, not proven best). <see cref="Applied"/> is true when it was
/// stored as the fleet's schedule, with the schedule's warnings (slots its energy check doubts) in
/// <see cref="ScheduleWarnings"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OptimisationProposal(
    [property: Id(0)] string FleetId,
    [property: Id(1)] string Objective,
    [property: Id(2)] DateTimeOffset From,
    [property: Id(3)] DateTimeOffset To,
    [property: Id(4)] bool Optimal,
    [property: Id(5)] double SolveMilliseconds,
    [property: Id(6)] double RevenueEur,
    [property: Id(7)] double OperatingCostEur,
    [property: Id(8)] double ProfitEur,
    [property: Id(9)] double? GreedyProfitEur,
    [property: Id(10)] double EnergyThroughputKwh,
    [property: Id(11)] OptimisedGroup[] Groups,
    [property: Id(12)] OptimisedSlot[] Slots,
    [property: Id(13)] bool Applied = false,
    [property: Id(14)] string[]? ScheduleWarnings = null,
    [property: Id(15)] double ImportKwh = 0,
    [property: Id(16)] double ExportKwh = 0,
    [property: Id(17)] OptimisedSlice[]? Slices = null)
{
    public static OptimisationProposal Of(
        string fleetId, string objective, OptimisationProblem problem, ProposedSchedule schedule, bool optimal, TimeSpan solveTime, ProposedSchedule? greedy)
    {
        var groups = problem.Groups.Select((g, i) =>
        {
            var powers = schedule.Slots.Select(s => s.Groups[i]).ToList();
            int[] unitsOn = [.. powers.Select(p => p.UnitsOn ?? 0)];
            return new OptimisedGroup(
                g.Name, g.Kind.ToWire(), g.AssetCount, g.MarginalCostEurPerMwh,
                (g as BatteryGroup)?.StartSocPercent, powers.Count > 0 ? powers[^1].EndSocPercent : null,
                g is BatteryGroup ? powers.Sum(p => Math.Abs(p.PowerKw)) * QuarterHour.Hours : 0,
                (g as ChpGroup)?.StartUpCostEur,
                g is ChpGroup chp && unitsOn.Length > 0 ? ChpCommitment.StartedWithin(chp, unitsOn, unitsOn.Length - 1, unitsOn.Length) : null,
                (g as ChpGroup)?.UnitsRunningBefore);
        }).ToArray();
        return new OptimisationProposal(
            fleetId, objective, problem.From, problem.SlotStart(problem.SlotCount), optimal, solveTime.TotalMilliseconds,
            schedule.RevenueEur, schedule.OperatingCostEur, schedule.ProfitEur, greedy?.ProfitEur, groups.Sum(g => g.ThroughputKwh), groups,
            [.. schedule.Slots.Select(s => new OptimisedSlot(
                s.Start, s.Start + QuarterHour.Length, s.PriceEurPerMwh, s.TargetKw, s.RevenueEur, s.OperatingCostEur,
                [.. s.Groups.Select(g => new OptimisedGroupSlot(g.Group, g.PowerKw, g.EndSocPercent))], [.. s.Binding]))])
        {
            ImportKwh = schedule.ImportKwh,
            ExportKwh = schedule.ExportKwh,
        };
    }
}
