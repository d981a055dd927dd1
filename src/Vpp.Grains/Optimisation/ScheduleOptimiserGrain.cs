using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Forecasts;
using Vpp.Abstractions.Optimisation;
using Vpp.Abstractions.Schedules;
using Vpp.Abstractions.VirtualBatteries;
using Vpp.Domain.Forecasts;
using Vpp.Domain.Optimisation;
using Vpp.Domain.Validation;
using Vpp.Grains.Contracts;
using Vpp.Grains.Forecasts;
using Vpp.Grains.VirtualBatteries;

namespace Vpp.Grains.Optimisation;

/// <summary>
/// Proposes a fleet schedule: checks the request, reads the fleet's groups and commitments, and runs the domain's
/// solver (and the greedy baseline, for comparison) on the thread pool, so neither the fleet grain nor this worker's
/// scheduler is held while it solves. PV and wind availability and load per slot come from the fleet's forecasts
/// (<see cref="FleetForecasts.Groups"/>). Stateless: as many run in parallel as the silo has activations for.
/// </summary>
[StatelessWorker]
public sealed partial class ScheduleOptimiserGrain(
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock, IOptions<VppOptions> options, ILogger<ScheduleOptimiserGrain> logger)
    : Grain, IScheduleOptimiserGrain
{
    public async Task<OptimisationProposal> OptimiseAsync(string fleetId, OptimiseRequest request, bool apply = false, CancellationToken cancellationToken = default)
    {
        var errors = new FieldErrors();
        var prices = OptimisationRequestRules.Prices(
            errors, request.From, request.To, request.Prices?.Select(p => p is null ? ((DateTimeOffset?, double?)?)null : (p.From, p.EurPerMwh)).ToList());
        OptimisationRequestRules.Objective(errors, request.Objective);
        errors.Range("endSocPercent", request.EndSocPercent, 0, 100);
        InvalidInputException.ThrowIfAny(errors.Errors);

        // Every slice's plan moves the fleet's batteries until from; the caller sees only the proposals of its own trader's.
        var callerTrader = CallerTrader.Take();
        var now = clock.GetUtcNow();
        var slices = await SlicesAsync(fleetId, request.From!.Value);
        var plan = await FleetPlan.ReadProjectedAsync(GrainFactory, fleetId, request.From.Value, prices!.Length, now, options.Value, slices);
        var input = plan.Input;
        var problem = new OptimisationProblem
        {
            From = request.From.Value,
            PricesEurPerMwh = prices,
            Groups = plan.Groups,
            FcrBandKw = input.FcrBandKw,
            FcrActivationTime = input.FcrActivationTime,
            AfrrUpKw = input.AfrrUpKw,
            AfrrDownKw = input.AfrrDownKw,
            EndSocPercent = request.EndSocPercent,
            Objective = request.Objective ?? OptimisationRequestRules.Arbitrage,
        };
        InvalidInputException.ThrowIfAny(problem.Validate());

        var limit = options.Value.Optimisation.TimeLimit;
        // The greedy baseline trades on price: a baseline for arbitrage, not for self-consumption.
        var (result, greedy) = await Task.Run(
            () => (ScheduleOptimiser.Solve(problem, limit, cancellationToken), problem.SelfConsumption ? null : GreedySchedule.Solve(problem)), cancellationToken);
        if (result.Infeasibility is { } why)
        {
            LogInfeasible(fleetId, why.Constraint, why.Message);
            throw new InfeasibleScheduleException(why.Constraint, why.SlotStart, why.Message);
        }

        if (result.TimedOut)
        {
            throw new OptimisationTimedOutException(limit.TotalSeconds);
        }

        var schedule = result.Schedule!;

        LogProposed(fleetId, problem.SlotCount, problem.Groups.Count, result.SolveTime.TotalMilliseconds, schedule.ProfitEur);
        var shown = slices.Where(p => TraderScope.Allows(callerTrader, p.View.Spec.TraderId))
            .Select(p => new SliceState(p.View.Id, p.View.Spec.ToSpec(), p.SocAtUntilPercent, p.View.RoundTripEfficiency))
            .ToList();
        var proposal = OptimisationProposal.Of(
            fleetId, problem.Objective, problem, schedule, result.Optimal, result.SolveTime, greedy) with
        {
            Slices = [.. SliceProposals.Of(problem, schedule, shown).Select((p, i) => OptimisedSlice.Of(shown[i], p))],
        };
        if (!apply)
        {
            return proposal;
        }

        // Through the schedule's own path: it refuses past slots and checks the batteries' energy like any submission.
        // Targets are rounded to the watt: the solver's last digits are noise, not instructions.
        var stored = await GrainFactory.GetGrain<IFleetScheduleGrain>(fleetId).SubmitAsync(new ScheduleRequest(
            problem.From, [.. schedule.Slots.Select(s => new ScheduleSlotRequest(Math.Round(s.TargetKw, 3)))]));
        return proposal with { Applied = true, ScheduleWarnings = [.. stored.Warnings.Select(w => w.Message)] };
    }

    /// <summary>Every virtual battery of the fleet with its own plan until <paramref name="from"/> and the virtual SoC it leaves then.</summary>
    private async Task<IReadOnlyList<SliceProjection>> SlicesAsync(string fleetId, DateTimeOffset from)
    {
        var book = await GrainFactory.GetGrain<ISliceBookGrain>(fleetId).GetAsync();
        var projections = await Task.WhenAll(book.Slices.Select(s => GrainFactory.GetGrain<IVirtualBatteryDeliveryGrain>(s.VirtualBatteryId).ProjectAsync(from)));
        return [.. projections.OfType<SliceProjection>()];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet {FleetId}: proposed {Slots} slots over {Groups} groups in {SolveMs:0} ms, expected profit {ProfitEur:0.00} EUR")]
    private partial void LogProposed(string fleetId, int slots, int groups, double solveMs, double profitEur);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet {FleetId}: no schedule meets the {Constraint} constraints: {Why}")]
    private partial void LogInfeasible(string fleetId, string constraint, string why);
}
